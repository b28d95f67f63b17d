/**
 * Table question answering: a question in plain English about a small table,
 * answered by TAPAS with the cells it points at and an aggregator (`NONE`,
 * `SUM`, `COUNT` or `AVERAGE`) that says what to do with them.
 *
 * @module
 */

import { tableQuestionAnswering as libraryTableQuestionAnswering } from "npm:@huggingface/inference@^4.13.30";
import type {
  Padding as TasksPadding,
  TableQuestionAnsweringOutputElement as TasksTableQuestionAnsweringOutputElement,
  TableQuestionAnsweringParameters as TasksTableQuestionAnsweringParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { checkKeys, checkObject, checkText, got } from "./_check.ts";
import { choicesOf, type Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TABLE_QUESTION_ANSWERING_CONTRACT } from "./_specs/table_question_answering.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** The answer to a table question: `answer`, `cells`, their `coordinates` and the `aggregator`, as `@huggingface/tasks` types it. */
export type TableQuestionAnsweringOutputElement = TasksTableQuestionAnsweringOutputElement;

/** Google's TAPAS base fine-tuned on WikiTableQuestions: it picks cells and an aggregator. */
export const TABLE_QUESTION_ANSWERING_MODEL = "google/tapas-base-finetuned-wtq";

/** A table as the service takes it: column name → the column's cells, as strings, every column as long. */
export type TableData = Record<string, string[]>;

/** One question about one table. */
export interface TableQuestionAnsweringInputData {
  /**
   * The question. The service names it `query` (a body with `question`, as
   * `@huggingface/tasks` spells it, is refused with a 400).
   */
  query: string;
  /** The table: column name → cells (strings), all columns the same length, at least one row. */
  table: TableData;
}

/** How inputs are padded (the spec's `padding`). */
export type TablePadding = TasksPadding;

/** The padding strategies, as the spec lists them. */
export const TABLE_PADDINGS: readonly TablePadding[] = choicesOf(
  TABLE_QUESTION_ANSWERING_CONTRACT,
  "padding",
);

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TableQuestionAnsweringSpecParameters = TasksTableQuestionAnsweringParameters;

/** Parameters of table question answering: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type TableQuestionAnsweringParameters = Known<TableQuestionAnsweringSpecParameters>;

/** Options of {@linkcode tableQuestionAnswering}. */
export type TableQuestionAnsweringOptions = TaskOptions<TableQuestionAnsweringParameters>;

/**
 * Answer a question about a table. The input is checked before any request
 * (a `RangeError` names a column that is empty or not as long as the others).
 * The answer has the `cells` the model points at, their `coordinates`
 * (`[row, column]`, counted from 0 without the header), the `aggregator` and
 * an `answer` text: the cells, after `AGGREGATOR > ` when the aggregator is
 * not `NONE`. The model does not compute the aggregate: see
 * {@linkcode aggregateCells}.
 *
 * @example Which city is the largest? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { tableQuestionAnswering } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const table = { City: ["Taipei", "New Taipei"], Population: ["2494813", "4004367"] };
 * const { cells, coordinates } = await tableQuestionAnswering({ query: "Which city has the most people?", table }, fakeHub("table-question-answering", { answer: "New Taipei", coordinates: [[1, 0]], cells: ["New Taipei"], aggregator: "NONE" }));
 * assert.deepEqual(cells, ["New Taipei"]);
 * assert.deepEqual(coordinates, [[1, 0]]);
 * ```
 *
 * @param input The question (`query`) and the table.
 * @param options The model, `parameters` and transport options.
 * @returns The answer.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function tableQuestionAnswering(
  input: TableQuestionAnsweringInputData,
  options: TableQuestionAnsweringOptions = {},
): Promise<TableQuestionAnsweringOutputElement> {
  const verb = "answer the table question";
  checkObject(input, "input", verb);
  checkKeys(input, ["query", "table"], "input", verb);
  checkText(input.query, "query", verb);
  checkTable(input.table, verb);
  const parameters = parametersToSend(TABLE_QUESTION_ANSWERING_CONTRACT, options, verb);
  return await runTask({
    task: "table-question-answering",
    verb,
    defaultModel: TABLE_QUESTION_ANSWERING_MODEL,
    call: libraryTableQuestionAnswering,
    args: { inputs: { query: input.query, table: input.table }, parameters },
  }, options);
}

function checkTable(table: unknown, verb: string): asserts table is TableData {
  checkObject(table, "table", verb);
  const columns = Object.entries(table);
  if (columns.length === 0) {
    throw new RangeError(`Cannot ${verb}: "table" must have at least one column, got none`);
  }
  let first: [string, number] | undefined;
  for (const [name, cells] of columns) {
    if (name.trim() === "") {
      throw new RangeError(`Cannot ${verb}: "table" column names must not be blank, got "${name}"`);
    }
    if (!Array.isArray(cells)) {
      throw new TypeError(`Cannot ${verb}: column "${name}" must be an array of strings, got ${got(cells)}`);
    }
    const bad = cells.findIndex((cell) => typeof cell !== "string");
    if (bad >= 0) {
      throw new TypeError(
        `Cannot ${verb}: column "${name}" must hold strings (write numbers as text), got ${
          got(cells[bad])
        } in row ${bad}`,
      );
    }
    if (cells.length === 0) {
      throw new RangeError(`Cannot ${verb}: column "${name}" must have at least one row, got 0`);
    }
    if (first === undefined) {
      first = [name, cells.length];
    } else if (cells.length !== first[1]) {
      throw new RangeError(
        `Cannot ${verb}: column "${name}" has ${cells.length} rows, but column "${first[0]}" has ${first[1]}`,
      );
    }
  }
}

/** A table as rows, with the answer's cells marked: what the `table()` display takes. */
export interface TableAnswerView {
  /** The columns, in the table's order. */
  columns: string[];
  /** One object per row, column name → cell. */
  rows: Record<string, string>[];
  /** Whether a cell is one the answer points at. */
  highlight: (row: Record<string, string>, column: string) => boolean;
}

/**
 * The table as rows (for the `table()` display), with a `highlight` that
 * marks the cells an answer points at (its `coordinates`, `[row, column]`).
 *
 * @example Mark the answer's cell
 * ```ts
 * import assert from "node:assert/strict";
 * import { tableAnswerView } from "@hf-workbook/workbook";
 *
 * const view = tableAnswerView(
 *   { City: ["Taipei", "Tainan"], Population: ["2494813", "1859509"] },
 *   { answer: "Tainan", cells: ["Tainan"], coordinates: [[1, 0]], aggregator: "NONE" },
 * );
 * assert.deepEqual(view.rows[1], { City: "Tainan", Population: "1859509" });
 * assert.equal(view.highlight(view.rows[1]!, "City"), true);
 * assert.equal(view.highlight(view.rows[0]!, "City"), false);
 * ```
 *
 * @param table The table the question was about.
 * @param answer The answer; without it nothing is highlighted.
 * @returns The columns, the rows and the highlight.
 *
 * @throws {TypeError} When the table or the answer is not of the task's shape.
 */
export function tableAnswerView(
  table: TableData,
  answer?: TableQuestionAnsweringOutputElement,
): TableAnswerView {
  checkTable(table, "show the table");
  const columns = Object.keys(table);
  const height = table[columns[0]!]!.length;
  const rows = Array.from(
    { length: height },
    (_, r) => Object.fromEntries(columns.map((c) => [c, table[c]![r]!])),
  );
  const marked = new Set((answer?.coordinates ?? []).map(([r, c]) => `${r},${c}`));
  return {
    columns,
    rows,
    highlight: (row, column) => marked.has(`${rows.indexOf(row)},${columns.indexOf(column)}`),
  };
}

/**
 * What TAPAS's aggregator means for the answer's cells, computed: `COUNT` →
 * how many cells, `SUM` → their total, `AVERAGE` → their mean (cells read as
 * numbers, thousands separators allowed); `NONE` → the cells themselves,
 * joined with `, `. The model only chooses the aggregator and the cells; the
 * arithmetic is the caller's.
 *
 * @example Add up the cells of a SUM answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { aggregateCells } from "@hf-workbook/workbook";
 *
 * assert.equal(
 *   aggregateCells({ answer: "SUM > 2,494,813, 1,859,509", cells: ["2,494,813", "1,859,509"], coordinates: [[0, 1], [3, 1]], aggregator: "SUM" }),
 *   4354322,
 * );
 * assert.equal(aggregateCells({ answer: "Taipei", cells: ["Taipei"], coordinates: [[0, 0]], aggregator: "NONE" }), "Taipei");
 * ```
 *
 * @param answer The answer of {@linkcode tableQuestionAnswering}.
 * @returns A number for `COUNT`, `SUM` and `AVERAGE`, the cells' text otherwise.
 * @throws {RangeError} When a `SUM` or `AVERAGE` cell is not a number, or an `AVERAGE` has no cells.
 */
export function aggregateCells(
  answer: TableQuestionAnsweringOutputElement,
): number | string {
  const { cells } = answer;
  const aggregator = answer.aggregator ?? "NONE";
  if (aggregator === "COUNT") return cells.length;
  if (aggregator !== "SUM" && aggregator !== "AVERAGE") return cells.join(", ");
  const numbers = cells.map((cell) => {
    const value = Number(cell.replace(/[,\s_]/g, ""));
    if (cell.trim() === "" || !Number.isFinite(value)) {
      throw new RangeError(
        `Cannot aggregate the answer: ${aggregator} needs numbers, got the cell "${cell}"`,
      );
    }
    return value;
  });
  const total = numbers.reduce((sum, x) => sum + x, 0);
  if (aggregator === "SUM") return total;
  if (numbers.length === 0) throw new RangeError("Cannot aggregate the answer: AVERAGE of no cells");
  return total / numbers.length;
}
