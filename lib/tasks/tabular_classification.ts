/**
 * Tabular classification: a class for each row of a table, predicted by a
 * model trained on tables of the same columns (scikit-learn models on the
 * Hub, such as a wine-quality classifier).
 *
 * @module
 */

import { tabularClassification as libraryTabularClassification } from "npm:@huggingface/inference@^4.13.30";
import { checkOnePerRow, checkTable, type TabularInput } from "./_tabular.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TABULAR_CLASSIFICATION_CONTRACT as CONTRACT } from "./_specs/tabular_classification.ts";

export type { TabularData, TabularInput } from "./_tabular.ts";

/** One predicted class per row, top row first, as `@huggingface/inference` types it (class numbers). */
export type TabularClassificationOutput = number[];

/**
 * A scikit-learn pipeline that rates red wines 3 to 8 from eleven lab
 * measurements (the model `@huggingface/inference` names as its example, and
 * the one its recorded test answered).
 */
export const TABULAR_CLASSIFICATION_MODEL: string = CONTRACT.defaultModel; // "vvmnnnkv/wine-quality"

/**
 * Options of {@linkcode tabularClassification}: the task takes no parameters
 * (`extraParameters` still go as given, for a server that reads some).
 */
export type TabularClassificationOptions = Omit<TaskOptions, "parameters">;

/**
 * Predict a class for each row of a table. The table is checked before any
 * request: columns named as the model's features (its model card lists them),
 * each a non-empty list of strings or numbers, all as long as each other;
 * numbers are sent as text, as the service reads them. The answer is checked
 * to hold one class per row.
 *
 * @example Rate three wines (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeHub } from "./_fake_hub.ts";
 * import { tabularClassification } from "@hf-workbook/workbook";
 *
 * const quality = await tabularClassification({ data: { alcohol: [9.4, 12.6], pH: ["3.51", "3.23"] } }, fakeHub("tabular-classification", [5, 7]));
 * assert.deepEqual(quality, [5, 7]);
 * ```
 *
 * @example Columns of different lengths: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { tabularClassification } from "@hf-workbook/workbook";
 *
 * await assert.rejects(tabularClassification({ data: { alcohol: [9.4, 12.6], pH: [3.5] } }, { mode: "replay" }), {
 *   name: "RangeError",
 *   message: 'Cannot classify table rows: "data["pH"]" must have 2 cells like the first column, got 1; every column holds one cell per row',
 * });
 * ```
 *
 * @param input The rows, as columns: `{data: {column: [cells]}}`.
 * @param options The model and transport options.
 * @returns One class per row, top row first.
 */
export async function tabularClassification(
  input: TabularInput,
  options: TabularClassificationOptions = {},
): Promise<TabularClassificationOutput> {
  const verb = "classify table rows";
  const { inputs, rows } = checkTable(input, verb);
  const parameters = parametersToSend(CONTRACT, options, verb);
  const output = await runTask({
    task: CONTRACT.task,
    verb,
    defaultModel: CONTRACT.defaultModel,
    call: libraryTabularClassification,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  checkOnePerRow(output, rows, verb, options.model ?? options.endpointUrl ?? CONTRACT.defaultModel);
  return output;
}
