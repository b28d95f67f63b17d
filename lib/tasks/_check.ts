/**
 * Input checks shared by every task, run before any request. Messages follow
 * the std style: `Cannot <verb>: "<name>" must be ..., got ...`.
 *
 * @module
 */

import { isRecord } from "../_json.ts";

/** Describe a value for an error message, briefly. */
export function got(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return value.trim() === "" ? `"${value}" (blank)` : `a string`;
  if (typeof value === "number") return String(value);
  return typeof value;
}

export { isRecord };

/** A non-blank string.
 *
 * @throws {TypeError} When the value is of the wrong kind.
 * @throws {RangeError} When it is out of range.
 */
export function checkText(value: unknown, name: string, verb: string): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`Cannot ${verb}: "${name}" must be a non-empty string, got ${got(value)}`);
  }
}

/** A plain object: not null, not an array.
 *
 * @throws {TypeError} When the value is of the wrong kind.
 * @throws {RangeError} When it is out of range.
 */
export function checkObject(
  value: unknown,
  name: string,
  verb: string,
): asserts value is Record<string, unknown> {
  if (!isRecord(value)) {
    throw new TypeError(`Cannot ${verb}: "${name}" must be an object, got ${got(value)}`);
  }
}

/** Only the named keys: a misspelt parameter from JavaScript is caught here (TypeScript catches it at compile time).
 *
 * @throws {TypeError} When the value is of the wrong kind.
 * @throws {RangeError} When it is out of range.
 */
export function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  name: string,
  verb: string,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TypeError(
        `Cannot ${verb}: "${name}" has no parameter "${key}"; known: ${allowed.join(", ")}`,
      );
    }
  }
}

/** One of the listed strings, when present.
 *
 * @throws {TypeError} When the value is of the wrong kind.
 * @throws {RangeError} When it is out of range.
 */
export function checkChoice(value: unknown, choices: readonly string[], name: string, verb: string): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !choices.includes(value)) {
    throw new RangeError(
      `Cannot ${verb}: "${name}" must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
}

/** A number in `[min, max]` (a whole number when `integer`), when present.
 *
 * @throws {TypeError} When the value is of the wrong kind.
 * @throws {RangeError} When it is out of range.
 */
export function checkNumber(
  value: unknown,
  name: string,
  verb: string,
  range: { min?: number; max?: number; integer?: boolean } = {},
): void {
  if (value === undefined) return;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Cannot ${verb}: "${name}" must be a number, got ${got(value)}`);
  }
  const { min = -Infinity, max = Infinity, integer = false } = range;
  if ((integer && !Number.isInteger(value)) || value < min || value > max) {
    const what = integer ? "a whole number" : "a number";
    const bounds = max === Infinity
      ? `of at least ${min}`
      : min === -Infinity
      ? `of at most ${max}`
      : `from ${min} to ${max}`;
    throw new RangeError(`Cannot ${verb}: "${name}" must be ${what} ${bounds}, got ${value}`);
  }
}

/** What {@linkcode checkTextList} accepts. */
export interface TextListRule {
  /** The word for the items in messages, plural: `labels`, `sentences`. @default {"texts"} */
  noun?: string;
  /** The fewest items. @default {1} */
  min?: number;
  /** The most items. @default {Infinity} */
  max?: number;
  /** Reject an item that repeats an earlier one (compared trimmed). @default {false} */
  unique?: boolean;
}

/** A list of `min` to `max` non-blank strings (none repeated when `unique`).
 *
 * @throws {TypeError} When the value is of the wrong kind.
 * @throws {RangeError} When it is out of range.
 */
export function checkTextList(
  value: unknown,
  name: string,
  verb: string,
  rule: TextListRule = {},
): asserts value is string[] {
  const { noun = "texts", min = 1, max = Infinity, unique = false } = rule;
  const what = max !== Infinity
    ? `must list ${min} to ${max} ${noun}`
    : min === 1
    ? `must be a non-empty list of ${noun}`
    : `must list at least ${min} ${noun}`;
  if (!Array.isArray(value)) {
    throw new TypeError(`Cannot ${verb}: "${name}" ${what}, got ${got(value)}`);
  }
  if (value.length < min || value.length > max) {
    throw new RangeError(`Cannot ${verb}: "${name}" ${what}, got ${value.length}`);
  }
  const seen = new Set<string>();
  value.forEach((item: unknown, i) => {
    checkText(item, `${name}[${i}]`, verb);
    const key = item.trim();
    if (unique && seen.has(key)) {
      throw new RangeError(`Cannot ${verb}: "${name}" must not repeat itself, got "${key}" twice`);
    }
    seen.add(key);
  });
}
