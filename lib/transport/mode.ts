/**
 * Which road a request takes: `replay` (recordings only, never the network),
 * `live` (the network, with retries), `record` (live, and every interaction
 * written to recordings/) or `cache` (recordings first, live on a miss, written).
 *
 * @module
 */

import { findToken, readEnv, rememberSecret, type TokenSource } from "../env.ts";

/** The transport's modes. */
export type Mode = "replay" | "live" | "record" | "cache";

/** Every mode, for validation and `--help` choices. */
export const MODES: readonly Mode[] = ["replay", "live", "record", "cache"];

/** The mode in force, why, and the token (never print `token`). */
export interface ModeInfo {
  /** The mode in force. */
  mode: Mode;
  /** Why this mode: shown to the user next to the mode. */
  reason: string;
  /** The access token, when one was found or given. */
  token?: string;
  /** Where the token came from. */
  tokenSource?: TokenSource | "caller";
}

/** Options for {@linkcode resolveMode}. */
export interface ResolveModeOptions {
  /** A mode chosen by the caller, over `HF_MODE`. */
  mode?: Mode;
  /** A token given by the caller, over `HF_TOKEN`. */
  accessToken?: string;
}

/**
 * Decide the mode: the caller's, else `HF_MODE`, else `live` when a token is
 * found (environment or `.env`) and `replay` when not.
 *
 * @example Without a token, the workbook replays recordings
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveMode } from "./mode.ts";
 *
 * const info = resolveMode({ mode: "replay" });
 * assert.equal(info.mode, "replay");
 * ```
 */
export function resolveMode(options: ResolveModeOptions = {}): ModeInfo {
  // a caller's token is a secret too, even when it does not look like one: redact() must hide it
  if (options.accessToken) rememberSecret(options.accessToken);
  const found = options.accessToken ? { token: options.accessToken, source: "caller" as const } : findToken();
  const withToken = found ? { token: found.token, tokenSource: found.source } : {};
  if (options.mode !== undefined) {
    return { mode: checkMode(options.mode, "options.mode"), reason: "chosen by the caller", ...withToken };
  }
  const fromEnv = readEnv("HF_MODE");
  if (fromEnv !== undefined) {
    return { mode: checkMode(fromEnv, "HF_MODE"), reason: `HF_MODE=${fromEnv}`, ...withToken };
  }
  if (found) {
    const where = found.source === "caller" ? "given by the caller" : `found in ${found.source}`;
    return { mode: "live", reason: `HF_TOKEN ${where}`, ...withToken };
  }
  return { mode: "replay", reason: "no HF_TOKEN in the environment or .env" };
}

/**
 * One line that says which mode is in force and what it means, for the first
 * output of a notebook and the CLI's stderr. Never contains the token.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeMode } from "./mode.ts";
 *
 * assert.match(describeMode({ mode: "replay", reason: "no HF_TOKEN" }), /^mode: replay \(no HF_TOKEN\)/);
 * ```
 */
export function describeMode(info: ModeInfo): string {
  const what: Record<Mode, string> = {
    replay: "answers come from recordings/, nothing is sent over the network",
    live: "requests go to Hugging Face",
    record: "requests go to Hugging Face and every answer is written to recordings/",
    cache: "recorded answers are reused, missing ones are fetched live and written to recordings/",
  };
  const token = info.mode === "replay"
    ? ""
    : info.token
    ? "; token: set"
    : "; token: none (requests are anonymous)";
  return `mode: ${info.mode} (${info.reason}): ${what[info.mode]}${token}`;
}

function checkMode(value: string, name: string): Mode {
  if ((MODES as readonly string[]).includes(value)) return value as Mode;
  throw new RangeError(`Cannot choose a mode: ${name} must be one of ${MODES.join(", ")}, got "${value}"`);
}
