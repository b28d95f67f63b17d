/**
 * `hf batch <task> --input in.jsonl --output out.jsonl`: the batch runner from
 * the shell, with a progress display and a summary that names the failed
 * ids. Ctrl-C stops it the same clean way however it was started: the
 * summary, the resume hint, the terminal restored, exit 130.
 *
 * @module
 */

import { batch, type BatchSummary } from "../batch/batch.ts";
import type { ModeInfo } from "../transport/mode.ts";
import type { TaskOptions } from "../tasks/_run.ts";
import { nearest } from "../tasks/_spec.ts";
import { checkInputFile, checkOutputFile, readTextFile } from "./_files.ts";
import { interruptOnSigint } from "./_interrupt.ts";
import { announceMode, type CallFlags, checkCallFlags, parametersOf } from "./_options.ts";
import { ExitCode } from "./exit.ts";
import { type CliIo, red, yellow } from "./io.ts";
import { UsageError } from "./params.ts";
import type { ProgressStyle } from "./program.ts";
import { progressDisplay } from "./progress.ts";
import { ENTRIES, findEntry, withContract } from "./_entries.ts";
import type { TaskEntry } from "./tasks.ts";

/** What the batch command was given. */
export interface BatchCommandOptions {
  /** The input file, or `-` for stdin. */
  input: string;
  /** The output file. */
  output: string;
  /** Parameters for every item. */
  parameters?: Record<string, unknown>;
  /** Parameters beyond the spec for every item. */
  extraParameters?: Record<string, unknown>;
  /** Requests in flight. */
  concurrency?: number;
  /** `--rate`. */
  rate?: string;
  /** `--burst`: requests that may leave back to back after a quiet spell. */
  burst?: number;
  /** Attempts for retryable errors. */
  maxAttempts?: number;
  /** Drop every failed item from the output first. */
  retryFailed?: boolean;
  /** The model. */
  model?: string;
  /** The provider. */
  provider?: string;
  /** A dedicated endpoint. */
  endpoint?: string;
  /** Bill the calls to an organisation. */
  billTo?: string;
  /** How progress is shown. */
  progress: ProgressStyle;
  /** How often plain progress lines are written, in ms. */
  progressIntervalMs?: number;
  /** The summary as JSON on stdout. */
  json?: boolean;
  /** Stop the batch (Ctrl-C). */
  signal?: AbortSignal;
}

/** The flags of `hf batch`. */
interface BatchFlags extends CallFlags {
  input: string;
  output: string;
  concurrency: number;
  rate?: string;
  burst?: number;
  maxAttempts?: number;
  retryFailed?: boolean;
  progress: ProgressStyle;
  json?: boolean;
}

/**
 * `hf batch <task>`: check the flags and files, run, say the summary; throws the exit code.
 *
 * @throws {UsageError} When the flags are malformed.
 * @throws {ExitCode} When the batch fails: the exit code to end with.
 */
export async function batchAction(taskName: string, flags: BatchFlags, io: CliIo): Promise<void> {
  const found = findEntry(ENTRIES, taskName);
  if (!found) {
    const names = ENTRIES.map((t) => t.name);
    const guess = nearest(taskName, names);
    throw new UsageError(
      `unknown task "${taskName}"${guess ? `: did you mean ${guess}?` : ""} (known: ${names.join(", ")})`,
    );
  }
  const entry = await withContract(found); // its own contract only, not the registry's
  await checkCallFlags(flags);
  const { parameters, extraParameters } = parametersOf(entry, flags);
  if (flags.rate !== undefined) await checkRate(flags.rate);
  await checkFiles(flags.input, flags.output);
  const info = announceMode(flags.mode, io, flags.quiet);
  let display: { stop(): void } | undefined;
  using interrupt = interruptOnSigint(io, () => display?.stop());
  const { mode: _m, quiet, param: _p, extra: _e, endpoint, ...rest } = flags;
  const code = await runBatchCommand(
    entry,
    {
      ...rest,
      ...(endpoint !== undefined ? { endpoint } : {}),
      progress: quiet ? "none" : flags.progress,
      parameters,
      extraParameters,
      signal: interrupt.signal,
    },
    info,
    io,
    (shown) => display = shown,
  );
  if (interrupt.interrupted) throw new ExitCode(130);
  if (code !== 0) throw new ExitCode(code);
}

