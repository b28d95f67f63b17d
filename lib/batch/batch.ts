/**
 * The batch runner: one task helper over a JSONL file of inputs, at the speed
 * the service allows, written as it goes and resumable.
 *
 * Its parts, with their state in one {@linkcode BatchRun}: a reader (input
 * lines into items, only as far ahead as the workers need), a rate gate at
 * the network edge (lib/batch/_rate.ts: every request leaves through it,
 * mapping look-ups included, and reports its answer to it), `concurrency`
 * workers (one item, one request at a time), a writer (one output line per
 * finished item, appended as it finishes) and the summary.
 *
 * How an item's failures are treated (the transport's own retries are off in
 * a batch, `maxAttempts: 1`; the runner retries, with the same classes and
 * waits, outside the worker's slot and through the gate again):
 *
 * - a 429 never fails an item: it goes back in the queue after the wait the
 *   service asked for, and the gate leaves more room or slows (see
 *   `_rate.ts`); a `Retry-After` longer than
 *   `retry.maxRetryAfterMs` stops the batch (resume later);
 * - 5xx and network errors are tried `retry.maxAttempts` times in all, 503 and
 *   424 `retry.maxUnavailableAttempts` times; then the item is written failed;
 * - an error the same request meets again (a bad input, 400, 404, 422) fails
 *   the item at once;
 * - 401, 402, 403, a model nobody serves, a host that does not exist and a
 *   permission the Deno sandbox refuses stop the batch: every item would fail
 *   the same way. The rest stays pending for the next run.
 *
 * Resume: ids already in the output are skipped; failed items whose error
 * could pass (5xx, network, timeout, 429) are dropped from the output first
 * and tried again; `retryFailed` tries every failed item again.
 *
 * @module
 */

import { HfApiError, HfNetworkError, HfNotServedError, HfWorkbookError, type RetryClass } from "../errors.ts";
import type { TaskOptions } from "../tasks/_run.ts";
import { isHubLookup } from "../provenance.ts";
import { checkNumber } from "../tasks/_check.ts";
import {
  attemptsFor,
  backoffDelay,
  type ResolvedRetry,
  resolveRetry,
  type RetryOptions,
  serverAskedDelay,
} from "../transport/retry.ts";
import { type BadLine, parseItem, type Pending } from "./_items.ts";
import { countLines, JsonlAppender, readFileLines, readLines, repairLastLine } from "./_jsonl.ts";
import { defaultSerialize, LatencyHistogram, type OutputState, prepareOutput } from "./_output.ts";
import { createRateGate, parseRate, type RateGate, type RateState } from "./_rate.ts";

export { type BadLine, itemDigest } from "./_items.ts";

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
    /** What went wrong, in one word (`validation`, `server`, `input`, ...). */
    kind: string;
    /** The service's message, or the input check's. */
    message: string;
  };
  /** How many requests the item took, 429s included. */
  attempts: number;
  /** How long its last attempt took, in ms. */
  latency_ms: number;
}

/** A task helper: `(inputs, options) => output`, such as `summarization`. */
export type BatchTask<I, O> = (inputs: I, options: O) => Promise<unknown>;

