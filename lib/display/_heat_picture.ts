/**
 * The picture of {@linkcode heatTable}: a grid of shaded cells with their
 * values, row labels on the left and column labels on top. Loaded lazily.
 *
 * @module
 */

import { escapeHtml, type Picture } from "./_bundle.ts";
import { FONT_FAMILY } from "./_raster.ts";
import { textWidth } from "./_text_metrics.ts";

const SIZE = 13;
const CELL_WIDTH = 56;
const CELL_HEIGHT = 28;
const PAD = 8;
const MAX_LABEL = 260;

function cut(text: string, width: number): string {
  if (textWidth(text, SIZE) <= width) return text;
  let out = "";
  for (const char of text) {
    if (textWidth(out + char + "…", SIZE) > width) break;
    out += char;
  }
  return out + "…";
}

/** A shaded cell: its background and text colour. */
export interface Shade {
  background: string;
  color: string;
}

/**
 * Draws the grid; `headers` are the (possibly numbered) column labels, `rows`
 * the row labels, `legend` lines drawn under the grid (what numbered columns
 * stand for).
 */
export function heatPicture(
  rows: readonly string[],
  headers: readonly string[],
  matrix: readonly (readonly number[])[],
  shadeOf: (value: number) => Shade,
  legend: readonly string[] = [],
): Picture {
  const labels = rows.map((label) => cut(label, MAX_LABEL));
  const labelWidth = Math.ceil(Math.max(0, ...labels.map((label) => textWidth(label, SIZE)))) + PAD;
  const cellWidth = Math.max(CELL_WIDTH, ...headers.map((h) => Math.ceil(textWidth(h, SIZE)) + PAD));
  const shownHeaders = headers.map((h) => cut(h, cellWidth - 4));
  const gridWidth = PAD * 2 + labelWidth + cellWidth * headers.length;
  const legendLines = legend.map((line) => cut(line, Math.max(gridWidth, 480) - 2 * PAD));
  const width = Math.ceil(
    Math.max(gridWidth, ...legendLines.map((line) => textWidth(line, SIZE) + 2 * PAD)),
  );
  const gridHeight = PAD * 2 + CELL_HEIGHT * (rows.length + 1);
  const height = gridHeight + legendLines.length * SIZE * 1.5;
  const shapes: string[] = [];
  const text = (x: number, y: number, anchor: string, fill: string, content: string) =>
    `<text x="${x}" y="${y}" text-anchor="${anchor}" font-size="${SIZE}" fill="${fill}">${
      escapeHtml(content)
    }</text>`;
  shownHeaders.forEach((header, c) => {
    const x = PAD + labelWidth + c * cellWidth + cellWidth / 2;
    shapes.push(text(x, PAD + CELL_HEIGHT * 0.65, "middle", "#222222", header));
  });
  matrix.forEach((values, r) => {
    const y = PAD + CELL_HEIGHT * (r + 1);
    shapes.push(text(PAD, y + CELL_HEIGHT * 0.65, "start", "#222222", labels[r]!));
    values.forEach((value, c) => {
      const x = PAD + labelWidth + c * cellWidth;
      const { background, color } = shadeOf(value);
      shapes.push(
        `<rect x="${x}" y="${y}" width="${cellWidth}" height="${CELL_HEIGHT}" fill="${background}" ` +
          `stroke="#ffffff"/>`,
        text(x + cellWidth - 6, y + CELL_HEIGHT * 0.65, "end", color, value.toFixed(2)),
      );
    });
  });
  legendLines.forEach((line, i) => {
    shapes.push(text(PAD, gridHeight + (i + 0.8) * SIZE * 1.5, "start", "#444444", line));
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">${shapes.join("")}</svg>`;
  return { svg, width, height };
}
