/**
 * Shared test helpers: a fetch that counts (and refuses) requests, a fetch to a
 * closed port, a sleep that records its delays, environment changes that are
 * undone, temporary recordings folders, and the reference recordings of
 * ../shared when they are there.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** A token-shaped fake, built at run time so no token-shaped literal sits in the repository. */
export const FAKE_TOKEN: string = "hf_" + "a".repeat(34);

/** The repository's root folder, as a path. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/** The workbook's recordings folder, as a path. */
export const RECORDINGS: string = fileURLToPath(new URL("../recordings/", import.meta.url));

/** A request an injected fetch saw. */
export interface SeenCall {
  /** The method. */
  method: string;
  /** The URL. */
  url: string;
  /** The request's headers. */
  headers: Headers;
  /** The body as text (empty for none). */
  body: string;
}

/** A fetch that records every call and answers with `answer`, or rejects when there is none. */
export interface CountingFetch {
  /** Inject this. */
  fetch: typeof fetch;
  /** Every call, in order. */
  calls: SeenCall[];
}

/**
 * A fetch that records every call; without `answer` it rejects (proof that no
 * request reaches the network).
 */
export function countingFetch(
  answer?: (call: SeenCall) => Response | Promise<Response>,
): CountingFetch {
  const calls: SeenCall[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const call: SeenCall = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body ? await request.text() : "",
    };
    calls.push(call);
    if (!answer) throw new Error(`the network must not be reached: ${call.method} ${call.url}`);
    return await answer(call);
  };
  return { fetch, calls };
}

/** A sleep that returns at once and records the delays it was asked for. */
export function recordingSleep(): {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  delays: number[];
} {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms: number, signal?: AbortSignal) => {
      delays.push(ms);
      signal?.throwIfAborted();
      return Promise.resolve();
    },
  };
}

/** A localhost port nothing listens on (it was open a moment ago, then closed). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A fetch that sends every request to 127.0.0.1:`port` (keeping path and query), counting attempts. */
export function fetchToPort(port: number): { fetch: typeof fetch; attempts: () => number } {
  let attempts = 0;
  return {
    attempts: () => attempts,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      attempts++;
      const url = new URL(input instanceof Request ? input.url : String(input));
      return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
    },
  };
}

/**
 * Run `fn` with environment variables set (a string) or removed (`undefined`),
 * then put every one of them back as it was.
 */
export async function withEnv<T>(
  vars: Record<string, string | undefined>,
  fn: () => T | Promise<T>,
): Promise<T> {
  const before = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    before.set(name, Deno.env.get(name));
    if (value === undefined) Deno.env.delete(name);
    else Deno.env.set(name, value);
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of before) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

/** Variables that could hand a real token or mode to a test: clear them to test defaults. */
export const CLEAN_ENV: Record<string, undefined | string> = {
  HF_TOKEN: undefined,
  HF_MODE: undefined,
  HF_RECORDINGS_DIR: undefined,
  HF_WORKBOOK_NO_DOTENV: "1",
};

/** A temporary folder (optionally a copy of recordings/), removed on dispose. */
export async function tempDir(
  options: { copyRecordings?: boolean } = {},
): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "hf_workbook_test_" });
  if (options.copyRecordings) {
    for await (const entry of Deno.readDir(RECORDINGS)) {
      if (entry.isFile) await Deno.copyFile(`${RECORDINGS}/${entry.name}`, `${dir}/${entry.name}`);
    }
  }
  return {
    dir,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Every file in `dir` (not recursive), name → text. */
export async function readFolder(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) out.set(entry.name, await Deno.readTextFile(`${dir}/${entry.name}`));
  }
  return out;
}

/** One interaction of ../shared/reference/hf-recorded (the fields the tests read). */
export interface ReferenceInteraction {
  /** Inference task. */
  task: string;
  /** Model id. */
  model?: string;
  /** `hf-inference`, `hub-api` or a third-party provider. */
  provider?: string;
  /** URL family. */
  endpoint?: string;
  /** Method. */
  method: string;
  /** URL. */
  url: string;
  /** Status. */
  status: number;
  /** A safe subset of the response headers. */
  headers: Record<string, string>;
  /** `json`, `sse`, `text`, `binary` or `omitted`. */
  responseBodyKind?: string;
  /** The body (parsed when JSON). */
  responseBody?: unknown;
  /** For error statuses: the body exactly as recorded. */
  responseBodyRaw?: string;
}

const REFERENCE = new URL("../../shared/reference/", import.meta.url);

/** Whether ../shared/reference is there (tests that read it are ignored when it is not). */
export const HAS_REFERENCE: boolean = (() => {
  try {
    return Deno.statSync(new URL("hf-recorded/interactions.json", REFERENCE)).isFile;
  } catch {
    return false;
  }
})();

/** A file of ../shared/reference/hf-recorded, parsed. */
export async function referenceInteractions(
  name: "interactions.json" | "hub_cassettes.json",
): Promise<ReferenceInteraction[]> {
  return JSON.parse(await Deno.readTextFile(new URL(`hf-recorded/${name}`, REFERENCE)));
}

/** ../shared/reference/API.md as text. */
export async function referenceApiDoc(): Promise<string> {
  return await Deno.readTextFile(new URL("API.md", REFERENCE));
}

let modelCount = 0;

/**
 * A model id no other test of this process uses: `@huggingface/inference`
 * caches the provider mapping per model per process, so a test that counts
 * requests needs its own model.
 */
export function uniqueModel(name = "model"): string {
  return `test-org/${name}-${++modelCount}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Milliseconds `fn` took, with its result or error. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - start, result };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

/** The requests a fake server saw whose path ends with `suffix` (e.g. a model's task calls). */
export function requestsTo(
  requests: readonly { method: string; path: string }[],
  suffix: string,
  method = "POST",
): number {
  return requests.filter((r) => r.method === method && r.path.endsWith(suffix)).length;
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error("expected a rejection, got a result");
}