/** The type of `parameters` in a task's options (`SummarizationParameters` for `SummarizationOptions`). */
export type ParametersOf<O> = O extends { parameters?: infer P } ? P : never;

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
  /** Items of the output that stand failed now (failed for good in an earlier run, or in this one). */
  failedInOutput: number;
  /** The first ids of those (at most 10), earlier runs' first. */
  failedIds: string[];
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
  /** Requests per second at most (a number, or text like `50/s`); without it the rate is found from the service's 429s. */
  rate?: number | string;
  /** Requests that may leave back to back after a quiet spell. @default {1} */
  burst?: number;
  /** @deprecated Use `retry.maxAttempts`. */
  maxAttempts?: number;
  /** @deprecated Use `retry.maxUnavailableAttempts`. */
  maxUnavailableAttempts?: number;
  /** Before starting, drop every failed item from the output so it is tried again (not only those whose error could pass). @default {false} */
  retryFailed?: boolean;
  /** Attempts, waits and timeouts per item, as for a single call (the same defaults). */
  retry?: RetryOptions;
  /** Stop the batch: items in flight are abandoned (and stay pending). */
  signal?: AbortSignal;
  /** Told after every finished item (and every bad line). */
  onProgress?: (progress: BatchProgress) => void;
  /** Told of every input line that is not an item. */
  onBadLine?: (bad: BadLine) => void;
  /** Told when the rate changes. */
  onRateChange?: (state: RateState, why: string) => void;
  /** Turn an output into JSON for the output file. When not given: bytes and Blobs as `{type, base64}`. */
  serialize?: (output: unknown) => unknown | Promise<unknown>;
}

/** The keys of {@linkcode BatchOptions} that are the batch's own, not passed on to the task. */
const BATCH_KEYS = [
  "input",
  "output",
  "parameters",
  "fetch",
  "concurrency",
  "rate",
  "burst",
  "maxAttempts",
  "maxUnavailableAttempts",
  "retryFailed",
  "retry",
  "signal",
  "onProgress",
  "onBadLine",
  "onRateChange",
  "serialize",
] as const;

/**
 * Run `task` over every item of a JSONL file and append one line per finished
 * item to the output, as items finish. Re-running the same call resumes: ids
 * already in the output are skipped, so none is sent twice and none is lost.
 *
 * @example A batch of two texts (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { batch } from "@hf-workbook/workbook/batch";
 * import { summarization } from "@hf-workbook/workbook";
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
 *
 * @throws {RangeError} when `concurrency`, `rate`, `burst` or a `retry` figure is out of range.
 */
export async function batch<I, O extends object>(
  task: BatchTask<I, O>,
  options: BatchOptions<O>,
): Promise<BatchSummary> {
  const run = await BatchRun.open(task as BatchTask<unknown, unknown>, options as BatchOptions);
  return await run.run();
}

/** What the run's parts share: the resolved options, the queue, the counts. */
class BatchRun {
  readonly #task: BatchTask<unknown, unknown>;
  readonly #options: BatchOptions;
  readonly #concurrency: number;
  readonly #retry: ResolvedRetry;
  readonly #gate: RateGate;
  readonly #taskOptions: Record<string, unknown>;
  readonly #output: OutputState;
  readonly #writer: JsonlAppender;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  readonly #latencies = new LatencyHistogram();
  readonly #started = performance.now();
  readonly #summary: BatchSummary;
  /** Items ready to be sent, retries among them. */
  readonly #ready: Pending[] = [];
  /** Workers and the reader waiting for something to change. */
  #waiters: (() => void)[] = [];
  #accepted = 0;
  #sleeping = 0;
  #active = 0;
  #readerDone = false;
  #fatal: { error: unknown } | undefined;

