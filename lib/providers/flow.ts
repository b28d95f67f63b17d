/**
 * One provider-served task call, every request of it on the workbook's one
 * transport: the Hub mapping look-up, the submission (built by
 * `@huggingface/inference`'s own provider helpers, so its URL, headers and
 * body are the library's), the status polls of a queued job, and the
 * download of a result that is a link on the provider's storage. Replay
 * answers the whole sequence from recordings, in order, offline.
 *
 * `@huggingface/inference` 4.13.30 polls and downloads with the global
 * `fetch`, not the one it is given, has no deadline for fal-ai's queue and
 * never polls replicate: the workbook runs those steps itself.
 *
 * @module
 */

import {
  getProviderHelper,
  InferenceClientInputError,
  type InferenceTask,
  makeRequestOptionsFromResolvedModel,
} from "npm:@huggingface/inference@^4.13.30";
import { checkModelId } from "../endpoints.ts";
import { HfOutputError } from "../errors.ts";
import { type Provenance, provenanceOfOrigin } from "../provenance.ts";
import type { TaskOptions } from "../tasks/_run.ts";
import { createTransport, type Exchange } from "../transport/fetch.ts";
import { resolveMode } from "../transport/mode.ts";
import { type FlowContext, FLOWS, mediaUrlOf } from "./_flows.ts";
import type { PollOptions } from "./_poll.ts";
import { chooseProvider, hasFlow, type MappingEntry, providersOf } from "./_route.ts";

export { DEFAULT_POLL_DEADLINE_MS, type PollEvent, type PollOptions } from "./_poll.ts";

/** Options of a provider-served task: those of every task, plus how a queued job is polled. */
export interface ProviderTaskOptions<P = never> extends TaskOptions<P> {
  /**
   * The Inference Provider, or `"auto"`: the first provider in the model's
   * mapping that serves it for this task. @default {"auto"}
   */
  provider?: TaskOptions<P>["provider"];
  /** How a queued job is polled: its deadline (10 minutes by default), interval and progress. */
  poll?: PollOptions;
}

/** What a task file hands to {@linkcode runProviderTask}. */
export interface ProviderTaskSpec {
  /** The task, as `@huggingface/inference` names it (and its recordings file). */
  task: InferenceTask;
  /** The verb of error messages: `Cannot <verb>: ...`. */
  verb: string;
  /** The model used when the caller names none. */
  defaultModel: string;
  /** The task's arguments as the library's task function takes them (`inputs`, `parameters`; media as a `Blob`). */
  args: Record<string, unknown>;
}

/** What a provider answered, once its job is done. */
export interface ProviderAnswer {
  /** The provider that answered. */
  provider: string;
  /** The final JSON result (absent when the answer was the media itself). */
  result?: unknown;
  /** The media: the answer's own bytes, or those downloaded from the result's link. */
  media?: { bytes: Uint8Array; contentType: string; url?: string };
  /** Where the answer came from. */
  provenance?: Provenance;
}

/**
 * Run one provider-served task call (see the module doc). The provider is
 * the caller's, else `"auto"`; `endpointUrl` sends it to HF Inference's
 * protocol at that URL.
 *
 * @throws {TypeError} When `provider` and `endpointUrl` are both given, or `endpointUrl` for a task HF Inference has not.
 * @throws {HfNotServedError} When no provider (or not the one named) serves the model for this task.
 * @throws {HfJobFailedError} When the provider's job failed; `HfJobTimeoutError` when it did not finish in time.
 */
