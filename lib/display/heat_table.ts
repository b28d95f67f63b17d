import { DisplayValue } from "./_bundle.ts";
import { displayWidth, oneLine, pad, truncate } from "./_width.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** Options for {@linkcode heatTable}. */
export interface HeatTableOptions extends SourceOptions {
  /** A caption shown above the table. */
  caption?: string;
  /**
   * The values mapped to the lightest and the darkest shade; values outside
   * are clamped.
   *
   * When not given: [min(0, smallest value), max(1, largest value)].
   */
  domain?: [number, number];
  /**
   * Labels of the columns, for a matrix that is not square (queries × documents).
   * When not given: the row labels.
   */
  columnLabels?: readonly string[];
}

const LIGHT = [0xf7, 0xfb, 0xff];
const DARK = [0x08, 0x45, 0x94];
const SHORT_LABEL = 12;
const ROW_LABEL = 40;

function hex(channel: number): string {
  return Math.round(channel).toString(16).padStart(2, "0");
}

function shade(t: number): { background: string; color: string } {
  const rgb = LIGHT.map((light, i) => light + (DARK[i]! - light) * t);
  return { background: `#${rgb.map(hex).join("")}`, color: t > 0.55 ? "#ffffff" : "#000000" };
}

/**
 * Shows a matrix of numbers, typically pairwise similarities: in a notebook a
 * PNG of a grid whose cells are shaded from white to dark blue by value, and
 * in plain text a grid with 2 decimals. Columns are numbered when their
 * labels are long (the plain text lists them below).
 *
 * @example Show sentence similarities
 * ```ts
 * import assert from "node:assert/strict";
 * import { heatTable } from "@hf-workbook/workbook/display";
 *
 * const shown = heatTable(["cat", "dog"], [[1, 0.42], [0.42, 1]], { caption: "cosine" });
 * assert.equal(String(shown), [
 *   "cosine",
 *   "      cat   dog",
 *   "cat  1.00  0.42",
 *   "dog  0.42  1.00",
 * ].join("\n"));
 * assert.ok((await shown.svg())?.includes('fill="#084594"'));
 * ```
 *
 * @param labels The row labels (and the column labels of a square matrix).
 * @param matrix One row of finite numbers per label.
 * @param options Display options.
 * @returns A display value.
 *
 * @throws {TypeError} When the matrix or its labels are not of the expected shape.
 */
export function heatTable(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
  options: HeatTableOptions = {},
): DisplayValue {
  const { caption, columnLabels = labels } = options;
  checkMatrix(labels, columnLabels, matrix);
  const values = matrix.flat();
  const [low, high] = options.domain ?? [Math.min(0, ...values), Math.max(1, ...values)];
  const position = (
    value: number,
  ) => (high === low ? 1 : Math.min(1, Math.max(0, (value - low) / (high - low))));

  // Plain text.
  const numbered = columnLabels.some((label) => displayWidth(oneLine(label)) > SHORT_LABEL);
  const square = columnLabels === labels;
  const rowNames = labels.map((label, r) =>
    (numbered && square ? `${r + 1} ` : "") + truncate(oneLine(label), ROW_LABEL)
  );
  const headers = columnLabels.map((label, c) => (numbered ? String(c + 1) : oneLine(label)));
  const grid = matrix.map((row) => row.map((value) => value.toFixed(2)));
  const nameWidth = Math.max(...rowNames.map(displayWidth));
  const widths = headers.map((header, c) =>
    Math.max(displayWidth(header), ...grid.map((row) => row[c]!.length))
  );
  const line = (name: string, cells: readonly string[]) =>
    [pad(name, nameWidth), ...cells.map((cell, c) => pad(cell, widths[c]!, "start"))].join("  ").trimEnd();
  const lines = [line("", headers), ...grid.map((row, r) => line(rowNames[r]!, row))];
  if (numbered && !square) {
    lines.push("", ...columnLabels.map((label, c) => `${c + 1}: ${truncate(oneLine(label), 70)}`));
  }
  if (caption !== undefined) lines.unshift(oneLine(caption));

  const draw = async () => {
    const { heatPicture } = await import("./_heat_picture.ts");
    const legend = numbered && !square ? columnLabels.map((label, c) => `${c + 1}: ${oneLine(label)}`) : [];
    return heatPicture(rowNames, headers, matrix, (value) => shade(position(value)), legend);
  };
  return new DisplayValue({ "text/plain": lines.join("\n") }, {
    draw,
    title: caption,
    caption: captionOf(matrix, options),
  });
}

/** The matrix has one row of finite numbers per label, one value per column label. */
function checkMatrix(
  labels: readonly string[],
  columnLabels: readonly string[],
  matrix: readonly (readonly number[])[],
): void {
  if (!Array.isArray(matrix as unknown) || matrix.length !== labels.length || labels.length === 0) {
    throw new TypeError(
      `Cannot draw a heat table: "matrix" must have one row per label (${labels.length}), got ${
        Array.isArray(matrix as unknown) ? matrix.length : typeof matrix
      }`,
    );
  }
  matrix.forEach((row, r) => {
    if (!Array.isArray(row as unknown) || row.length !== columnLabels.length) {
      throw new TypeError(
        `Cannot draw a heat table: row ${r} must have ${columnLabels.length} values, got ${row?.length}`,
      );
    }
    const bad = row.find((value) => typeof value !== "number" || !Number.isFinite(value));
    if (bad !== undefined) {
      throw new TypeError(`Cannot draw a heat table: row ${r} must hold finite numbers, got ${bad}`);
    }
  });
}