  private constructor(
    task: BatchTask<unknown, unknown>,
    options: BatchOptions,
    checked: { concurrency: number; retry: ResolvedRetry; gate: RateGate },
    output: OutputState,
    writer: JsonlAppender,
    total: number | undefined,
  ) {
    this.#task = task;
    this.#options = options;
    ({ concurrency: this.#concurrency, retry: this.#retry, gate: this.#gate } = checked);
    this.#output = output;
    this.#writer = writer;
    this.#signal = options.signal ? AbortSignal.any([options.signal, this.#stop.signal]) : this.#stop.signal;
    this.#taskOptions = Object.fromEntries(
      Object.entries(options).filter(([key]) => !(BATCH_KEYS as readonly string[]).includes(key)),
    );
    this.#summary = emptySummary(total, this.#gate.state(), output);
    this.#signal.addEventListener("abort", () => this.#notify(), { once: true });
  }

  /** Check the options, prepare the output for resume, open the writer. */
  static async open(task: BatchTask<unknown, unknown>, options: BatchOptions): Promise<BatchRun> {
    const checked = checkOptions(options);
    await repairLastLine(options.output);
    const output = await prepareOutput(options.output, options.retryFailed ?? false);
    const total = typeof options.input === "string" || options.input instanceof URL
      ? await countLines(options.input)
      : undefined;
    const writer = await JsonlAppender.open(options.output);
    return new BatchRun(task, options, checked, output, writer, total);
  }

  /** Read, send and write until every item is finished (or the batch stops). */
  async run(): Promise<BatchSummary> {
    const workers = Array.from({ length: this.#concurrency }, () => this.#work());
    try {
      await this.#read();
      this.#readerDone = true;
      this.#notify();
      await Promise.all(workers);
    } finally {
      this.#stop.abort(); // wakes whatever still waits
      await this.#writer.close();
    }
    if (this.#fatal) throw this.#fatal.error;
    return this.#finish();
  }

  // --- the reader -----------------------------------------------------------------------------------------

  async #read(): Promise<void> {
    const input = this.#options.input;
    const lines = typeof input === "string" || input instanceof URL ? readFileLines(input) : readLines(input);
    for await (const line of lines) {
      if (line.text.trim() === "") continue;
      if (this.#signal.aborted) {
        this.#summary.pending++;
        continue;
      }
      this.#accept(await parseItem(line));
      // Keep memory flat: read ahead only as far as the workers need.
      while (this.#ready.length >= this.#concurrency && !this.#signal.aborted) await this.#changed();
    }
  }

  #accept(parsed: Pending | BadLine): void {
    const s = this.#summary;
    if ("message" in parsed) {
      s.badLines++;
      if (s.badLineSamples.length < 20) s.badLineSamples.push(parsed);
      this.#options.onBadLine?.(parsed);
      this.#progress();
      return;
    }
    const seen = this.#output.ids.get(parsed.id);
    if (seen !== undefined) {
      if (seen === "this run") s.duplicates++;
      s.skipped++;
      return;
    }
    this.#output.ids.set(parsed.id, "this run");
    this.#accepted++;
    this.#ready.push(parsed);
    this.#notify();
  }

  // --- the workers ----------------------------------------------------------------------------------------

  async #work(): Promise<void> {
    for (;;) {
      const item = await this.#take();
      if (item === undefined) return;
      this.#active++;
      try {
        await this.#attempt(item);
      } catch (error) {
        // A failure of the runner itself (the output cannot be written, a serializer threw): stop everything.
        if (!this.#signal.aborted) {
          this.#fatal ??= { error };
          this.#stop.abort(error);
        }
      } finally {
        this.#active--;
        this.#notify();
      }
    }
  }

  /** The next item to send, or `undefined` when there will be none. */
  async #take(): Promise<Pending | undefined> {
    for (;;) {
      if (this.#signal.aborted) return undefined;
      const item = this.#ready.shift();
      if (item !== undefined) {
        this.#notify(); // room for the reader
        return item;
      }
      if (this.#readerDone && this.#sleeping === 0 && this.#active === 0) return undefined;
      await this.#changed();
    }
  }

  /** One request for `item`, and what follows from its answer. */
  async #attempt(item: Pending): Promise<void> {
    item.attempts++;
    if (item.attempts > 1) this.#summary.retries++;
    const exchange: Exchange = {};
    const t0 = performance.now();
    let output: unknown;
    try {
      output = await this.#task(item.inputs, this.#callOptions(item, exchange));
    } catch (error) {
      if (this.#signal.aborted) return;
      const latency_ms = Math.round(performance.now() - (exchange.sentAt ?? t0));
      return await this.#failed(item, error, exchange, latency_ms);
    }
    const latency_ms = Math.round(performance.now() - (exchange.sentAt ?? t0));
    const serialize = this.#options.serialize ?? defaultSerialize;
    await this.#write(item, { output: await serialize(output), latency_ms });
  }

  /** The task's options for one attempt: the network edge goes through the gate and reports to it. */
  #callOptions(item: Pending, exchange: Exchange): unknown {
    const common = this.#options.parameters as Record<string, unknown> | undefined;
    const parameters = common === undefined && item.parameters === undefined
      ? undefined
      : { ...common, ...item.parameters };
    return {
      ...this.#taskOptions,
      ...(parameters ? { parameters } : {}),
      fetch: this.#edge(exchange),
      signal: this.#signal,
      retry: { ...this.#options.retry, ...this.#retry, maxAttempts: 1 },
    };
  }

  /**
   * The `fetch` the transport calls: the rate gate right before each send, the answer reported to it. A Hub
   * look-up (the model's provider mapping, asked once per model by the first items) is another service with
   * limits of its own: it is counted but not paced, so it takes no inference request's place at the gate.
   */
  #edge(exchange: Exchange): typeof fetch {
    const edge = this.#options.fetch ?? globalThis.fetch;
    return async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (isHubLookup(url)) {
        this.#summary.requests++;
        return await edge(input, init);
      }
      const sentAt = await this.#gate.acquire(this.#signal);
      exchange.sentAt = sentAt;
      this.#summary.requests++;
      let response: Response;
      try {
        response = await edge(input, init);
      } catch (error) {
        this.#gate.answered(sentAt, 0);
        throw error;
      }
      exchange.asked = serverAskedDelay(response.headers);
      if (response.status === 429) this.#summary.rateLimited++;
      if (response.status === 503) this.#summary.unavailable++;
      this.#gate.answered(sentAt, response.status, exchange.asked);
      return response;
    };
  }

  /** An attempt failed: try again later, fail the item, or stop the batch. */
  async #failed(item: Pending, error: unknown, exchange: Exchange, latency_ms: number): Promise<void> {
    const asked = exchange.asked ??
      (error instanceof HfApiError ? serverAskedDelay(new Headers(), error.body) : undefined);
    if (error instanceof HfApiError && error.status === 429) {
      item.rateLimited++;
      if (asked !== undefined && asked > this.#retry.maxRetryAfterMs) return this.#stopAll(quotaStop(asked));
      // Never a failure: back in the queue after the wait asked for (or a backoff), and the gate has slowed.
      return this.#later(item, backoffDelay(Math.min(item.rateLimited, 6), this.#retry, asked));
    }
    const treat = classify(error);
    if (treat === "stop") return this.#stopAll(error as HfWorkbookError);
    if (treat === "retry" || treat === "retry-few") {
      item.failures++;
      if (treat === "retry-few") item.unavailable++;
      const more = item.failures < attemptsFor("retry", this.#retry) &&
        (treat === "retry" || item.unavailable < attemptsFor("retry-few", this.#retry));
      if (more) {
        return this.#later(item, backoffDelay(item.failures, this.#retry, asked));
      }
    }
    await this.#write(item, { error: describeError(error), latency_ms });
  }

  /** Send `item` again after `delayMs`, outside any worker's slot. */
  #later(item: Pending, delayMs: number): void {
    this.#sleeping++;
    this.#retry.sleep(delayMs, this.#signal).then(
      () => this.#ready.unshift(item), // first in line: it has waited already
      () => {}, // stopped: it stays pending
    ).finally(() => {
      this.#sleeping--;
      this.#notify();
    });
  }

  #stopAll(error: HfWorkbookError | NonNullable<BatchSummary["stopped"]>): void {
    if (this.#summary.stopped) return;
    this.#summary.stopped = error instanceof HfWorkbookError
      ? {
        ...(error instanceof HfApiError ? { status: error.status } : {}),
        kind: error.kind,
        message: error.message,
        hint: error.hint,
      }
      : error;
    this.#stop.abort(error);
  }

  // --- the writer and the summary -------------------------------------------------------------------------

  async #write(item: Pending, result: Omit<BatchResult, "id" | "attempts">): Promise<void> {
    const { latency_ms, ...answer } = result;
    await this.#writer.write({ id: item.id, ...answer, attempts: item.attempts, latency_ms });
    this.#latencies.add(latency_ms);
    if (result.error) {
      this.#summary.failed++;
      this.#summary.failedInOutput++;
      if (this.#summary.failedIds.length < 10) this.#summary.failedIds.push(item.id);
    } else this.#summary.done++;
    this.#progress();
  }

  #progress(): void {
    const s = this.#summary;
    s.elapsedMs = performance.now() - this.#started;
    s.itemsPerSecond = (s.done + s.failed) / Math.max(s.elapsedMs / 1000, 1e-3);
    s.rate = this.#gate.state();
    this.#options.onProgress?.({ ...s });
  }

  #finish(): BatchSummary {
    const s = this.#summary;
    s.pending += this.#accepted - s.done - s.failed;
    s.latency = this.#latencies.summary();
    if (this.#options.signal?.aborted && !s.stopped) {
      s.stopped = {
        kind: "aborted",
        message: "The batch was interrupted",
        hint: "Run the same command again to resume: finished items are skipped",
      };
    }
    this.#progress();
    return { ...s, failedIds: [...s.failedIds], badLineSamples: [...s.badLineSamples] };
  }

