import { DisplayValue, escapeHtml, escapeMarkdown } from "./_bundle.ts";
import { captionOf, type SourceOptions } from "./source.ts";
import { displayWidth, oneLine, pad, wrap } from "./_width.ts";

/** How to show a number: a count of decimals (`toFixed`), or a function. */
export type NumberFormat = number | ((value: number) => string);

/** Options for {@linkcode table}. */
export interface TableOptions<T extends object> extends SourceOptions {
  /**
   * The columns to show, in order.
   *
   * When not given: every key of every row, in order of first appearance.
   */
  columns?: readonly (keyof T & string)[];
  /** A caption shown above the table. */
  caption?: string;
  /** Returns `true` for cells to emphasise (`<strong>` in HTML, `**x**` in Markdown, `*x*` in plain text: no colour a sanitiser could strip). */
  highlight?: (row: T, column: keyof T & string) => boolean;
  /**
   * How to show numbers, per column: `{ score: 3 }` shows `0.987`.
   *
   * When not given: numbers as `String(value)` gives them.
   */
  format?: { [K in keyof T & string]?: NumberFormat };
}

/** A Markdown table cell: special characters backslash-escaped (not as HTML entities, which a renderer shows as typed), line breaks as `<br>`. */
function markdownCell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, "<br>");
}

function cellText(value: unknown, format: NumberFormat | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (format === undefined) return String(value);
    return typeof format === "number" ? value.toFixed(format) : format(value);
  }
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value) ?? String(value);
  return String(value);
}

/** How many columns a plain-text cell may take before it wraps onto more lines. */
const CELL_COLUMNS = 48;

/** The plain-text table: a header, a rule, and each row on as many lines as its longest cell wraps to. */
function plainTable(
  columns: readonly string[],
  texts: readonly (readonly string[])[],
  numeric: readonly boolean[],
  marked: readonly (readonly boolean[])[],
): string[] {
  if (columns.length === 0) return ["(empty table)"];
  const cells = texts.map((row, r) =>
    row.map((text, c) => wrap(marked[r]?.[c] ? `*${oneLine(text)}*` : oneLine(text), CELL_COLUMNS))
  );
  const widths = columns.map((column, c) =>
    Math.max(displayWidth(column), ...cells.flatMap((row) => (row[c] ?? []).map(displayWidth)))
  );
  const line = (row: readonly string[], alignNumbers: boolean) =>
    row.map((text, c) => pad(text, widths[c]!, alignNumbers && numeric[c] ? "start" : "end"))
      .join("  ").trimEnd();
  return [
    line(columns, false),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...cells.flatMap((row) => {
      const height = Math.max(1, ...row.map((lines) => lines.length));
      return Array.from({ length: height }, (_, i) => line(row.map((lines) => lines[i] ?? ""), true));
    }),
  ];
}

/**
 * Shows rows of objects as a table: HTML for notebooks, Markdown, and a
 * column-aligned plain-text table for terminals. Plain-text alignment counts
 * East Asian wide characters (`台灣`) as two columns, and a cell longer than
 * 48 columns wraps onto more lines, so no line runs off a notebook's page. Columns whose values are
 * all numbers are right-aligned. Nested values are shown as JSON.
 *
 * @example Show classification scores
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "@hf-workbook/workbook/display";
 *
 * const rows = [{ label: "正面", score: 0.9812 }, { label: "negative", score: 0.0188 }];
 * const shown = table(rows, { format: { score: 2 }, highlight: (row) => row.score > 0.5 });
 * assert.equal(String(shown), [
 *   "label     score",
 *   "--------  ------",
 *   "*正面*    *0.98*",
 *   "negative    0.02",
 * ].join("\n"));
 * assert.ok(shown.bundle()["text/html"]?.includes("<th>label</th>"));
 * ```
 *
 * @param rows The rows; each object is one row.
 * @param options Display options.
 * @returns A display value.
 *
 * @throws {TypeError} When the rows are not a list of records.
 */
export function table<T extends object>(rows: readonly T[], options: TableOptions<T> = {}): DisplayValue {
  if (!Array.isArray(rows)) {
    throw new TypeError(`Cannot show a table: "rows" must be an array of objects, got ${typeof rows}`);
  }
  type Key = keyof T & string;
  const records = rows as readonly Record<string, unknown>[];
  const columns: Key[] = options.columns
    ? [...options.columns]
    : [...new Set(records.flatMap((row) => Object.keys(row)))] as Key[];
  const { caption, highlight } = options;
  const format = (options.format ?? {}) as Record<string, NumberFormat | undefined>;

  const texts = records.map((row) => columns.map((column) => cellText(row[column], format[column])));
  const marked = rows.map((row) => columns.map((column) => highlight?.(row, column) ?? false));
  const numeric = columns.map((column) =>
    records.some((row) => typeof row[column] === "number") &&
    records.every((row) =>
      row[column] === null || row[column] === undefined || typeof row[column] === "number"
    )
  );

  const plain = plainTable(columns, texts, numeric, marked);
  if (caption !== undefined) plain.unshift(oneLine(caption));

  // HTML.
  const align = (c: number) => (numeric[c] ? ' style="text-align:right"' : "");
  const head = columns.map((column, c) => `<th${align(c)}>${escapeHtml(column)}</th>`).join("");
  const body = texts.map((cells, r) =>
    "<tr>" + cells.map((text, c) => {
      const content = marked[r]?.[c] ? `<strong>${escapeHtml(text)}</strong>` : escapeHtml(text);
      return `<td${align(c)}>${content}</td>`;
    }).join("") + "</tr>"
  ).join("");
  const htmlCaption = caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`;
  const html = `<table>${htmlCaption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;

  // Markdown.
  const markdown = columns.length === 0 ? "*(empty table)*" : [
    `| ${columns.map(markdownCell).join(" | ")} |`,
    `| ${columns.map((_, c) => (numeric[c] ? "---:" : "---")).join(" | ")} |`,
    ...texts.map((cells, r) =>
      `| ${
        cells.map((text, c) => (marked[r]?.[c] ? `**${markdownCell(text)}**` : markdownCell(text))).join(
          " | ",
        )
      } |`
    ),
  ].join("\n");

  return new DisplayValue({
    "text/plain": plain.join("\n"),
    "text/html": html,
    "text/markdown": caption === undefined ? markdown : `**${markdownCell(caption)}**\n\n${markdown}`,
  }, { caption: captionOf(rows, options) });
}
