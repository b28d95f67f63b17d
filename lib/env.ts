/**
 * The access token, and keeping it secret.
 *
 * `HF_TOKEN` comes from the environment, else from a `.env` file (the current
 * folder, then its parents up to the one holding `deno.json`). The loader never
 * overrides a variable that is already set (Deno's `process.loadEnvFile` does),
 * and the Deno Jupyter kernel does not read `.env` by itself, so notebooks rely
 * on it.
 *
 * Everything that reaches a screen or a file passes through {@linkcode redact}.
 *
 * @module
 */

import { parseEnv } from "node:util";

/** What looks like a Hugging Face access token. */
export const TOKEN_PATTERN: RegExp = /hf_[A-Za-z0-9]{30,}/g;

const secrets = new Set<string>();

/**
 * Replace every token-shaped string (and every secret this process has seen)
 * in `text` with `hf_***`.
 *
 * @example Redacting a token from a message
 * ```ts
 * import assert from "node:assert/strict";
 * import { redact } from "./env.ts";
 *
 * const token = "hf_" + "a".repeat(34);
 * assert.equal(redact(`Bearer ${token}`), "Bearer hf_***");
 * ```
 */
export function redact(text: string): string {
  let out = text.replace(TOKEN_PATTERN, "hf_***");
  for (const secret of secrets) {
    if (secret.length >= 6 && out.includes(secret)) out = out.replaceAll(secret, "hf_***");
  }
  return out;
}

/**
 * Remember `secret` so that {@linkcode redact} hides it even when it does not
 * look like a Hugging Face token (a test token, another provider's key).
 */
export function rememberSecret(secret: string): void {
  if (secret.trim() !== "") secrets.add(secret);
}

/** Where a token came from. */
export type TokenSource = "environment" | ".env";

/** A token and where it was found. */
export interface FoundToken {
  /** The token itself: never print it. */
  token: string;
  /** Where it was found. */
  source: TokenSource;
}

/** Options for {@linkcode loadDotEnv}. */
export interface LoadDotEnvOptions {
  /** A `.env` file to read instead of searching for one. */
  path?: string;
  /** Where the search starts. @default {Deno.cwd()} */
  from?: string;
}

/**
 * Read a `.env` file and set the variables it defines that are not set yet.
 * Returns the names it set (an empty list when there is no file, when reading is
 * not permitted, or when `HF_WORKBOOK_NO_DOTENV=1`).
 *
 * @example Loading a .env file without overriding the environment
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadDotEnv } from "./env.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.env`, "WORKBOOK_DOC_A=from-file\nWORKBOOK_DOC_B=from-file\n");
 * Deno.env.set("WORKBOOK_DOC_B", "from-env");
 * assert.deepEqual(loadDotEnv({ path: `${dir}/.env` }), ["WORKBOOK_DOC_A"]);
 * assert.equal(Deno.env.get("WORKBOOK_DOC_B"), "from-env");
 * ```
 */
export function loadDotEnv(options: LoadDotEnvOptions = {}): string[] {
  if (readEnv("HF_WORKBOOK_NO_DOTENV") === "1") return [];
  const path = options.path ?? findDotEnv(options.from);
  if (path === undefined) return [];
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return [];
  }
  const set: string[] = [];
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (value === undefined || readEnv(key) !== undefined) continue;
    try {
      Deno.env.set(key, value);
      set.push(key);
    } catch {
      // not permitted to set this variable: leave it
    }
  }
  return set;
}

/**
 * Find the access token: `HF_TOKEN` from the environment, else from `.env`.
 * An empty value counts as unset.
 *
 * @example Reading the token from the environment
 * ```ts
 * import assert from "node:assert/strict";
 * import { findToken } from "./env.ts";
 *
 * Deno.env.set("HF_TOKEN", "hf_test");
 * assert.deepEqual(findToken(), { token: "hf_test", source: "environment" });
 * Deno.env.delete("HF_TOKEN");
 * ```
 */
export function findToken(options: LoadDotEnvOptions = {}): FoundToken | undefined {
  const fromEnv = readEnv("HF_TOKEN");
  if (fromEnv) {
    rememberSecret(fromEnv);
    return { token: fromEnv, source: "environment" };
  }
  if (loadDotEnv(options).includes("HF_TOKEN")) {
    const fromFile = readEnv("HF_TOKEN");
    if (fromFile) {
      rememberSecret(fromFile);
      return { token: fromFile, source: ".env" };
    }
  }
  return undefined;
}

/** Read an environment variable; `undefined` when unset, empty, or not permitted. */
export function readEnv(name: string): string | undefined {
  try {
    const value = Deno.env.get(name);
    return value === undefined || value === "" ? undefined : value;
  } catch {
    return undefined;
  }
}

function findDotEnv(from?: string): string | undefined {
  let dir: string;
  try {
    dir = from ?? Deno.cwd();
  } catch {
    return undefined;
  }
  for (let i = 0; i < 32; i++) {
    if (exists(`${dir}/.env`)) return `${dir}/.env`;
    if (exists(`${dir}/deno.json`) || exists(`${dir}/deno.jsonc`)) return undefined;
    const parent = dir.replace(/\/[^/]+\/?$/, "");
    if (parent === dir || parent === "") return undefined;
    dir = parent;
  }
  return undefined;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