  // --- waiting for a change -------------------------------------------------------------------------------

  /** Resolves at the next change: an item ready, finished or back from its wait, the reader done, a stop. */
  #changed(): Promise<void> {
    if (this.#signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** What the edge saw of an attempt's last request. */
interface Exchange {
  sentAt?: number;
  asked?: number;
}

function checkOptions(options: BatchOptions): { concurrency: number; retry: ResolvedRetry; gate: RateGate } {
  const concurrency = options.concurrency ?? 4;
  checkNumber(concurrency, "concurrency", "run the batch", { min: 1, integer: true });
  const retry = resolveRetry({
    ...options.retry,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.maxUnavailableAttempts !== undefined
      ? { maxUnavailableAttempts: options.maxUnavailableAttempts }
      : {}),
  });
  const rate = options.rate === undefined ? undefined : parseRate(String(options.rate));
  const gate = createRateGate({
    ...(rate !== undefined ? { rate } : {}),
    ...(options.burst !== undefined ? { burst: options.burst } : {}),
    ...(options.onRateChange ? { onChange: options.onRateChange } : {}),
  });
  return { concurrency, retry, gate };
}

function emptySummary(total: number | undefined, rate: RateState, output: OutputState): BatchSummary {
  return {
    ...(total !== undefined ? { total } : {}),
    done: 0,
    failed: 0,
    skipped: 0,
    badLines: 0,
    requests: 0,
    rateLimited: 0,
    elapsedMs: 0,
    itemsPerSecond: 0,
    rate,
    pending: 0,
    duplicates: 0,
    unavailable: 0,
    retries: 0,
    failedInOutput: output.failedBefore,
    failedIds: [...output.failedIds],
    badLineSamples: [],
    latency: { p50: 0, p95: 0, max: 0 },
  };
}

/** The stop of a batch whose service asks for a longer wait than a batch waits (a quota used up). */
function quotaStop(askedMs: number): NonNullable<BatchSummary["stopped"]> {
  return {
    status: 429,
    kind: "rate-limited",
    message:
      `The service asks to wait ${Math.round(askedMs / 1000)} s (Retry-After) before the next request: ` +
      "a quota is used up",
    hint: "Run the same command again after that wait to resume: finished items are skipped",
  };
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
  // The attempts are the item's own (in its line), not the transport's single one.
  if (error instanceof HfNetworkError) return { kind: error.kind, message: error.detail };
  if (error instanceof HfWorkbookError) return { kind: error.kind, message: error.message };
  if (error instanceof TypeError || error instanceof RangeError) {
    return { kind: "input", message: error.message };
  }
  return { kind: "error", message: error instanceof Error ? error.message : String(error) };
}
