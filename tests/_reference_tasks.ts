/**
 * Test helpers for the task helpers: fetches that answer the Hub's
 * provider-mapping look-up and the task call (JSON, bytes or text), the real
 * interactions of one task in ../shared/reference/hf-recorded, and what the
 * service's message in a real error body is.
 *
 * @module
 */

import { getProviderHelper, type InferenceTask } from "@huggingface/inference";
import {
  type CountingFetch,
  countingFetch,
  type ReferenceInteraction,
  referenceInteractions,
} from "./_helpers.ts";

/** The Hub's answer to a provider-mapping look-up: hf-inference serves `model` for `task` (fal-ai, for a task only providers serve). */
export function mappingAnswer(url: string, task: string): Response {
  const id = decodeURIComponent(new URL(url).pathname.replace(/^\/api\/models\//, ""));
  const provider = providerOnly(task) ? "fal-ai" : "hf-inference";
  return Response.json({
    id,
    inferenceProviderMapping: { [provider]: { status: "live", providerId: id, task } },
  });
}

/**
 * Whether only third-party providers serve `task` (in `@huggingface/inference`, HF Inference
 * has no helper for it and fal-ai has one): such a model is mapped to fal-ai instead.
 */
export function providerOnly(task: string): boolean {
  const serves = (provider: "hf-inference" | "fal-ai") => {
    try {
      getProviderHelper(provider, task as InferenceTask);
      return true;
    } catch {
      return false;
    }
  };
  return !serves("hf-inference") && serves("fal-ai");
}

/**
 * A counting fetch that answers provider-mapping look-ups for `task` and every
 * other request with `answer` (a JSON value, or a function of the request).
 */
export function taskFetch(task: string, answer: unknown | ((body: unknown) => unknown)): CountingFetch {
  return countingFetch((call) => {
    if (call.method === "GET" && call.url.includes("/api/models/")) return mappingAnswer(call.url, task);
    const value = typeof answer === "function"
      ? answer(call.body ? JSON.parse(call.body) : undefined)
      : answer;
    return Response.json(value);
  });
}

/** The task calls (not the mapping look-ups) a counting fetch saw. */
export function taskCalls(counting: CountingFetch): { url: string; body: unknown }[] {
  return counting.calls.filter((c) => c.method === "POST").map((c) => ({
    url: c.url,
    body: c.body ? JSON.parse(c.body) : undefined,
  }));
}

/** A request a {@linkcode mediaFetch} saw. */
export interface SeenBytes {
  /** The method. */
  method: string;
  /** The URL. */
  url: string;
  /** The request's headers. */
  headers: Headers;
  /** The body's bytes. */
  bytes: Uint8Array;
  /** The body as text. */
  text: string;
}

/** What the task call answers: JSON, or bytes or text with a content type. */
export type MediaAnswer =
  | { json: unknown; status?: number }
  | { bytes: Uint8Array; type: string; status?: number }
  | { text: string; type: string; status?: number };

/**
 * A fetch that answers provider-mapping look-ups (hf-inference serves the
 * model for `task`) and every other request with `answer` (or what a function
 * of the request returns), and keeps every request it saw.
 */
export function mediaFetch(
  task: string,
  answer: MediaAnswer | ((seen: SeenBytes) => MediaAnswer),
): { fetch: typeof fetch; calls: SeenBytes[]; posts: () => SeenBytes[] } {
  const calls: SeenBytes[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const bytes = new Uint8Array(await request.arrayBuffer());
    const seen = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      bytes,
      text: new TextDecoder().decode(bytes),
    };
    calls.push(seen);
    if (request.method === "GET" && request.url.includes("/api/models/")) {
      return mappingAnswer(request.url, task);
    }
    const a = typeof answer === "function" ? answer(seen) : answer;
    const status = a.status ?? 200;
    if ("json" in a) return Response.json(a.json, { status });
    if ("bytes" in a) {
      return new Response(a.bytes as Uint8Array<ArrayBuffer>, {
        status,
        headers: { "content-type": a.type },
      });
    }
    return new Response(a.text, { status, headers: { "content-type": a.type } });
  };
  return { fetch, calls, posts: () => calls.filter((c) => c.method === "POST") };
}

/** A real interaction of one task, from both reference files. */
export interface ReferenceCase extends ReferenceInteraction {
  /** The request body as recorded (`null` when the tape did not keep it). */
  requestBody?: unknown;
  /** Which file it comes from, and its index there. */
  where: string;
}

/** Which interactions of a task to read. */
export interface ReferenceSelection {
  /** Every provider's, not only hf-inference's. @default {false} */
  everyProvider?: boolean;
}

/** Every interaction of `task` in ../shared/reference/hf-recorded (both files), hf-inference's unless told. */
export async function referenceCases(
  task: string,
  { everyProvider = false }: ReferenceSelection = {},
): Promise<ReferenceCase[]> {
  const out: ReferenceCase[] = [];
  for (const name of ["interactions.json", "hub_cassettes.json"] as const) {
    (await referenceInteractions(name)).forEach((x, i) => {
      if (x.task === task && (everyProvider || x.provider === "hf-inference")) {
        out.push({ ...x, where: `${name}#${i}` });
      }
    });
  }
  return out;
}

/**
 * The real successful answers of `task` by hf-inference: the JSON ones, or
 * with `anyBody` every one (binary bodies too, and those the tapes did not keep).
 */
export async function referenceSuccesses(
  task: string,
  { anyBody = false }: { anyBody?: boolean } = {},
): Promise<ReferenceCase[]> {
  return (await referenceCases(task)).filter((x) =>
    x.status >= 200 && x.status < 300 && (anyBody || x.responseBodyKind === "json")
  );
}

/** The real error answers of `task` (with the body exactly as recorded), hf-inference's unless told. */
export async function referenceErrors(
  task: string,
  selection: ReferenceSelection = {},
): Promise<ReferenceCase[]> {
  return (await referenceCases(task, selection)).filter((x) =>
    x.status >= 400 && typeof x.responseBodyRaw === "string"
  );
}

/**
 * The pieces of text an error body holds, for any envelope the router relays:
 * its `error` (a string, each string of a list, or an object's `message`),
 * else its `message`, else its `detail` (a string, or each `msg` of a list),
 * else the whole body. The service's message must contain each.
 */
export function errorTexts(raw: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return [raw.trim()];
  }
  const { error, message, detail } = (body ?? {}) as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof error === "string") return [error];
  if (Array.isArray(error)) return error.map(String);
  if (error && typeof error === "object") return [String((error as { message?: unknown }).message)];
  if (error === undefined && typeof message === "string") return [message];
  if (error === undefined && typeof detail === "string") return [detail];
  if (error === undefined && Array.isArray(detail)) {
    return detail.map((d) => String((d as { msg?: unknown }).msg));
  }
  return [raw.trim()];
}

/** A retry policy for tests: real retries, no real waiting. */
export const NO_WAIT = { sleep: () => Promise.resolve() };
