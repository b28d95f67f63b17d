/**
 * Which road a request takes: `replay` (recordings only, never the network),
 * `live` (the network, with retries), `record` (live, and every interaction
 * written to recordings/) or `cache` (recordings first, live on a miss, written).
 *
 * @module
 */

import { readDotEnv, readSetting, rememberSecret, type TokenSource } from "../env.ts";

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
 * import { resolveMode } from "@hf-workbook/workbook/transport";
 *
 * const info = resolveMode({ mode: "replay" });
 * assert.equal(info.mode, "replay");
 * ```
 */
export function resolveMode(options: ResolveModeOptions = {}): ModeInfo {
  // a caller's token is a secret too, even when it does not look like one: redact() must hide it
  if (options.accessToken) rememberSecret(options.accessToken);
  const found = options.accessToken ? { token: options.accessToken, source: "caller" as const } : undefined;
  // .env is read once for this call, into a value, and only when the environment leaves a setting open
  const needsFile = (!found && readSetting("HF_TOKEN") === undefined) ||
    (options.mode === undefined && readSetting("HF_MODE") === undefined);
  const dotEnv = needsFile ? readDotEnv() : {};
  const token = found ?? tokenFrom(dotEnv);
  const withToken = token ? { token: token.token, tokenSource: token.source } : {};
  if (options.mode !== undefined) {
    return { mode: checkMode(options.mode, "options.mode"), reason: "chosen by the caller", ...withToken };
  }
  const chosen = readSetting("HF_MODE", dotEnv);
  if (chosen !== undefined) {
    const where = readSetting("HF_MODE") === undefined ? " in .env" : "";
    return { mode: checkMode(chosen, "HF_MODE"), reason: `HF_MODE=${chosen}${where}`, ...withToken };
  }
  if (token) {
    const where = token.source === "caller" ? "given by the caller" : `found in ${token.source}`;
    return { mode: "live", reason: `HF_TOKEN ${where}`, ...withToken };
  }
  return { mode: "replay", reason: "no HF_TOKEN in the environment or .env" };
}

/** The token of the environment, else of the `.env` values read already. */
function tokenFrom(
  dotEnv: Readonly<Record<string, string>>,
): { token: string; source: TokenSource } | undefined {
  const fromEnv = readSetting("HF_TOKEN");
  const token = fromEnv ?? dotEnv.HF_TOKEN;
  if (token === undefined) return undefined;
  rememberSecret(token);
  return { token, source: fromEnv === undefined ? ".env" : "environment" };
}

/**
 * One line that says which mode is in force and what it means, for the first
 * output of a notebook and the CLI's stderr. Never contains the token.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeMode } from "@hf-workbook/workbook/transport";
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