async function checkRate(rate: string): Promise<void> {
  const { parseRate } = await import("../batch/_rate.ts");
  try {
    parseRate(rate);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

async function checkFiles(input: string, output: string): Promise<void> {
  if (input !== "-" && input === output) throw new UsageError("--input and --output must be different files");
  if (input !== "-") await checkInputFile(input);
  await checkOutputFile(output, { append: true });
}

/** The batch options for the runner. */
function runnerOptions(options: BatchCommandOptions, info: ModeInfo, io: CliIo) {
  const o = options;
  return {
    input: o.input === "-" ? io.stdin() : o.input,
    output: o.output,
    mode: info.mode,
    ...(info.token ? { accessToken: info.token } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(o.parameters && Object.keys(o.parameters).length > 0 ? { parameters: o.parameters } : {}),
    ...(o.extraParameters && Object.keys(o.extraParameters).length > 0
      ? { extraParameters: o.extraParameters }
      : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    ...(o.rate !== undefined ? { rate: o.rate } : {}),
    ...(o.burst !== undefined ? { burst: o.burst } : {}),
    ...(o.maxAttempts !== undefined ? { retry: { maxAttempts: o.maxAttempts } } : {}),
    ...(o.retryFailed ? { retryFailed: true } : {}),
    ...(o.model !== undefined ? { model: o.model } : {}),
    ...(o.provider !== undefined ? { provider: o.provider as TaskOptions<unknown>["provider"] } : {}),
    ...(o.endpoint !== undefined ? { endpointUrl: o.endpoint } : {}),
    ...(o.billTo !== undefined ? { billTo: o.billTo } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

/** Run a batch for `entry`; returns the exit code (0 when every item is done). */
export async function runBatchCommand(
  entry: TaskEntry,
  options: BatchCommandOptions,
  info: ModeInfo,
  io: CliIo,
  shown: (display: { stop(): void }) => void = () => {},
): Promise<number> {
  const display = await progressDisplay(io, options.progress, {
    ...(options.progressIntervalMs !== undefined ? { lineIntervalMs: options.progressIntervalMs } : {}),
  });
  shown(display);
  const base = runnerOptions(options, info, io);
  let summary: BatchSummary;
  try {
    summary = await batch<unknown, TaskOptions<Record<string, unknown>>>(
      (inputs, taskOptions) => entry.run(fromJsonl(entry, inputs), taskOptions ?? {}),
      {
        ...base,
        onProgress: (progress) => display.update(progress),
        onBadLine: (bad) => display.log(`line ${bad.line}: skipped, ${bad.message}`),
        onRateChange: (state, why) =>
          display.log(`rate: ${state.requestsPerSecond?.toFixed(1) ?? "unlimited"}/s (${why})`),
      },
    );
  } finally {
    display.stop();
  }
  const failed = await failedIds(summary, options.output);
  if (options.json) io.out(JSON.stringify({ ...summary, failedIds: failed.ids.slice(0, 10) }, null, 2));
  for (const line of describeSummary(summary, failed)) io.err(line);
  tellStop(summary, options, io);
  const clean = !summary.stopped && failed.count === 0 && summary.badLines === 0 && summary.pending === 0;
  return clean ? 0 : 1;
}

function tellStop(summary: BatchSummary, options: BatchCommandOptions, io: CliIo): void {
  const interrupted = options.signal?.aborted === true;
  if (summary.stopped && !interrupted) {
    io.err(`${red(io, "error:")} ${summary.stopped.message}`);
    io.err(`${yellow(io, "hint:")} ${summary.stopped.hint}`);
  }
  if (interrupted) io.err("stopped (Ctrl-C): items in flight and not yet read are pending");
  if (interrupted || summary.pending > 0) {
    io.err(`${yellow(io, "resume:")} run the same command again: done items are skipped, the rest are sent`);
  }
}

/**
 * The ids that stand failed in the output now (this run's and earlier runs'),
 * read from the output file: its last line per id.
 */
async function failedIds(summary: BatchSummary, output: string): Promise<{ ids: string[]; count: number }> {
  const known = summary as BatchSummary & { failedIds?: string[]; failedInOutput?: number };
  if (known.failedIds !== undefined && known.failedInOutput !== undefined) {
    return { ids: known.failedIds, count: known.failedInOutput };
  }
  let text = "";
  try {
    text = await readTextFile(output);
  } catch {
    return { ids: [], count: summary.failed };
  }
  const last = new Map<string, boolean>();
  for (const line of text.split("\n")) {
    try {
      const item = JSON.parse(line) as { id?: unknown; error?: unknown };
      if (item.id !== undefined) last.set(String(item.id), item.error !== undefined);
    } catch {
      // a torn last line: the runner repairs it on resume
    }
  }
  const ids = [...last].filter(([, isFailed]) => isFailed).map(([id]) => id);
  return { ids, count: ids.length };
}

/** A JSONL item's `inputs` as the helper takes it: binary inputs as a path, or `{"base64": ...}`. */
function fromJsonl(entry: TaskEntry, inputs: unknown): unknown {
  if (entry.input.kind !== "binary") return inputs;
  if (
    inputs !== null && typeof inputs === "object" &&
    typeof (inputs as { base64?: unknown }).base64 === "string"
  ) {
    const text = atob((inputs as { base64: string }).base64);
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }
  return inputs;
}

/** The summary, a few lines for people; `failed` names the items that stand failed in the output. */
export function describeSummary(
  s: BatchSummary,
  failed: { ids: readonly string[]; count: number } = { ids: [], count: s.failed },
): string[] {
  const share = (n: number) => (s.requests > 0 ? ` (${((100 * n) / s.requests).toFixed(1)}%)` : "");
  const rate = s.rate.requestsPerSecond === undefined
    ? s.rate.kind === "fixed" ? "" : ", no rate limit met"
    : `, rate ${s.rate.kind === "fixed" ? "set to" : "found"}: ${s.rate.requestsPerSecond.toFixed(1)}/s`;
  const lines = [
    `done: ${s.done}, failed: ${s.failed}, skipped (already in the output): ${s.skipped - s.duplicates}` +
    (s.duplicates > 0 ? `, duplicate ids: ${s.duplicates}` : "") +
    `, bad lines: ${s.badLines}, pending: ${s.pending}`,
    `requests: ${s.requests} (${s.retries} retries), 429: ${s.rateLimited}${share(s.rateLimited)}, ` +
    `503: ${s.unavailable}${rate}`,
    `time: ${(s.elapsedMs / 1000).toFixed(1)} s, ${s.itemsPerSecond.toFixed(1)} items/s, ` +
    `latency p50 ${s.latency.p50} ms, p95 ${s.latency.p95} ms`,
  ];
  if (failed.count > 0) {
    const shown = failed.ids.slice(0, 10);
    const more = failed.count > shown.length ? `, and ${failed.count - shown.length} more` : "";
    lines.push(
      `failed in the output: ${failed.count} (ids: ${shown.join(", ")}${more}); ` +
        "see their error in the output; --retry-failed tries them all again",
    );
  }
  return lines;
}
