/**
 * Ctrl-C, the same clean stop however the command was started (`deno run`,
 * or `deno task`, whose runner may pass the signal on again): the first
 * SIGINT aborts the work, so it ends with its summary; SIGINTs in the next
 * second are the same Ctrl-C; one after that ends the process at once, with
 * the terminal restored (line wrap and cursor).
 *
 * @module
 */

import type { CliIo } from "./io.ts";

/** Line wrap on, cursor shown: undoes `ESC[?7l` and `ESC[?25l`. */
export const RESTORE_TERMINAL = "\x1b[?7h\x1b[?25h";

/** A SIGINT this soon after the first is the same Ctrl-C, passed on again. */
const SAME_PRESS_MS = 1000;

/** A stop on Ctrl-C: its signal, and whether it fired. Dispose it to remove the handler. */
export interface Interrupt extends Disposable {
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Whether Ctrl-C was pressed. */
  readonly interrupted: boolean;
}

/**
 * Listen for Ctrl-C while the command runs (only on the process's own `io`;
 * tests pass `signal` through their own controller).
 */
export function interruptOnSigint(io: CliIo, restore: () => void = () => {}): Interrupt {
  const controller = new AbortController();
  let first = 0;
  const onSignal = () => {
    const now = performance.now();
    if (first === 0) {
      first = now;
      controller.abort(new DOMException("Interrupted (Ctrl-C)", "AbortError"));
      return;
    }
    if (now - first < SAME_PRESS_MS) return;
    restore();
    if (io.errIsTerminal) io.writeErr(RESTORE_TERMINAL);
    Deno.exit(130);
  };
  let listening = false;
  if (io.process) {
    try {
      Deno.addSignalListener("SIGINT", onSignal);
      listening = true;
    } catch {
      // no signals here (Windows without a console): Ctrl-C ends the process as usual
    }
  }
  return {
    signal: controller.signal,
    get interrupted() {
      return first !== 0;
    },
    [Symbol.dispose]() {
      if (listening) Deno.removeSignalListener("SIGINT", onSignal);
    },
  };
}
