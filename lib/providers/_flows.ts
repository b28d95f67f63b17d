/**
 * What follows a provider's answer to the submission, provider by provider,
 * after the protocols `@huggingface/inference` 4.13.30 encodes (its
 * src/providers/*.ts): fal-ai's queue, replicate's prediction, wavespeed's and
 * novita's task results, together's video jobs. Unlike the library, every
 * poll goes through the workbook's transport (so it is recorded and replayed
 * in order), honours the caller's signal, `Retry-After` and a deadline, and
 * replicate's slow predictions are polled instead of failing.
 *
 * @module
 */

import { HfApiError, HfOutputError } from "../errors.ts";
import { HfJobFailedError } from "./errors.ts";
import { type JobState, pollJob, type PollOptions, retryAfterOf } from "./_poll.ts";

/** What a flow needs of the call it continues. */
export interface FlowContext {
  /** The one transport of the call. */
  transport: typeof fetch;
  /** The provider. */
  provider: string;
  /** The task, e.g. `text-to-video`. */
  task: string;
  /** The verb of error messages. */
  verb: string;
  /** The submission's URL: polls go to its host. */
  submitUrl: string;
  /** The submission's headers: polls send them again (the token included), as the library does. */
  headers: Record<string, string>;
  /** The caller's signal. */
  signal?: AbortSignal;
  /** How the job is polled. */
  poll: PollOptions;
  /** Poll without waiting (replay: the answers are recorded). */
  skipWaits: boolean;
}

/** A provider's way from the submission's answer to the result, and where the result keeps its media. */
interface ProviderFlow {
  /** Poll until the job is done and return the result (JSON). */
  finish: (ctx: FlowContext, answer: Record<string, unknown>) => Promise<unknown>;
  /** Where the result keeps the media's URL, in the order tried (`a.0.b` = `a[0].b`). */
  media: readonly string[];
}

/** The value at a dotted path of a JSON value (`images.0.url`), if it is there. */
export function at(value: unknown, path: string): unknown {
  let here = value;
  for (const step of path.split(".")) {
    if (here === null || typeof here !== "object") return undefined;
    here = (here as Record<string, unknown>)[step];
  }
  return here;
}

/** The first string found at one of `paths` that is an http(s) URL. */
export function mediaUrlOf(result: unknown, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const value = at(result, path);
    if (typeof value === "string" && /^https?:\/\//.test(value)) return value;
  }
  return undefined;
}

async function getJson(
  ctx: FlowContext,
  url: string,
): Promise<{ json: Record<string, unknown>; headers: Headers }> {
  const response = await ctx.transport(url, {
    headers: ctx.headers,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const text = await response.text();
  try {
    return { json: JSON.parse(text) as Record<string, unknown>, headers: response.headers };
  } catch (error) {
    throw new HfOutputError(
      `Cannot ${ctx.verb}: ${ctx.provider} answered GET ${url} with something that is not JSON`,
      text,
      { cause: error },
    );
  }
}

/** Where polls go: the submission's host, plus `/<provider>` on the router. */
function baseOf(ctx: FlowContext): string {
  const url = new URL(ctx.submitUrl);
  return `${url.protocol}//${url.host}${url.host === "router.huggingface.co" ? `/${ctx.provider}` : ""}`;
}

/** A message out of whatever the provider put in its error field. */
function messageOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const m = (value as Record<string, unknown>).message ?? (value as Record<string, unknown>).msg;
    return typeof m === "string" ? m : JSON.stringify(value);
  }
  return undefined;
}

function missing(ctx: FlowContext, what: string, answer: unknown): HfOutputError {
  return new HfOutputError(
    `Cannot ${ctx.verb}: ${ctx.provider} answered the submission without ${what}`,
    JSON.stringify(answer) ?? "",
  );
}

const FAL_FAILED = ["FAILED", "ERROR", "CANCELLED", "CANCELED"];

