/**
 * The batch runner: one task helper over a JSONL file of inputs, at the speed
 * the service allows, written as it goes and resumable.
 *
 * How its retries compose with the transport's: a batch item's call is made
 * with the transport's own retries turned off (`maxAttempts: 1`), and the
 * runner retries instead, with the same classification (API.md: 429, 5xx and
 * network errors again and again, 503 and 424 a few times, 4xx never, 401,
 * 402 and 403 stop the batch) and the same waits (`Retry-After`, else full
 * jitter backoff). The wait happens outside the concurrency slot, and every
 * retry passes the rate gate again, so retries never exceed the rate and the
 * adaptive gate sees every 429 as it comes. A model that is not served
 * (`HfNotServedError`) stops the batch too: every item would fail the same way.
 *
 * The rate gate sits at the network edge (the `fetch` the transport calls),
 * so what is paced is what the service sees, mapping look-ups included, and a
 * replayed answer waits for nothing. Memory stays flat: the input is read a
 * line at a time and only as far ahead as the queue needs; the output is
 * appended a line at a time; what grows with the input is the set of ids seen
 * (for resume and duplicates).
 *
 * @module
 */

import PQueue from "p-queue";
import { HfApiError, HfNotServedError, HfWorkbookError, type RetryClass } from "../errors.ts";
import type { TaskOptions } from "../tasks/_run.ts";
import { sha256Hex, stableStringify } from "../transport/recordings.ts";
import { backoffDelay, resolveRetry, serverAskedDelay } from "../transport/retry.ts";
import {
  countLines,
  JsonlAppender,
  type NumberedLine,
  readFileLines,
  readLines,
  repairLastLine,
} from "./_jsonl.ts";
import { adaptiveRate, fixedRate, parseRate, type RateGate, type RateState } from "./_rate.ts";

/** One line of the input: `{"id"?, "inputs", "parameters"?}`. */
export interface BatchItem {
  /** The item's id; derived from a digest of `inputs` and `parameters` when absent. */
  id?: string | number;
  /** The task's input, as the task helper takes it. */
  inputs: unknown;
  /** The task's parameters for this item (over the batch's `parameters`). */
  parameters?: Record<string, unknown>;
}

/** One line of the output. */
export interface BatchResult {
  /** The item's id. */
  id: string;
  /** The task's output, when the item succeeded. */
  output?: unknown;
  /** What went wrong, when it failed. */
  error?: {
    /** The HTTP status, when the service answered. */
    status?: number;
    /** What went wrong, in one word (`validation`, `rate-limited`, `input`, ...). */
    kind: string;
    /** The service's message, or the input check's. */
    message: string;
  };
  /** How many requests the item took. */
  attempts: number;
  /** How long its last attempt took, in ms. */
  latency_ms: number;
}

/** A task helper: `(inputs, options) => output`, such as `summarization`. */
export type BatchTask<I, O> = (inputs: I, options: O) => Promise<unknown>;

/** The type of `parameters` in a task's options (`SummarizationParameters` for `SummarizationOptions`). */
export type ParametersOf<O> = O extends { parameters?: infer P } ? P : never;

/** An input line that cannot be an item. */
export interface BadLine {
  /** Its line number, from 1. */
  line: number;
  /** Why. */
  message: string;
}

/** How far a batch is, as {@linkcode BatchOptions.onProgress} is told. */
export interface BatchProgress {
  /** Non-blank input lines, when the input is a file (counted before the start). */
  total?: number;
  /** Items answered in this run. */
  done: number;
  /** Items that failed in this run (written with their error). */
  failed: number;
  /** Items skipped because the output already has them (resume) or because their id came twice. */
  skipped: number;
  /** Input lines that are not items. */
  badLines: number;
  /** Requests sent, retries included. */
  requests: number;
  /** Requests answered 429. */
  rateLimited: number;
  /** Time since the start, in ms. */
  elapsedMs: number;
  /** Items finished (done or failed) per second, in this run. */
  itemsPerSecond: number;
  /** The rate in force. */
  rate: RateState;
}

