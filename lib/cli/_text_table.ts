/**
 * A plain-text table for the command line's answers: one row per record,
 * columns padded to their widest cell (East Asian wide characters count two
 * columns, through `get-east-asian-width`), numbers right-aligned. Lighter
 * than the notebooks' `table()` display (no HTML, no wrapping), so printing
 * an answer loads no display code.
 *
 * @module
 */

import { eastAsianWidth } from "npm:get-east-asian-width@^1.7.0";

/** How many columns `text` takes on a terminal. */
export function columnsOf(text: string): number {
  let n = 0;
  for (const c of text) n += eastAsianWidth(c.codePointAt(0)!);
  return n;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return (typeof value === "string"
    ? value
    : typeof value === "number"
    ? String(value)
    : JSON.stringify(value))
    .replace(/\s+/g, " ");
}

/**
 * Rows of objects as text: a header of their keys, a rule, then one line per
 * row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textTable } from "./_text_table.ts";
 *
 * assert.equal(
 *   textTable([{ label: "台灣", score: "0.99", start: 0 }, { label: "LOC", score: "0.5", start: 12 }]),
 *   "label  score  start\n-----  -----  -----\n台灣   0.99       0\nLOC    0.5       12",
 * );
 * ```
 */
export function textTable(records: readonly object[]): string {
  const rows = records as readonly Record<string, unknown>[];
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const numeric = keys.map((k) => rows.every((r) => typeof r[k] === "number" || r[k] === undefined));
  const text = rows.map((r) => keys.map((k) => cell(r[k])));
  const widths = keys.map((k, i) => Math.max(columnsOf(k), ...text.map((t) => columnsOf(t[i]!))));
  const line = (cells: string[], right: boolean[]) =>
    cells.map((c, i) => {
      const gap = " ".repeat(widths[i]! - columnsOf(c));
      return right[i] ? gap + c : c + gap;
    }).join("  ").trimEnd();
  return [
    line(keys, numeric),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...text.map((t) => line(t, numeric)),
  ].join("\n");
}
