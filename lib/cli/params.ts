/**
 * `--param key=value`, checked against a task's parameters (from its
 * official spec) before any request: the key must be one the task knows
 * (dotted for nested ones, such as `generate_parameters.max_new_tokens`; a
 * misspelt one is refused with the nearest), the value must parse as its
 * type. `--extra key=value` sends a parameter beyond the spec as given.
 *
 * @module
 */

import { nearest, type SpecParameter } from "../tasks/_spec.ts";

/** The type of a parameter, as the command line reads it. */
export type { ParamType } from "../tasks/_spec.ts";

/**
 * One parameter a task takes, as its spec says (name dotted for a nested one,
 * type, description, choices, default): the registry takes them from the
 * task's contract, never writes them out.
 */
export type ParamSpec = SpecParameter;

/** A bad `--param`: the command line exits 2. */
export class UsageError extends Error {
  /** Build the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parse `key=value` pairs into a parameters object (nested for dotted keys).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParams } from "./params.ts";
 *
 * const specs = [
 *   { name: "truncation", type: "string", description: "", choices: ["only_first", "longest_first"] },
 *   { name: "generate_parameters.max_new_tokens", type: "integer", description: "" },
 * ] as const;
 * assert.deepEqual(parseParams(specs, ["generate_parameters.max_new_tokens=60", "truncation=only_first"]), {
 *   generate_parameters: { max_new_tokens: 60 },
 *   truncation: "only_first",
 * });
 * assert.throws(() => parseParams(specs, ["max_new_token=3"]), /did you mean generate_parameters.max_new_tokens\?/);
 * ```
 *
 * @throws {UsageError} When a parameter flag is malformed or not the task's.
 */
export function parseParams(specs: readonly ParamSpec[], pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--param must be key=value, got ${JSON.stringify(pair)}`);
    const key = pair.slice(0, at).trim();
    const text = pair.slice(at + 1);
    const spec = specs.find((s) => s.name === key);
    if (!spec) {
      const names = specs.map((s) => s.name);
      const leaf = (name: string) => name.slice(name.lastIndexOf(".") + 1);
      const nearLeaf = nearest(leaf(key), names.map(leaf));
      const guess = nearest(key, names) ?? names.find((n) => nearLeaf !== undefined && leaf(n) === nearLeaf);
      throw new UsageError(
        specs.length === 0
          ? `unknown parameter "${key}": this task takes none (--extra ${key}=... sends it anyway)`
          : guess !== undefined
          ? `unknown parameter "${key}"; did you mean ${guess}? (--extra ${key}=... sends it as given)`
          : `unknown parameter "${key}"; known: ${specs.map((s) => s.name).join(", ")}`,
      );
    }
    setPath(out, key.split("."), parseValue(spec, text));
  }
  return out;
}

/**
 * Parse `--extra key=value` pairs: parameters beyond the spec, sent as given
 * (nested for dotted keys). A value is read as JSON when it is JSON (`100`,
 * `true`, `[1,2]`), else kept as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseExtra } from "./params.ts";
 *
 * assert.deepEqual(parseExtra(["max_length=100", "mode=fast"]), { max_length: 100, mode: "fast" });
 * ```
 *
 * @throws {UsageError} When a pair is not `key=value`.
 */
export function parseExtra(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--extra must be key=value, got ${JSON.stringify(pair)}`);
    const text = pair.slice(at + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: the text as it is
    }
    setPath(out, pair.slice(0, at).trim().split("."), value);
  }
  return out;
}

function parseValue(spec: ParamSpec, text: string): unknown {
  const bad = (what: string) =>
    new UsageError(`--param ${spec.name} must be ${what}, got ${JSON.stringify(text)}`);
  switch (spec.type) {
    case "integer": {
      const value = Number(text);
      if (text.trim() === "" || !Number.isInteger(value)) throw bad("a whole number");
      return value;
    }
    case "number": {
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value)) throw bad("a number");
      return value;
    }
    case "boolean": {
      const lower = text.trim().toLowerCase();
      if (["true", "1", "yes"].includes(lower)) return true;
      if (["false", "0", "no"].includes(lower)) return false;
      throw bad("true or false");
    }
    case "list": {
      if (text.trim().startsWith("[")) {
        const value = parseJson(text, () => bad("a JSON array or comma-separated values"));
        if (!Array.isArray(value)) throw bad("a JSON array or comma-separated values");
        return value;
      }
      return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
    }
    case "json":
      if (spec.choices?.includes(text)) return text === "true" ? true : text === "false" ? false : text;
      return parseJson(text, () => bad(spec.choices ? `one of ${spec.choices.join(", ")}` : "JSON"));
    case "string":
      if (spec.choices && !spec.choices.includes(text)) throw bad(`one of ${spec.choices.join(", ")}`);
      return text;
  }
}

function parseJson(text: string, bad: () => UsageError): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw bad();
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
