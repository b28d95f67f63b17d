/**
 * The batch's progress on stderr, drawn by `cli-progress` (typed by `@types/cli-progress`): a bar redrawn in
 * place when stderr is a terminal, plain lines every few seconds when it is
 * not (a log, CI). No colours either way.
 *
 * @module
 */

// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
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

/** A progress display on `io`'s stderr. */
export function progressDisplay(
  io: CliIo,
  style: ProgressStyle,
  options: ProgressDisplayOptions = {},
): ProgressDisplay {
  const chosen = style === "auto" ? (io.errIsTerminal ? "bar" : "lines") : style;
  if (chosen === "none") return { update() {}, log: (line) => io.err(line), stop() {} };
  const terminal = chosen === "bar";
  const stream = {
    isTTY: terminal,
    columns: terminal ? consoleColumns() : 200,
    write: (text: string) => io.writeErr(text),
    on() {},
    removeListener() {},
  };
  const bar = new cliProgress.SingleBar({
    stream: stream as unknown as NodeJS.WritableStream,
    noTTYOutput: true,
    notTTYSchedule: options.lineIntervalMs ?? 5000,
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
  let started = false;
  let stopped = false;
  let last: BatchProgress | undefined;
  const payload = (p: BatchProgress) => {
    const processed = p.done + p.failed + p.skipped + p.badLines;
    const remaining = p.total === undefined ? undefined : Math.max(0, p.total - processed);
    const eta = remaining === undefined || p.itemsPerSecond <= 0
      ? "?"
      : formatSeconds(remaining / p.itemsPerSecond);
    return {
      value: processed,
      fields: {
        processed,
        shownTotal: p.total ?? "?",
        done: p.done,
        failed: p.failed,
        skipped: p.skipped,
        speed: p.itemsPerSecond.toFixed(1),
        etaText: eta,
      },
    };
  };
  return {
    update(progress) {
      if (stopped) return;
      last = progress;
      const { value, fields } = payload(progress);
      const total = progress.total ?? Math.max(value, 1);
      if (!started) {
        bar.start(total, value, fields);
        started = true;
        return;
      }
      if (progress.total === undefined) bar.setTotal(total);
      bar.update(value, fields);
    },
    log(line) {
      if (terminal && started) io.writeErr("\r\x1b[2K");
      io.err(line);
      if (terminal && started && last) {
        const { value, fields } = payload(last);
        bar.update(value, fields);
      }
    },
    stop() {
      if (!started || stopped) return;
      stopped = true;
      if (last) {
        const { value, fields } = payload(last);
        bar.update(value, fields);
      }
      bar.stop();
      // cli-progress turns line wrap off (ESC[?7l) for its bar: whatever it did, turn it back on.
      if (terminal) io.writeErr(RESTORE_TERMINAL);
    },
  };
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
