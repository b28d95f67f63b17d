/**
 * Facts about JSON values the whole workbook shares, written once.
 *
 * @module
 */

/**
 * A plain object: not null, not an array, not bytes (the workbook's one
 * record guard).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRecord } from "./_json.ts";
 *
 * assert.equal(isRecord({ a: 1 }), true);
 * assert.equal(isRecord([1]), false);
 * assert.equal(isRecord(new Uint8Array(1)), false);
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