/** What a batch did: {@linkcode BatchProgress} at the end, and more. */
export interface BatchSummary extends BatchProgress {
  /** Items read that were neither skipped nor finished: left for the next run. */
  pending: number;
  /** Items whose id came twice in the input (the second one is skipped). */
  duplicates: number;
  /** Requests answered 503. */
  unavailable: number;
  /** Requests that were retries. */
  retries: number;
  /** The first bad lines (at most 20). */
  badLineSamples: BadLine[];
  /** Why the batch stopped before the end (401, 402, 403, a model that is not served, or an abort). */
  stopped?: {
    /** The HTTP status, when the service answered. */
    status?: number;
    /** What went wrong, in one word. */
    kind: string;
    /** The message. */
    message: string;
    /** What to do next. */
    hint: string;
  };
  /** Latency of the last attempt of finished items, in ms. */
  latency: { p50: number; p95: number; max: number };
}

/** Options of {@linkcode batch}. */
export interface BatchOptions<O = TaskOptions<unknown>>
  extends Omit<TaskOptions<unknown>, "signal" | "retry" | "parameters" | "fetch"> {
  /** The JSONL input: a path, or a byte stream (stdin). */
  input: string | URL | ReadableStream<Uint8Array>;
  /** The JSONL output (appended to; items already in it are skipped). */
  output: string | URL;
  /** Parameters for every item (an item's own `parameters` win, key by key). */
  parameters?: ParametersOf<O>;
  /** Replace the network edge only: the rate gate, the transport's modes and recordings still wrap it. */
  fetch?: typeof fetch;
  /** Requests in flight at once. @default {4} */
  concurrency?: number;
  /** Requests per second (a number, or text like `50/s`); without it the rate is found from the service's 429s. */
  rate?: number | string;
  /** Attempts per item for 429, 5xx and network errors. @default {5} */
  maxAttempts?: number;
  /** Attempts per item for 503 and 424 (which may be permanent). @default {3} */
  maxUnavailableAttempts?: number;
  /** Before starting, drop the failed items from the output so they are tried again. @default {false} */
  retryFailed?: boolean;
  /** Waits and timeouts: backoff steps, the longest `Retry-After` honoured, the per-attempt timeout, the sleep. */
  retry?: {
    /** The first backoff step, in ms. @default {1000} */
    baseDelayMs?: number;
    /** The largest backoff, in ms. @default {30000} */
    maxDelayMs?: number;
    /** The longest `Retry-After` honoured, in ms. @default {60000} */
    maxRetryAfterMs?: number;
    /** How long one attempt may take, in ms. @default {120000} */
    attemptTimeoutMs?: number;
    /** Sleep between attempts (tests). */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  };
  /** Stop the batch: items in flight are abandoned (and stay pending). */
  signal?: AbortSignal;
  /** Told after every finished item (and every bad line). */
  onProgress?: (progress: BatchProgress) => void;
  /** Told of every input line that is not an item. */
  onBadLine?: (bad: BadLine) => void;
  /** Told when the adaptive rate changes. */
  onRateChange?: (state: RateState, why: string) => void;
  /** Turn an output into JSON for the output file. @default {bytes and Blobs as `{type, base64}`} */
  serialize?: (output: unknown) => unknown | Promise<unknown>;
}

interface Pending {
  id: string;
  line: number;
  inputs: unknown;
  parameters?: Record<string, unknown>;
  attempts: number;
}

