/**
 * What tabular classification and tabular regression share: the table a
 * model reads (columns of cells, every column as long as the others),
 * checked before any request and sent as the service reads it (every cell a
 * string), and the answer checked to hold one number per row.
 *
 * @module
 */

import { HfOutputError } from "../errors.ts";
import { checkKeys, checkObject, got } from "./_check.ts";
import { formatSize, MAX_UPLOAD_BYTES } from "./_media.ts";

/** A table by columns: each column's name and its cells, top row first; every column has as many cells. */
export type TabularData = Record<string, readonly (string | number)[]>;

/** The input of a tabular task: the rows to predict, as columns. */
export interface TabularInput {
  /** The table, by columns, named as the model was trained on them (the model card lists them). */
  data: TabularData;
}

/** The table as it is sent: every cell a string, as the service reads it. */
export type SentTable = { data: Record<string, string[]> };

/**
 * Check a table before any request and turn it into what is sent: an object
 * of at least one column, every column named, a non-empty list of strings or
 * finite numbers (numbers are sent as text, `7.4` as `"7.4"`), every column as
 * long as the first, and the whole at most 10 MB as JSON.
 *
 * @returns The table to send, and its number of rows.
 *
 * @throws {TypeError} When the table is not columns of values.
 * @throws {RangeError} When the table is empty, ragged or too large.
 */
export function checkTable(input: unknown, verb: string): { inputs: SentTable; rows: number } {
  checkObject(input, "input", verb);
  checkKeys(input, ["data"], "input", verb);
  const { data } = input;
  checkObject(data, "data", verb);
  const columns = Object.entries(data);
  if (columns.length === 0) {
    throw new TypeError(`Cannot ${verb}: "data" must hold at least one column, got an empty object`);
  }
  const sent: Record<string, string[]> = {};
  let rows = -1;
  for (const [name, cells] of columns) {
    if (name.trim() === "") {
      throw new TypeError(`Cannot ${verb}: "data" must name every column, got a blank column name`);
    }
    const where = `data[${JSON.stringify(name)}]`;
    if (!Array.isArray(cells)) {
      throw new TypeError(`Cannot ${verb}: "${where}" must be a list of cells, got ${got(cells)}`);
    }
    if (rows === -1) rows = cells.length;
    if (cells.length === 0) {
      throw new RangeError(`Cannot ${verb}: "${where}" must have at least one cell (one per row), got 0`);
    }
    if (cells.length !== rows) {
      throw new RangeError(
        `Cannot ${verb}: "${where}" must have ${rows} cells like the first column, got ${cells.length}; ` +
          "every column holds one cell per row",
      );
    }
    sent[name] = cells.map((cell: unknown, i) => cellText(cell, `${where}[${i}]`, verb));
  }
  const size = new TextEncoder().encode(JSON.stringify({ inputs: { data: sent } })).length;
  if (size > MAX_UPLOAD_BYTES) {
    throw new RangeError(
      `Cannot ${verb}: "data" must be at most ${formatSize(MAX_UPLOAD_BYTES)} as JSON, got ${
        formatSize(size) === formatSize(MAX_UPLOAD_BYTES)
          ? `${size.toLocaleString("en")} bytes`
          : formatSize(size)
      }; send the rows in several calls (the router refuses large bodies with 413)`,
    );
  }
  return { inputs: { data: sent }, rows };
}

function cellText(cell: unknown, where: string, verb: string): string {
  if (typeof cell === "string") return cell;
  if (typeof cell === "number" && Number.isFinite(cell)) return String(cell);
  throw new TypeError(`Cannot ${verb}: "${where}" must be a string or a finite number, got ${got(cell)}`);
}

/**
 * Check that an answer holds one prediction per row (the library checks only
 * that it is a list of numbers).
 *
 * @throws {HfOutputError} When it holds another count.
 */
export function checkOnePerRow(output: readonly number[], rows: number, verb: string, model: string): void {
  if (output.length !== rows) {
    throw new HfOutputError(
      `Cannot ${verb}: the answer of ${model} holds ${output.length} predictions for ${rows} rows`,
      JSON.stringify(output),
    );
  }
}
