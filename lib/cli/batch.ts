/**
 * `hf batch <task> --input in.jsonl --output out.jsonl`: the batch runner from
 * the shell, with a progress display and a summary.
 *
 * @module
 */

import { batch, type BatchSummary } from "../batch/batch.ts";
import type { InferenceProviderOrPolicy } from "@huggingface/inference";
import type { ModeInfo } from "../transport/mode.ts";
import { type CliIo, red, yellow } from "./io.ts";
import { UsageError } from "./params.ts";
import { progressDisplay, type ProgressStyle } from "./progress.ts";
import type { TaskEntry } from "./tasks.ts";
import type { TaskOptions } from "../tasks/_run.ts";

/** What the batch command was given. */
export interface BatchCommandOptions {
  /** The input file, or `-` for stdin. */
  input: string;
  /** The output file. */
  output: string;
  /** Parameters for every item. */
  parameters?: Record<string, unknown>;
  /** Requests in flight. */
  concurrency?: number;
  /** `--rate`. */
  rate?: string;
  /** Attempts for retryable errors. */
  maxAttempts?: number;
  /** Drop failed items from the output first. */
  retryFailed?: boolean;
  /** The model. */
  model?: string;
  /** The provider. */
  provider?: string;
  /** A dedicated endpoint. */
  endpoint?: string;
  /** How progress is shown. */
  progress: ProgressStyle;
  /** How often plain progress lines are written, in ms. */
  progressIntervalMs?: number;
  /** The summary as JSON on stdout. */
  json?: boolean;
  /** Stop the batch (Ctrl-C). */
  signal?: AbortSignal;
}

/** Run a batch for `entry`; returns the exit code (0 when every item is done). */
export async function runBatchCommand(
  entry: TaskEntry,
  options: BatchCommandOptions,
  info: ModeInfo,
  io: CliIo,
): Promise<number> {
  if (options.input !== "-" && options.input === options.output) {
    throw new UsageError("--input and --output must be different files");
  }
  const display = progressDisplay(io, options.progress, {
    ...(options.progressIntervalMs !== undefined ? { lineIntervalMs: options.progressIntervalMs } : {}),
  });
  let summary: BatchSummary;
  try {
    summary = await batch<unknown, TaskOptions<Record<string, unknown>>>(
      (inputs, taskOptions) => entry.run(fromJsonl(entry, inputs), taskOptions ?? {}),
      {
        input: options.input === "-" ? io.stdin() : options.input,
        output: options.output,
        mode: info.mode,
        ...(info.token ? { accessToken: info.token } : {}),
        ...(io.fetch ? { fetch: io.fetch } : {}),
        ...(options.parameters && Object.keys(options.parameters).length > 0
          ? { parameters: options.parameters }
          : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.rate !== undefined ? { rate: options.rate } : {}),
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
        ...(options.retryFailed ? { retryFailed: true } : {}),
        ...(options.model !== undefined ? { model: options.model } : {}),
        ...(options.provider !== undefined
          ? { provider: options.provider as InferenceProviderOrPolicy }
          : {}),
        ...(options.endpoint !== undefined ? { endpointUrl: options.endpoint } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => display.update(progress),
        onBadLine: (bad) => display.log(`line ${bad.line}: skipped, ${bad.message}`),
        onRateChange: (state, why) =>
          display.log(`rate: ${state.requestsPerSecond?.toFixed(1) ?? "unlimited"}/s (${why})`),
      },
    );
  } finally {
    display.stop();
  }
  if (options.json) io.out(JSON.stringify(summary, null, 2));
  for (const line of describeSummary(summary)) io.err(line);
  if (summary.stopped) {
    io.err(`${red(io, "error:")} ${summary.stopped.message}`);
    io.err(`${yellow(io, "hint:")} ${summary.stopped.hint}`);
  }
  const clean = !summary.stopped && summary.failed === 0 && summary.badLines === 0 && summary.pending === 0;
  return clean ? 0 : 1;
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

/** The summary, a few lines for people. */
export function describeSummary(s: BatchSummary): string[] {
  const share = (n: number) => (s.requests > 0 ? ` (${((100 * n) / s.requests).toFixed(1)}%)` : "");
  const rate = s.rate.requestsPerSecond === undefined
    ? s.rate.kind === "fixed" ? "" : ", no rate limit met"
    : `, rate ${s.rate.kind === "fixed" ? "set to" : "found"}: ${s.rate.requestsPerSecond.toFixed(1)}/s`;
  return [
    `done: ${s.done}, failed: ${s.failed}, skipped (already done): ${s.skipped - s.duplicates}` +
    (s.duplicates > 0 ? `, duplicate ids: ${s.duplicates}` : "") +
    `, bad lines: ${s.badLines}, pending: ${s.pending}`,
    `requests: ${s.requests} (${s.retries} retries), 429: ${s.rateLimited}${
      share(s.rateLimited)
    }, 503: ${s.unavailable}` +
    rate,
    `time: ${(s.elapsedMs / 1000).toFixed(1)} s, ${
      s.itemsPerSecond.toFixed(1)
    } items/s, latency p50 ${s.latency.p50} ms, p95 ${s.latency.p95} ms`,
  ];
}