/**
 * Run `task` over every item of a JSONL file and append one line per finished
 * item to the output, as items finish. Re-running the same call resumes: ids
 * already in the output are skipped, so none is sent twice and none is lost.
 *
 * @example A batch of two texts (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { batch } from "./batch.ts";
 * import { summarization } from "../tasks/summarization.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/in.jsonl`, '{"id":"a","inputs":"first text"}\n{"id":"b","inputs":"second text"}\n');
 * const fakeHub = (url: string) =>
 *   url.includes("/api/models/")
 *     ? Response.json({ inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task: "summarization" } } })
 *     : Response.json([{ summary_text: "short" }]);
 * const summary = await batch(summarization, {
 *   input: `${dir}/in.jsonl`,
 *   output: `${dir}/out.jsonl`,
 *   model: "m/x",
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: (input) => Promise.resolve(fakeHub(String(input instanceof Request ? input.url : input))),
 * });
 * assert.equal(summary.done, 2);
 * const again = await batch(summarization, { input: `${dir}/in.jsonl`, output: `${dir}/out.jsonl`, mode: "replay" });
 * assert.equal(again.skipped, 2);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function batch<I, O extends object>(
  task: BatchTask<I, O>,
  options: BatchOptions<O>,
): Promise<BatchSummary> {
  const verb = "run the batch";
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `Cannot ${verb}: "concurrency" must be a whole number of at least 1, got ${concurrency}`,
    );
  }
  const maxAttempts = checkAttempts(options.maxAttempts ?? 5, "maxAttempts", verb);
  const maxUnavailableAttempts = checkAttempts(
    options.maxUnavailableAttempts ?? 3,
    "maxUnavailableAttempts",
    verb,
  );
  const rateValue = options.rate === undefined
    ? undefined
    : typeof options.rate === "string"
    ? parseRate(options.rate)
    : parseRate(String(options.rate));
  const retry = resolveRetry({ ...options.retry, maxAttempts: 1 });
  const gate: RateGate = rateValue === undefined
    ? adaptiveRate(options.onRateChange ? { onChange: options.onRateChange } : {})
    : fixedRate(rateValue);

  // Resume: what the output already holds.
  await repairLastLine(options.output);
  if (options.retryFailed) await dropFailed(options.output);
  const seen = await doneIds(options.output);
  const total = typeof options.input === "string" || options.input instanceof URL
    ? await countLines(options.input)
    : undefined;

  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const queue = new PQueue({ concurrency });
  const writer = await JsonlAppender.open(options.output);
  const started = performance.now();
  const summary: BatchSummary = {
    ...(total !== undefined ? { total } : {}),
    done: 0,
    failed: 0,
    skipped: 0,
    badLines: 0,
    requests: 0,
    rateLimited: 0,
    elapsedMs: 0,
    itemsPerSecond: 0,
    rate: gate.state(),
    pending: 0,
    duplicates: 0,
    unavailable: 0,
    retries: 0,
    badLineSamples: [],
    latency: { p50: 0, p95: 0, max: 0 },
  };
  const edge = options.fetch ?? globalThis.fetch;
  const serialize = options.serialize ?? defaultSerialize;
  const common = options.parameters as Record<string, unknown> | undefined;
  const taskOptions = {
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.accessToken !== undefined ? { accessToken: options.accessToken } : {}),
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
    ...(options.billTo !== undefined ? { billTo: options.billTo } : {}),
  };
  const latencies = new LatencyHistogram();
  let inFlight = 0;
  let allSettled: () => void = () => {};
  let fatal: { error: unknown } | undefined;

  const progress = () => {
    summary.elapsedMs = performance.now() - started;
    summary.itemsPerSecond = (summary.done + summary.failed) / Math.max(summary.elapsedMs / 1000, 1e-3);
    summary.rate = gate.state();
    options.onProgress?.({ ...summary });
  };

  const settle = (left: "finished" | "pending") => {
    if (left === "pending") summary.pending++;
    inFlight--;
    if (inFlight === 0) allSettled();
  };

  const finish = async (item: Pending, result: Omit<BatchResult, "id" | "attempts">) => {
    const { latency_ms, ...answer } = result;
    await writer.write({ id: item.id, ...answer, attempts: item.attempts, latency_ms });
    latencies.add(result.latency_ms);
    if (result.error) summary.failed++;
    else summary.done++;
    progress();
  };

  const stopAll = (error: HfWorkbookError) => {
    if (summary.stopped) return;
    summary.stopped = {
      ...(error instanceof HfApiError ? { status: error.status } : {}),
      kind: error.kind,
      message: error.message,
      hint: error.hint,
    };
    stop.abort(error);
  };

  const attempt = async (item: Pending): Promise<void> => {
    item.attempts++;
    if (item.attempts > 1) summary.retries++;
    let asked: number | undefined;
    let sentAt: number | undefined;
    // The rate gate sits at the network edge, right before each send: what is paced is what the service
    // sees (a replayed answer sends nothing and waits for nothing).
    const observed: typeof fetch = async (input, init) => {
      sentAt = await gate.acquire(signal);
      summary.requests++;
      const response = await edge(input, init);
      asked = serverAskedDelay(response.headers);
      return response;
    };
    const parameters = common === undefined && item.parameters === undefined
      ? undefined
      : { ...common, ...item.parameters };
    const t0 = performance.now();
    let output: unknown;
    try {
      output = await task(item.inputs as I, {
        ...taskOptions,
        ...(parameters ? { parameters } : {}),
        fetch: observed,
        signal,
        retry,
      } as unknown as O);
    } catch (error) {
      const latency_ms = Math.round(performance.now() - (sentAt ?? t0));
      if (signal.aborted) return settle("pending");
      const status = error instanceof HfApiError ? error.status : 0;
      if (status === 429) summary.rateLimited++;
      if (status === 503) summary.unavailable++;
      if (error instanceof HfApiError) {
        asked ??= serverAskedDelay(new Headers(), error.body);
        if (sentAt !== undefined) gate.answered(sentAt, status, asked);
      }
      const kind = classify(error);
      if (kind === "stop") {
        stopAll(error as HfWorkbookError);
        return settle("pending");
      }
      const limit = kind === "retry" ? maxAttempts : kind === "retry-few" ? maxUnavailableAttempts : 0;
      if (item.attempts < limit) {
        // Wait outside the concurrency slot, then queue again (through the rate gate).
        retry.sleep(backoffDelay(item.attempts, retry, asked), signal)
          .then(() => enqueue(item), () => settle("pending"));
        return;
      }
      await finish(item, { error: describeError(error), latency_ms });
      return settle("finished");
    }
    if (sentAt !== undefined) gate.answered(sentAt, 200);
    const latency_ms = Math.round(performance.now() - (sentAt ?? t0));
    await finish(item, { output: await serialize(output), latency_ms });
    settle("finished");
  };

  // The reader waits for room in the queue: a waiting item starting (or the queue cleared) wakes it. A plain
  // promise, where p-queue's onSizeLessThan() would make an AbortController, an abort and listeners per item.
  let wakeReader: (() => void) | undefined;
  const roomInQueue = () => {
    const wake = wakeReader;
    wakeReader = undefined;
    wake?.();
  };
  // Waiting items leave the queue when the batch stops; running ones see the signal themselves.
  signal.addEventListener("abort", () => {
    queue.clear();
    roomInQueue();
  }, { once: true });
  const enqueue = (item: Pending) => {
    if (signal.aborted) return settle("pending");
    queue.add(() => {
      roomInQueue();
      return attempt(item);
    }).catch((error) => {
      if (!signal.aborted) {
        fatal ??= { error };
        stop.abort(error);
        queue.clear();
      }
      settle("pending");
    });
  };

  const items = typeof options.input === "string" || options.input instanceof URL
    ? readFileLines(options.input)
    : readLines(options.input);
  try {
    for await (const line of items) {
      if (line.text.trim() === "") continue;
      const parsed = await parseItem(line);
      if ("message" in parsed) {
        summary.badLines++;
        if (summary.badLineSamples.length < 20) summary.badLineSamples.push(parsed);
        options.onBadLine?.(parsed);
        progress();
        continue;
      }
      if (seen.has(parsed.id)) {
        if (seen.get(parsed.id) === "this run") summary.duplicates++;
        summary.skipped++;
        continue;
      }
      seen.set(parsed.id, "this run");
      if (signal.aborted) {
        summary.pending++;
        continue;
      }
      inFlight++;
      enqueue(parsed);
      // Keep memory flat: read ahead only as far as the queue needs.
      while (queue.size >= concurrency) await new Promise<void>((resolve) => (wakeReader = resolve));
    }
    if (inFlight > 0) await new Promise<void>((resolve) => (allSettled = resolve));
  } finally {
    await writer.close();
  }
  if (fatal) throw fatal.error;
  summary.latency = latencies.summary();
  if (options.signal?.aborted && !summary.stopped) {
    summary.stopped = {
      kind: "aborted",
      message: "The batch was interrupted",
      hint: "Run the same command again to resume: finished items are skipped",
    };
  }
  progress();
  return { ...summary };
}

function checkAttempts(value: number, name: string, verb: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot ${verb}: "${name}" must be a whole number of at least 1, got ${value}`);
  }
  return value;
}

/** How the runner treats an error: retry, retry a few times, fail the item, or stop the batch. */
function classify(error: unknown): RetryClass {
  if (error instanceof HfNotServedError) return "stop";
  if (error instanceof HfWorkbookError) return error.retryClass;
  return "fail";
}

