/**
 * The picture of {@linkcode barChart}: Observable Plot on a linkedom
 * document. Loaded lazily, at the first render, so importing the display
 * functions costs neither Plot nor a DOM.
 *
 * @module
 */

import * as Plot from "npm:@observablehq/plot@^0.6.17";
import type { Picture } from "./_bundle.ts";
import { plotDocument, svgMarkup } from "./_plot_document.ts";
import { oneLine, truncate } from "./_width.ts";
import type { BarChartRow } from "./bar_chart.ts";

const LABEL_COLUMNS = 32;

/** What the picture needs besides the rows, already checked by `barChart()`. */
export interface BarChartLayout {
  xLabel: string | undefined;
  domain: [number, number] | undefined;
  labelColumns: number;
  formatValue: (value: number) => string;
}

/** Draws the (checked, ordered) rows as horizontal bars with their values. */
export function barChartPicture(data: readonly BarChartRow[], layout: BarChartLayout): Picture {
  const { xLabel, domain, labelColumns, formatValue } = layout;
  const tickLabel = (label: string) => truncate(oneLine(label), LABEL_COLUMNS);
  const text = (bars: BarChartRow[], anchor: "start" | "end") =>
    Plot.text(bars, {
      x: "value",
      y: "label",
      text: (row: BarChartRow) => formatValue(row.value),
      textAnchor: anchor,
      dx: anchor === "start" ? 4 : -4,
    });
  const width = 640;
  const plot = Plot.plot({
    document: plotDocument(),
    width,
    marginLeft: Math.max(40, Math.round(labelColumns * 6.5) + 12),
    marginRight: 48,
    style: { fontSize: "11px" },
    x: { label: xLabel ?? null, domain, nice: domain === undefined },
    y: { label: null, domain: data.map((row) => row.label), tickFormat: tickLabel },
    marks: [
      Plot.barX(data, { x: "value", y: "label", fill: "#4c78a8" }),
      text(data.filter((row) => row.value >= 0), "start"),
      text(data.filter((row) => row.value < 0), "end"),
      Plot.ruleX([0]),
    ],
  });
  const svg = svgMarkup(plot);
  const height = Number(/\bheight="([\d.]+)"/.exec(svg)?.[1] ?? "0");
  return { svg, width, height };
}
