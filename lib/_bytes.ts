/**
 * Facts about bytes the whole workbook shares, written once: base64 both ways
 * and byte counts for people to read (decimal units, rounded to the nearest
 * tenth: `pretty-bytes` truncates, which would change every size the committed
 * notebooks show).
 *
 * @module
 */

import { Buffer } from "node:buffer";

/**
 * Base64 text of `bytes`: the one base64 encoder of the workbook.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromBase64, toBase64 } from "./_bytes.ts";
 *
 * assert.equal(toBase64(new Uint8Array([0x89, 0x50, 0x4e, 0x47])), "iVBORw==");
 * assert.deepEqual(fromBase64(" iVBORw==\n"), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** The bytes of a base64 text (surrounding white space ignored): the one base64 decoder. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.trim(), "base64"));
}

/** The size of `count` bytes once base64-encoded. */
export function base64Size(count: number): number {
  return Math.ceil(count / 3) * 4;
}

/** Options of {@linkcode formatSize}. */
export interface FormatSizeOptions {
  /** Always one decimal from a kilobyte up (`9.0 kB`), as a column of sizes reads best. @default {false} */
  fixed?: boolean;
}

/**
 * A byte count for people: `812 B`, `3.2 kB`, `10 MB` (at most one decimal,
 * decimal units, English digits whatever the machine's locale). A terabyte
 * and more is counted in gigabytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSize } from "./_bytes.ts";
 *
 * assert.equal(formatSize(812), "812 B");
 * assert.equal(formatSize(3_210), "3.2 kB");
 * assert.equal(formatSize(10_000_000), "10 MB");
 * assert.equal(formatSize(9_000, { fixed: true }), "9.0 kB");
 * ```
 */
export function formatSize(count: number, options: FormatSizeOptions = {}): string {
  const [value, unit] = count < 1000
    ? [count, "B"]
    : count < 1_000_000
    ? [count / 1000, "kB"]
    : count < 1_000_000_000
    ? [count / 1_000_000, "MB"]
    : [count / 1_000_000_000, "GB"];
  if (unit === "B") return `${value} B`;
  const text = value.toFixed(1);
  return `${options.fixed ? text : text.replace(/\.0$/, "")} ${unit}`;
}
