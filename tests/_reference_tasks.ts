/**
 * Test helpers for the text task helpers: a counting fetch that also answers
 * the Hub's provider-mapping look-up, the real hf-inference answers of
 * ../shared/reference/hf-recorded for one task, and what the service's
 * message in a real error body is.
 *
 * @module
 */

import {
  type CountingFetch,
  countingFetch,
  type ReferenceInteraction,
  referenceInteractions,
} from "./_helpers.ts";

/** The Hub's answer to a provider-mapping look-up: hf-inference serves `model` for `task`. */
export function mappingAnswer(url: string, task: string): Response {
  const id = decodeURIComponent(new URL(url).pathname.replace(/^\/api\/models\//, ""));
  return Response.json({
    id,
    inferenceProviderMapping: { "hf-inference": { status: "live", providerId: id, task } },
  });
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

/** A real hf-inference interaction of one task, from both reference files. */
export interface ReferenceCase extends ReferenceInteraction {
  /** The request body as recorded (`null` when the tape did not keep it). */
  requestBody?: unknown;
  /** Which file it comes from, and its index there. */
  where: string;
}

/** Every hf-inference interaction of `task` in ../shared/reference/hf-recorded (both files). */
export async function referenceCases(task: string): Promise<ReferenceCase[]> {
  const out: ReferenceCase[] = [];
  for (const name of ["interactions.json", "hub_cassettes.json"] as const) {
    (await referenceInteractions(name)).forEach((x, i) => {
      if (x.task === task && x.provider === "hf-inference") out.push({ ...x, where: `${name}#${i}` });
    });
  }
  return out;
}

/** The real successful JSON answers of `task`. */
export async function referenceSuccesses(task: string): Promise<ReferenceCase[]> {
  return (await referenceCases(task)).filter((x) =>
    x.status >= 200 && x.status < 300 && x.responseBodyKind === "json"
  );
}

/** The real error answers of `task` (with the body exactly as recorded). */
export async function referenceErrors(task: string): Promise<ReferenceCase[]> {
  return (await referenceCases(task)).filter((x) => x.status >= 400 && typeof x.responseBodyRaw === "string");
}

/**
 * The pieces of text an error body's `error` holds (a string, each string of a
 * list, or an object's `message`): the service's message must contain each.
 */
export function errorTexts(raw: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return [raw.trim()];
  }
  const error = (body as { error?: unknown }).error;
  if (typeof error === "string") return [error];
  if (Array.isArray(error)) return error.map(String);
  if (error && typeof error === "object") return [String((error as { message?: unknown }).message)];
  return [raw.trim()];
}

/** A retry policy for tests: real retries, no real waiting. */
export const NO_WAIT = { sleep: () => Promise.resolve() };