function describeError(error: unknown): NonNullable<BatchResult["error"]> {
  if (error instanceof HfApiError) {
    return { status: error.status, kind: error.kind, message: error.serviceMessage };
  }
  if (error instanceof HfWorkbookError) return { kind: error.kind, message: error.message };
  if (error instanceof TypeError || error instanceof RangeError) {
    return { kind: "input", message: error.message };
  }
  return { kind: "error", message: error instanceof Error ? error.message : String(error) };
}

/** Parse one input line into an item, or say why it is not one. */
async function parseItem({ line, text }: NumberedLine): Promise<Pending | BadLine> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, message: `not JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { line, message: 'an item must be a JSON object like {"inputs": ...}' };
  }
  const item = value as Record<string, unknown>;
  if (!("inputs" in item) || item.inputs === undefined || item.inputs === null) {
    return { line, message: 'the item has no "inputs"' };
  }
  if (item.id !== undefined && typeof item.id !== "string" && typeof item.id !== "number") {
    return { line, message: `"id" must be a string or a number, got ${typeof item.id}` };
  }
  if (typeof item.id === "string" && item.id.trim() === "") return { line, message: '"id" is blank' };
  const parameters = item.parameters;
  if (
    parameters !== undefined &&
    (parameters === null || typeof parameters !== "object" || Array.isArray(parameters))
  ) {
    return { line, message: '"parameters" must be an object' };
  }
  const id = item.id !== undefined ? String(item.id) : await itemDigest(item.inputs, parameters);
  return {
    id,
    line,
    inputs: item.inputs,
    ...(parameters ? { parameters: parameters as Record<string, unknown> } : {}),
    attempts: 0,
  };
}

/**
 * The id of an item without one: a digest of its `inputs` and `parameters`
 * (key order does not matter), so the same item gets the same id on every run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { itemDigest } from "./batch.ts";
 *
 * assert.equal(await itemDigest("text", { a: 1, b: 2 }), await itemDigest("text", { b: 2, a: 1 }));
 * assert.match(await itemDigest("text"), /^sha256-[0-9a-f]{16}$/);
 * ```
 */
