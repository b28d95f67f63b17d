/**
 * The batch's progress on stderr, drawn by `cli-progress` (typed by `@types/cli-progress`): a bar redrawn in
 * place when stderr is a terminal, plain lines every few seconds when it is
 * not (a log, CI). No colours either way.
 *
 * @module
 */

// @ts-types="npm:@types/cli-progress@^3.11.6"
import type cliProgress from "npm:cli-progress@^3.12.0";
import type { BatchProgress } from "../batch/batch.ts";
import type { CliIo } from "./io.ts";

import type { ProgressStyle } from "./program.ts";
import { RESTORE_TERMINAL } from "./_interrupt.ts";

export { PROGRESS_STYLES, type ProgressStyle } from "./program.ts";

/** What the CLI's batch command needs of a progress display. */
export interface ProgressDisplay {
  /** Show `progress`. */
  update(progress: BatchProgress): void;
  /** Print a line above the bar (a bad input line, a rate change). */
  log(line: string): void;
  /** Draw the last state and stop; the terminal's line wrap and cursor are restored. Idempotent. */
  stop(): void;
}

/** Options of {@linkcode progressDisplay}. */
export interface ProgressDisplayOptions {
  /** How often plain lines are written, in ms. @default {5000} */
  lineIntervalMs?: number;
}

/**
 * A progress display on `io`'s stderr. `cli-progress` (a CommonJS package: some 40 ms to load) is loaded only
 * for a bar or lines, not for `--progress none`.
 */
export async function progressDisplay(
  io: CliIo,
  style: ProgressStyle,
  options: ProgressDisplayOptions = {},
): Promise<ProgressDisplay> {
  const chosen = style === "auto" ? (io.errIsTerminal ? "bar" : "lines") : style;
  if (chosen === "none") return { update() {}, log: (line) => io.err(line), stop() {} };
  const terminal = chosen === "bar";
  // @ts-types="npm:@types/cli-progress@^3.11.6"
  const { default: progress } = await import("npm:cli-progress@^3.12.0");
  const bar = newBar(progress, io, terminal, options.lineIntervalMs ?? 5000);
  const state: { started: boolean; stopped: boolean; last?: BatchProgress } = {
    started: false,
    stopped: false,
  };
  const redraw = () => {
    if (state.last) bar.update(...barValues(state.last));
  };
  return {
    update(progress) {
      if (state.stopped) return;
      state.last = progress;
      const [value, fields] = barValues(progress);
      if (!state.started) {
        bar.start(progress.total ?? Math.max(value, 1), value, fields);
        state.started = true;
        return;
      }
      if (progress.total === undefined) bar.setTotal(Math.max(value, 1));
      bar.update(value, fields);
    },
    log(line) {
      if (terminal && state.started) io.writeErr("\r\x1b[2K");
      io.err(line);
      if (terminal && state.started) redraw();
    },
    stop() {
      if (!state.started || state.stopped) return;
      state.stopped = true;
      redraw();
      bar.stop();
      // cli-progress turns line wrap off (ESC[?7l) for its bar: whatever it did, turn it back on.
      if (terminal) io.writeErr(RESTORE_TERMINAL);
    },
  };
}

/** A `cli-progress` bar writing to `io`'s stderr: redrawn in place on a terminal, plain lines otherwise. */
function newBar(
  progress: typeof cliProgress,
  io: CliIo,
  terminal: boolean,
  lineIntervalMs: number,
): cliProgress.SingleBar {
  const stream = {
    isTTY: terminal,
    columns: terminal ? consoleColumns() : 200,
    write: (text: string) => io.writeErr(text),
    on() {},
    removeListener() {},
  };
  return new progress.SingleBar({
    stream: stream as unknown as NodeJS.WritableStream,
    noTTYOutput: true,
    notTTYSchedule: lineIntervalMs,
    fps: 10,
    hideCursor: false,
    clearOnComplete: false,
    stopOnComplete: false,
    linewrap: false,
    barsize: 24,
    barCompleteChar: "#",
    barIncompleteChar: "-",
    format: terminal
      ? "{bar} {processed}/{shownTotal} | {done} done, {failed} failed | {speed}/s | ETA {etaText}"
      : "batch: {processed}/{shownTotal} | {done} done, {failed} failed, {skipped} skipped | {speed}/s | ETA {etaText}",
  });
}

/** The bar's value and the fields its format shows. */
function barValues(p: BatchProgress): [number, Record<string, unknown>] {
  const processed = p.done + p.failed + p.skipped + p.badLines;
  const remaining = p.total === undefined ? undefined : Math.max(0, p.total - processed);
  const eta = remaining === undefined || p.itemsPerSecond <= 0
    ? "?"
    : formatSeconds(remaining / p.itemsPerSecond);
  return [processed, {
    processed,
    shownTotal: p.total ?? "?",
    done: p.done,
    failed: p.failed,
    skipped: p.skipped,
    speed: p.itemsPerSecond.toFixed(1),
    etaText: eta,
  }];
}

function consoleColumns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 80;
  }
}

/** `75` → `1m15s`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
