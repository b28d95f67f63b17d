import { DisplayValue } from "./_bundle.ts";
import { displayWidth, oneLine, pad, truncate } from "./_width.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** One bar of {@linkcode barChart}. */
export interface BarChartRow {
  /** The category, shown on the y axis. */
  label: string;
  /** The length of the bar. */
  value: number;
}

/** A scored label, as classification tasks answer (`{label, score}`): drawn with `score` as the bar's length. */
export interface ScoredLabel {
  /** The category, shown on the y axis. */
  label: string;
  /** The score, drawn as the length of the bar. */
  score: number;
}

/** Options for {@linkcode barChart}. */
export interface BarChartOptions extends SourceOptions {
  /** A heading shown above the chart. */
  title?: string;
  /** The label of the value axis, e.g. `"score"`. */
  xLabel?: string;
  /**
   * The range of the value axis, e.g. `[0, 1]` for probabilities.
   *
   * When not given: from 0 (or the smallest negative value) to the largest value.
   */
  domain?: [number, number];
  /**
   * Sort bars by value, largest first. When `false` the bars keep the order of `rows`.
   *
   * @default {true}
   */
  sort?: boolean;
  /**
   * How to write values: a count of decimals or a function.
   *
   * When not given: integers as they are, other numbers with 3 decimals.
   */
  format?: number | ((value: number) => string);
}

const LABEL_COLUMNS = 32;
const BAR_COLUMNS = 24;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

function unicodeBar(fraction: number): string {
  const eighths = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_COLUMNS * 8);
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

function valueFormatter(format: BarChartOptions["format"]): (value: number) => string {
  if (typeof format === "function") return format;
  if (typeof format === "number") return (value) => value.toFixed(format);
  return (value) => (Number.isInteger(value) ? String(value) : value.toFixed(3));
}

/**
 * Draws labelled values as a horizontal bar chart: in a notebook a PNG drawn
 * with Observable Plot (the title above, where the answer came from below),
 * and as a ranked list with Unicode bars in plain text. Plot is loaded only
 * when the chart is first rendered.
 *
 * @example Chart classification scores
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "@hf-workbook/workbook/display";
 *
 * const chart = barChart(
 *   [{ label: "negative", value: 0.02 }, { label: "positive", value: 0.98 }],
 *   { title: "Sentiment", xLabel: "score", domain: [0, 1] },
 * );
 * assert.equal(String(chart).split("\n")[1], "1. positive  ███████████████████████▌ 0.980");
 * const svg = (await chart.svg()) ?? "";
 * assert.ok(svg.indexOf("positive") < svg.indexOf("negative"));
 * assert.ok((await chart.render())["image/png"]?.startsWith("iVBORw0KGgo"));
 * ```
 *
 * @example Chart a classification answer as it comes (`{label, score}` rows)
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "@hf-workbook/workbook/display";
 *
 * const chart = barChart([{ label: "POSITIVE", score: 0.99 }, { label: "NEGATIVE", score: 0.01 }]);
 * assert.match(String(chart), /1\. POSITIVE .* 0\.990/);
 * ```
 *
 * @param input The bars: a label and a finite value (or score) each, labels unique.
 * @param options Display options.
 * @returns A display value.
 *
 * @throws {TypeError} When the scores are not of the expected shape.
 */
export function barChart(
  input: readonly BarChartRow[] | readonly ScoredLabel[],
  options: BarChartOptions = {},
): DisplayValue {
  if (!Array.isArray(input) || input.length === 0) {
    throw new TypeError('Cannot draw a bar chart: "rows" must not be empty');
  }
  const rows: BarChartRow[] = input.map((row: BarChartRow | ScoredLabel) =>
    "value" in row ? row : { label: row.label, value: row.score }
  );
  const seen = new Set<string>();
  for (const row of rows) {
    if (typeof row.value !== "number" || !Number.isFinite(row.value)) {
      throw new TypeError(
        `Cannot draw a bar chart: "value" must be a finite number, got ${row.value} for "${row.label}"`,
      );
    }
    if (seen.has(row.label)) {
      throw new TypeError(`Cannot draw a bar chart: labels must be unique, got "${row.label}" twice`);
    }
    seen.add(row.label);
  }
  const { title, xLabel, domain, sort = true, format } = options;
  const data = sort ? [...rows].sort((a, b) => b.value - a.value) : [...rows];
  const formatValue = valueFormatter(format);

  const labelColumns = Math.min(
    LABEL_COLUMNS,
    Math.max(...data.map((row) => displayWidth(oneLine(row.label)))),
  );
  const draw = async () => {
    const { barChartPicture } = await import("./_bar_chart_picture.ts");
    return barChartPicture(data, { xLabel, domain, labelColumns, formatValue });
  };

  const extent = Math.max(...data.map((row) => Math.abs(row.value)), ...(domain ?? []).map(Math.abs));
  const rank = String(data.length).length;
  const valueTexts = data.map((row) => formatValue(row.value));
  const valueColumns = Math.max(...valueTexts.map(displayWidth));
  const lines = data.map((row, i) => {
    const number = pad(`${i + 1}.`, rank + 1, "start");
    const label = pad(truncate(oneLine(row.label), LABEL_COLUMNS), labelColumns);
    const bar = pad(unicodeBar(extent === 0 ? 0 : Math.abs(row.value) / extent), BAR_COLUMNS);
    return `${number} ${label}  ${bar} ${pad(valueTexts[i]!, valueColumns, "start")}`;
  });
  if (title !== undefined) lines.unshift(oneLine(title));

  return new DisplayValue({ "text/plain": lines.join("\n") }, {
    draw,
    title,
    caption: captionOf(input, options),
  });
}