export async function runProviderTask(
  spec: ProviderTaskSpec,
  options: ProviderTaskOptions<unknown>,
): Promise<ProviderAnswer> {
  const model = options.model ?? (options.endpointUrl ? undefined : spec.defaultModel);
  if (model !== undefined) checkModelId(model, spec.verb);
  if (options.endpointUrl !== undefined && options.provider !== undefined) {
    throw new TypeError(
      `Cannot ${spec.verb}: "provider" and "endpointUrl" cannot both be given, got provider "${options.provider}"`,
    );
  }
  if (options.endpointUrl !== undefined && !hasFlow("hf-inference", spec.task)) {
    throw new TypeError(
      `Cannot ${spec.verb}: "endpointUrl" speaks HF Inference's protocol, which has no ${spec.task}; ` +
        `@huggingface/inference builds this task's request only for ${providersOf(spec.task).join(", ")}: ` +
        `name one with "provider", or send your endpoint its own body with query()`,
    );
  }
  const { mode, token } = resolveMode({
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
  });
  let submitted: Exchange | undefined;
  const transport = createTransport({
    mode,
    recording: spec.task,
    sequence: true,
    ...(options.recordingsDir ? { recordingsDir: options.recordingsDir } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    onResponse: (exchange) => {
      if (submitted === undefined && exchange.method === "POST") submitted = exchange;
    },
  });
  const entry = options.endpointUrl === undefined
    ? await chooseProvider(transport, model!, spec.task, options.provider ?? "auto", token)
    : undefined;
  const provider = entry?.provider ?? "hf-inference";
  const answer = await submitAndFinish(spec, options, { transport, provider, entry, model, token, mode });
  const provenance: Provenance | undefined = submitted === undefined
    ? undefined
    : submitted.from === "recording"
    ? submitted.origin
      ? provenanceOfOrigin(submitted.origin)
      : { kind: "authored", after: "a recording without an origin" }
    : options.endpointUrl === undefined
    ? { kind: "live", provider }
    : { kind: "live" }; // a dedicated endpoint is no provider
  return { ...answer, ...(provenance ? { provenance } : {}) };
}

interface Chosen {
  transport: typeof fetch;
  provider: string;
  entry: MappingEntry | undefined;
  model: string | undefined;
  token: string | undefined;
  mode: string;
}

/** Submit the request the library's helper builds, follow the provider's flow, fetch the media. */
async function submitAndFinish(
  spec: ProviderTaskSpec,
  options: ProviderTaskOptions<unknown>,
  chosen: Chosen,
): Promise<Omit<ProviderAnswer, "provenance">> {
  const { transport, provider } = chosen;
  const request = await buildRequest(spec, options, chosen);
  const headers = (request.info.headers ?? {}) as Record<string, string>;
  const response = await transport(request.url, {
    ...request.info,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.startsWith("application/json")) {
    return { provider, media: { bytes: new Uint8Array(await response.arrayBuffer()), contentType } };
  }
  const ctx: FlowContext = {
    transport,
    provider,
    task: spec.task,
    verb: spec.verb,
    submitUrl: request.url,
    headers,
    ...(options.signal ? { signal: options.signal } : {}),
    poll: options.poll ?? {},
    skipWaits: chosen.mode === "replay",
  };
  const flow = FLOWS[provider];
  const result = flow ? await flow.finish(ctx, await jsonOf(response, ctx)) : await jsonOf(response, ctx);
  const url = mediaUrlOf(result, flow?.media ?? []);
  if (url === undefined) return { provider, result };
  return { provider, result, media: await download(ctx, url) };
}

/** The submission as the library's own provider helper builds it: URL, headers (the token) and body. */
async function buildRequest(
  spec: ProviderTaskSpec,
  options: ProviderTaskOptions<unknown>,
  chosen: Chosen,
): Promise<{ url: string; info: RequestInit }> {
  const { provider, entry } = chosen;
  const args = {
    ...spec.args,
    ...(chosen.token ? { accessToken: chosen.token } : {}),
    ...(chosen.model ? { model: chosen.model } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
  };
  try {
    const helper = getProviderHelper(provider as never, spec.task as never) as
      & ReturnType<typeof getProviderHelper>
      & { preparePayloadAsync?: (args: unknown) => Promise<Record<string, unknown>> };
    const payload = helper.preparePayloadAsync ? await helper.preparePayloadAsync(args) : args;
    return makeRequestOptionsFromResolvedModel(
      entry?.providerId ?? chosen.model ?? options.endpointUrl!,
      helper,
      payload as never,
      entry,
      { task: spec.task, ...(options.billTo ? { billTo: options.billTo } : {}) },
    );
  } catch (error) {
    if (error instanceof InferenceClientInputError) {
      throw new TypeError(`Cannot ${spec.verb}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

async function jsonOf(response: Response, ctx: FlowContext): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new HfOutputError(
      `Cannot ${ctx.verb}: ${ctx.provider} answered with JSON that does not parse`,
      text,
      {
        cause: error,
      },
    );
  }
}

/**
 * Fetch a result's link through the transport, with no headers (the token
 * never goes to the provider's storage), so replay answers it from a sibling
 * file of the recording.
 */
async function download(
  ctx: FlowContext,
  url: string,
): Promise<{ bytes: Uint8Array; contentType: string; url: string }> {
  const response = await ctx.transport(url, ctx.signal ? { signal: ctx.signal } : {});
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, contentType: response.headers.get("content-type") ?? "", url };
}
