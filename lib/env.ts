/**
 * The access token, and keeping it secret.
 *
 * `HF_TOKEN` comes from the environment, else from a `.env` file (the current
 * folder, then its parents up to the one holding `deno.json`). A `.env` file is
 * read into a value and never written into `Deno.env` (Deno's
 * `process.loadEnvFile` would), so no call changes what a later one sees; a
 * variable set in the environment wins over the file. The Deno Jupyter kernel
 * does not read `.env` by itself, so notebooks rely on this.
 *
 * Everything that reaches a screen or a file passes through {@linkcode redact}.
 *
 * @module
 */

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
 * import { redact } from "@hf-workbook/workbook";
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

/** Options for {@linkcode readDotEnv} and {@linkcode findToken}. */
export interface DotEnvOptions {
  /** A `.env` file to read instead of searching for one. */
  path?: string;
  /** Where the search starts (the current folder when not given). */
  from?: string;
}

/**
 * The variables a `.env` file defines, as a value: the process environment is
 * never changed, so what one call reads cannot leak into the next. Empty when
 * there is no file, when reading is not permitted, or when
 * `HF_WORKBOOK_NO_DOTENV=1`. A caller that also reads the environment lets
 * the environment win (see {@linkcode readSetting}).
 *
 * @example Reading a .env file leaves the environment as it was
 * ```ts
 * import assert from "node:assert/strict";
 * import { readDotEnv } from "@hf-workbook/workbook";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.env`, "WORKBOOK_DOC_A=from-file\n");
 * assert.deepEqual(readDotEnv({ path: `${dir}/.env` }), { WORKBOOK_DOC_A: "from-file" });
 * assert.equal(Deno.env.get("WORKBOOK_DOC_A"), undefined);
 * ```
 */
export function readDotEnv(options: DotEnvOptions = {}): Record<string, string> {
  if (readEnv("HF_WORKBOOK_NO_DOTENV") === "1") return {};
  const path = options.path ?? findDotEnv(options.from);
  if (path === undefined) return {};
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return {};
  }
  const found: Record<string, string> = {};
  for (const [key, value] of Object.entries(nodeUtil().parseEnv(text))) {
    if (value !== undefined && value !== "") found[key] = value;
  }
  return found;
}

/**
 * One setting: the environment variable `name` when it is set (and not
 * empty), else the value `dotEnv` (what {@linkcode readDotEnv} read) gives it.
 *
 * @example The environment wins over .env
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSetting } from "@hf-workbook/workbook";
 *
 * Deno.env.set("WORKBOOK_DOC_SETTING", "from-env");
 * assert.equal(readSetting("WORKBOOK_DOC_SETTING", { WORKBOOK_DOC_SETTING: "from-file" }), "from-env");
 * Deno.env.delete("WORKBOOK_DOC_SETTING");
 * assert.equal(readSetting("WORKBOOK_DOC_SETTING", { WORKBOOK_DOC_SETTING: "from-file" }), "from-file");
 * ```
 */
export function readSetting(name: string, dotEnv: Readonly<Record<string, string>> = {}): string | undefined {
  return readEnv(name) ?? dotEnv[name];
}

/**
 * Find the access token: `HF_TOKEN` from the environment, else from `.env`
 * (read only then, into a value: the environment is left as it was). An
 * empty value counts as unset.
 *
 * @example Reading the token from the environment
 * ```ts
 * import assert from "node:assert/strict";
 * import { findToken } from "@hf-workbook/workbook";
 *
 * Deno.env.set("HF_TOKEN", "hf_test");
 * assert.deepEqual(findToken(), { token: "hf_test", source: "environment" });
 * Deno.env.delete("HF_TOKEN");
 * ```
 */
export function findToken(options: DotEnvOptions = {}): FoundToken | undefined {
  const fromEnv = readEnv("HF_TOKEN");
  if (fromEnv) {
    rememberSecret(fromEnv);
    return { token: fromEnv, source: "environment" };
  }
  const fromFile = readDotEnv(options).HF_TOKEN;
  if (fromFile) {
    rememberSecret(fromFile);
    return { token: fromFile, source: ".env" };
  }
  return undefined;
}

/**
 * `node:util`, for its `.env` parser (`parseEnv`, the syntax Node and Deno's
 * `--env-file` read), loaded only when a `.env` file is read: the first
 * `node:` module a process imports sets up Deno's Node layer, some 6 ms of
 * start-up that every call without a `.env` file would pay for nothing.
 * `process.getBuiltinModule` is Node's synchronous way to load it.
 */
function nodeUtil(): typeof import("node:util") {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(id: "node:util"): typeof import("node:util") };
  };
  return process.getBuiltinModule("node:util");
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