export async function itemDigest(inputs: unknown, parameters?: unknown): Promise<string> {
  const canonical = stableStringify(parameters === undefined ? { inputs } : { inputs, parameters });
  return `sha256-${(await sha256Hex(new TextEncoder().encode(canonical))).slice(0, 16)}`;
}

/** The ids the output already has. */
async function doneIds(path: string | URL): Promise<Map<string, "before" | "this run">> {
  const ids = new Map<string, "before" | "this run">();
  try {
    for await (const { text } of readFileLines(path)) {
      const id = idOfLine(text);
      if (id !== undefined) ids.set(id, "before");
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return ids;
}

function idOfLine(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Rewrite the output without its failed items (streamed through a temporary file). */
async function dropFailed(path: string | URL): Promise<void> {
  const target = typeof path === "string" ? path : path.pathname;
  const temporary = `${target}.retry-failed.tmp`;
  let kept: JsonlAppender | undefined;
  try {
    await Deno.remove(temporary).catch(() => {});
    kept = await JsonlAppender.open(temporary);
    for await (const { text } of readFileLines(path)) {
      if (text.trim() === "") continue;
      let value: { error?: unknown };
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      if (value.error === undefined) await kept.write(value);
    }
  } catch (error) {
    await kept?.close();
    await Deno.remove(temporary).catch(() => {});
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  await kept.close();
  await Deno.rename(temporary, target);
}

async function defaultSerialize(output: unknown): Promise<unknown> {
  if (output instanceof Blob) {
    return { type: output.type, base64: toBase64(new Uint8Array(await output.arrayBuffer())) };
  }
  if (output instanceof Uint8Array) return { base64: toBase64(output) };
  return output;
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** Latencies in 1 ms steps up to a minute (longer ones count as a minute): fixed memory for any count. */
class LatencyHistogram {
  readonly #counts = new Uint32Array(60_001);
  #count = 0;
  #max = 0;

  add(ms: number): void {
    this.#counts[Math.min(60_000, Math.max(0, Math.round(ms)))]!++;
    this.#count++;
    this.#max = Math.max(this.#max, ms);
  }

  summary(): { p50: number; p95: number; max: number } {
    const at = (q: number) => {
      const rank = Math.max(1, Math.ceil(q * this.#count));
      let seen = 0;
      for (let ms = 0; ms < this.#counts.length; ms++) {
        seen += this.#counts[ms]!;
        if (seen >= rank) return ms;
      }
      return this.#max;
    };
    return this.#count === 0 ? { p50: 0, p95: 0, max: 0 } : { p50: at(0.5), p95: at(0.95), max: this.#max };
  }
}
