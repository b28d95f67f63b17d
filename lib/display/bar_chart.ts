import * as Plot from "@observablehq/plot";
import { DisplayValue, escapeHtml } from "./_bundle.ts";
import { plotDocument, svgMarkup } from "./_plot_document.ts";
import { displayWidth, oneLine, pad, truncate } from "./_width.ts";

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
export interface BarChartOptions {
  /** A heading shown above the chart. */
  title?: string;
  /** The label of the value axis, e.g. `"score"`. */
  xLabel?: string;
  /**
   * The range of the value axis, e.g. `[0, 1]` for probabilities.
   *
   * @default {from 0 (or the smallest negative value) to the largest value}
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
   * @default {integers as they are, other numbers with 3 decimals}
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
 * Draws labelled values as a horizontal bar chart, with Observable Plot, as a
 * deterministic SVG (`image/svg+xml`, also inside `text/html`), and as a
 * ranked list with Unicode bars in plain text.
 *
 * @example Chart classification scores
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "./mod.ts";
 *
 * const chart = barChart(
 *   [{ label: "negative", value: 0.02 }, { label: "positive", value: 0.98 }],
 *   { title: "Sentiment", xLabel: "score", domain: [0, 1] },
 * );
 * const svg = chart.bundle()["image/svg+xml"] ?? "";
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.indexOf("positive") < svg.indexOf("negative"));
 * assert.equal(String(chart).split("\n")[1], "1. positive  ███████████████████████▌ 0.980");
 * ```
 *
 * @example Chart a classification answer as it comes (`{label, score}` rows)
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "./mod.ts";
 *
 * const chart = barChart([{ label: "POSITIVE", score: 0.99 }, { label: "NEGATIVE", score: 0.01 }]);
 * assert.match(String(chart), /1\. POSITIVE .* 0\.990/);
 * ```
 *
 * @param input The bars: a label and a finite value (or score) each, labels unique.
 * @param options Display options.
 * @returns A display value.
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
  const tickLabel = (label: string) => truncate(oneLine(label), LABEL_COLUMNS);
  const positive = data.filter((row) => row.value >= 0);
  const negative = data.filter((row) => row.value < 0);
  const text = (bars: BarChartRow[], anchor: "start" | "end") =>
    Plot.text(bars, {
      x: "value",
      y: "label",
      text: (row: BarChartRow) => formatValue(row.value),
      textAnchor: anchor,
      dx: anchor === "start" ? 4 : -4,
    });
  const plot = Plot.plot({
    document: plotDocument(),
    marginLeft: Math.max(40, Math.round(labelColumns * 6.5) + 12),
    marginRight: 48,
    x: { label: xLabel ?? null, domain, nice: domain === undefined },
    y: { label: null, domain: data.map((row) => row.label), tickFormat: tickLabel },
    marks: [
      Plot.barX(data, { x: "value", y: "label", fill: "#4c78a8" }),
      text(positive, "start"),
      text(negative, "end"),
      Plot.ruleX([0]),
    ],
  });
  const svg = svgMarkup(plot, title);

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

  const heading = title === undefined
    ? ""
    : `<figcaption style="font-weight:bold">${escapeHtml(title)}</figcaption>`;
  return new DisplayValue({
    "text/plain": lines.join("\n"),
    "text/html": `<figure style="margin:0">${heading}${svg}</figure>`,
    "image/svg+xml": svg,
  });
}