function falState(
  body: Record<string, unknown>,
  headers: Headers | undefined,
  id: string,
): JobState<undefined> {
  const status = typeof body.status === "string" ? body.status : "(no status)";
  if (status === "COMPLETED") return { done: true, status, value: undefined };
  if (FAL_FAILED.includes(status)) {
    throw new HfJobFailedError("fal-ai", id, status, messageOf(body.error ?? body.detail ?? body.message));
  }
  const retryAfterMs = headers && retryAfterOf(headers);
  return retryAfterMs === undefined ? { done: false, status } : { done: false, status, retryAfterMs };
}

/** fal-ai: a queued request (`request_id`, `response_url`), polled at `<path>/status`, its result at `<path>`. */
async function finishFal(ctx: FlowContext, answer: Record<string, unknown>): Promise<unknown> {
  if (answer.request_id === undefined) return answer; // text-to-speech and speech recognition answer at once
  const id = String(answer.request_id);
  if (typeof answer.response_url !== "string") throw missing(ctx, "a response_url", answer);
  const query = new URL(ctx.submitUrl).search;
  const path = new URL(answer.response_url).pathname; // may differ from the submitted model's path
  const statusUrl = `${baseOf(ctx)}${path}/status${query}`;
  await pollJob(
    {
      provider: "fal-ai",
      jobId: id,
      intervalMs: 500,
      first: falState(answer, undefined, id),
      check: async () => {
        const { json, headers } = await getJson(ctx, statusUrl);
        return falState(json, headers, id);
      },
    },
    ctx.poll,
    ctx.signal,
    ctx.skipWaits,
  );
  try {
    return (await getJson(ctx, `${baseOf(ctx)}${path}${query}`)).json;
  } catch (error) {
    // a completed request whose result is an error answer (fal's 422 {"detail": ...}): the job failed
    if (error instanceof HfApiError) {
      throw new HfJobFailedError("fal-ai", id, "COMPLETED", error.serviceMessage, { cause: error });
    }
    throw error;
  }
}

function predictionState(body: Record<string, unknown>, headers: Headers | undefined): JobState<unknown> {
  const status = typeof body.status === "string" ? body.status : "(no status)";
  if (status === "succeeded" || (body.status === undefined && body.output != null)) {
    return { done: true, status, value: body };
  }
  if (status === "failed" || status === "canceled") {
    throw new HfJobFailedError("replicate", String(body.id ?? "(no id)"), status, messageOf(body.error));
  }
  const retryAfterMs = headers && retryAfterOf(headers);
  return retryAfterMs === undefined ? { done: false, status } : { done: false, status, retryAfterMs };
}

/** replicate: a prediction answered within `Prefer: wait`, else polled at `urls.get` until it settles. */
async function finishReplicate(ctx: FlowContext, answer: Record<string, unknown>): Promise<unknown> {
  const first = predictionState(answer, undefined);
  if (first.done) return first.value;
  const get = at(answer, "urls.get");
  if (typeof get !== "string") throw missing(ctx, "urls.get to poll", answer);
  const pollUrl = `${baseOf(ctx)}${new URL(get).pathname}`;
  return await pollJob(
    {
      provider: "replicate",
      jobId: String(answer.id ?? "(no id)"),
      intervalMs: 500,
      first,
      check: async () => {
        const { json, headers } = await getJson(ctx, pollUrl);
        return predictionState(json, headers);
      },
    },
    ctx.poll,
    ctx.signal,
    ctx.skipWaits,
  );
}

/** wavespeed: `{data: {id, urls: {get}}}`, polled until `data.status` is `completed` or `failed`. */
async function finishWavespeed(ctx: FlowContext, answer: Record<string, unknown>): Promise<unknown> {
  const get = at(answer, "data.urls.get");
  if (typeof get !== "string") throw missing(ctx, "data.urls.get to poll", answer);
  const id = String(at(answer, "data.id") ?? "(no id)");
  const url = new URL(get);
  const state = (body: Record<string, unknown>, headers?: Headers): JobState<unknown> => {
    const status = String(at(body, "data.status") ?? "created");
    if (status === "completed") return { done: true, status, value: body };
    if (status === "failed") {
      throw new HfJobFailedError("wavespeed", id, status, messageOf(at(body, "data.error")));
    }
    const retryAfterMs = headers && retryAfterOf(headers);
    return retryAfterMs === undefined ? { done: false, status } : { done: false, status, retryAfterMs };
  };
  return await pollJob(
    {
      provider: "wavespeed",
      jobId: id,
      intervalMs: 500,
      first: state(answer),
      check: async () => {
        const { json, headers } = await getJson(ctx, `${baseOf(ctx)}${url.pathname}${url.search}`);
        return state(json, headers);
      },
    },
    ctx.poll,
    ctx.signal,
    ctx.skipWaits,
  );
}

