/**
 * The contract of tabular-classification. `@huggingface/tasks` ships no spec for it
 * (its task folder has no `spec/`), so the input schema here is the
 * workbook's, written after the API docs and `@huggingface/inference`'s
 * `TabularClassificationArgs`: `{"inputs": {"data": {column: [cells]}}}`, no
 * parameters. The table's shape is checked by the task file.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";

/** The body: the table by columns, every cell a string; no `parameters` (the service reads none). */
const input = {
  $id: "/inference/schemas/tabular-classification/input.json",
  title: "TabularClassificationInput",
  type: "object",
  properties: {
    inputs: {
      type: "object",
      properties: {
        data: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
      },
      required: ["data"],
    },
  },
  required: ["inputs"],
};

/** One class number per row, as the library checks it. */
const output = {
  $id: "/inference/schemas/tabular-classification/output.json",
  title: "TabularClassificationOutput",
  type: "array",
  items: { type: "number" },
};

/** Tabular classification: red wine quality by default. */
export const TABULAR_CLASSIFICATION_CONTRACT: TaskContract = defineContract({
  task: "tabular-classification",
  input,
  output,
  defaultModel: "vvmnnnkv/wine-quality",
});
