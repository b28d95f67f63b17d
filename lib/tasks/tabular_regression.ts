/**
 * Tabular regression: a number for each row of a table, predicted by a model
 * trained on tables of the same columns (scikit-learn models on the Hub, such
 * as a fish-weight regressor).
 *
 * @module
 */

import { tabularRegression as libraryTabularRegression } from "npm:@huggingface/inference@^4.13.30";
import { checkOnePerRow, checkTable, type TabularInput } from "./_tabular.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TABULAR_REGRESSION_CONTRACT as CONTRACT } from "./_specs/tabular_regression.ts";

export type { TabularData, TabularInput } from "./_tabular.ts";

/** One predicted value per row, top row first, as `@huggingface/inference` types it. */
export type TabularRegressionOutput = number[];

/**
 * A scikit-learn linear regression of a fish's weight in grams from its
 * species and five measurements in centimetres (the model
 * `@huggingface/inference` names as its example, and the one its recorded
 * test answered).
 */
export const TABULAR_REGRESSION_MODEL: string = CONTRACT.defaultModel; // "scikit-learn/Fish-Weight"

/**
 * Options of {@linkcode tabularRegression}: the task takes no parameters
 * (`extraParameters` still go as given, for a server that reads some).
 */
export type TabularRegressionOptions = Omit<TaskOptions, "parameters">;

/**
 * Predict a number for each row of a table. The table is checked before any
 * request: columns named as the model's features (its model card lists them),
 * each a non-empty list of strings or numbers, all as long as each other;
 * numbers are sent as text, as the service reads them. The answer is checked
 * to hold one number per row.
 *
 * @example Weigh two fish (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeHub } from "./_fake_hub.ts";
 * import { tabularRegression } from "@hf-workbook/workbook";
 *
 * const grams = await tabularRegression({ data: { Species: ["Bream", "Bream"], Length1: [23.2, 24] } }, fakeHub("tabular-regression", [270.5, 313.7]));
 * assert.deepEqual(grams, [270.5, 313.7]);
 * ```
 *
 * @example Columns of different lengths: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { tabularRegression } from "@hf-workbook/workbook";
 *
 * await assert.rejects(tabularRegression({ data: { Species: ["Bream", "Pike"], Width: [4.02] } }, { mode: "replay" }), {
 *   name: "RangeError",
 *   message: 'Cannot predict table values: "data["Width"]" must have 2 cells like the first column, got 1; every column holds one cell per row',
 * });
 * ```
 *
 * @param input The rows, as columns: `{data: {column: [cells]}}`.
 * @param options The model and transport options.
 * @returns One value per row, top row first.
 */
export async function tabularRegression(
  input: TabularInput,
  options: TabularRegressionOptions = {},
): Promise<TabularRegressionOutput> {
  const verb = "predict table values";
  const { inputs, rows } = checkTable(input, verb);
  const parameters = parametersToSend(CONTRACT, options, verb);
  const output = await runTask({
    task: CONTRACT.task,
    verb,
    defaultModel: CONTRACT.defaultModel,
    call: libraryTabularRegression,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  checkOnePerRow(output, rows, verb, options.model ?? options.endpointUrl ?? CONTRACT.defaultModel);
  return output;
}