/** novita: `{task_id}`, polled at the task-result route (MiniMax: its own query route, every 5 s). */
async function finishNovita(ctx: FlowContext, answer: Record<string, unknown>): Promise<unknown> {
  if (typeof answer.task_id !== "string") throw missing(ctx, "a task_id", answer);
  const id = answer.task_id;
  const minimax = ctx.task === "image-text-to-video";
  const url = minimax
    ? `${baseOf(ctx)}/v3/minimax/v2/query/video_generation/${encodeURIComponent(id)}`
    : `${baseOf(ctx)}/v3/async/task-result?task_id=${encodeURIComponent(id)}`;
  const state = (body: Record<string, unknown>, headers?: Headers): JobState<unknown> => {
    const status = String(at(body, "task.status") ?? "(no status)");
    if (status === "TASK_STATUS_SUCCEED" || status === "succeeded") {
      return { done: true, status, value: body };
    }
    if (["TASK_STATUS_FAILED", "failed", "cancelled"].includes(status)) {
      throw new HfJobFailedError(
        "novita",
        id,
        status,
        messageOf(at(body, "task.error") ?? at(body, "task.reason")),
      );
    }
    const retryAfterMs = headers && retryAfterOf(headers);
    return retryAfterMs === undefined ? { done: false, status } : { done: false, status, retryAfterMs };
  };
  return await pollJob(
    {
      provider: "novita",
      jobId: id,
      intervalMs: minimax ? 5000 : 500,
      first: { done: false, status: "submitted" },
      check: async () => {
        const { json, headers } = await getJson(ctx, url);
        return state(json, headers);
      },
    },
    ctx.poll,
    ctx.signal,
    ctx.skipWaits,
  );
}

/** together: a video job `{id, status}`, polled at `<submission URL>/<id>` every 2 s. */
async function finishTogether(ctx: FlowContext, answer: Record<string, unknown>): Promise<unknown> {
  if (typeof answer.id !== "string") throw missing(ctx, "a job id", answer);
  const id = answer.id;
  const state = (body: Record<string, unknown>, headers?: Headers): JobState<unknown> => {
    const status = typeof body.status === "string" ? body.status : "queued";
    if (status === "completed") return { done: true, status, value: body };
    if (status !== "queued" && status !== "in_progress") {
      throw new HfJobFailedError("together", id, status, messageOf(body.error));
    }
    const retryAfterMs = headers && retryAfterOf(headers);
    return retryAfterMs === undefined ? { done: false, status } : { done: false, status, retryAfterMs };
  };
  return await pollJob(
    {
      provider: "together",
      jobId: id,
      intervalMs: 2000,
      first: state(answer),
      check: async () => {
        const { json, headers } = await getJson(ctx, `${ctx.submitUrl}/${encodeURIComponent(id)}`);
        return state(json, headers);
      },
    },
    ctx.poll,
    ctx.signal,
    ctx.skipWaits,
  );
}

/** The flows of the providers that answer with a job or a link; others answer at once. */
export const FLOWS: Readonly<Record<string, ProviderFlow>> = {
  "fal-ai": {
    finish: finishFal,
    media: ["video.url", "images.0.url", "image.url", "audio_file.url", "audio.url"],
  },
  replicate: { finish: finishReplicate, media: ["output", "output.0"] },
  wavespeed: { finish: finishWavespeed, media: ["data.outputs.0"] },
  novita: { finish: finishNovita, media: ["videos.0.video_url", "task.content.url"] },
  together: { finish: finishTogether, media: ["outputs.video_url"] },
  "hf-inference": { finish: (_ctx, answer) => Promise.resolve(answer), media: ["output", "output.0"] },
};
