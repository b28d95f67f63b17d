/**
 * The contract of tabular-regression. `@huggingface/tasks` ships no spec for it
 * (its task folder has no `spec/`), so the input schema here is the
 * workbook's, written after the API docs and `@huggingface/inference`'s
 * `TabularRegressionArgs`: `{"inputs": {"data": {column: [cells]}}}`, no
 * parameters. The table's shape is checked by the task file.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";

/** The body: the table by columns, every cell a string; no `parameters` (the service reads none). */
const input = {
  $id: "/inference/schemas/tabular-regression/input.json",
  title: "TabularRegressionInput",
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

/** One number per row, as the library checks it. */
const output = {
  $id: "/inference/schemas/tabular-regression/output.json",
  title: "TabularRegressionOutput",
  type: "array",
  items: { type: "number" },
};

/** Tabular regression: a fish's weight by default. */
export const TABULAR_REGRESSION_CONTRACT: TaskContract = defineContract({
  task: "tabular-regression",
  input,
  output,
  defaultModel: "scikit-learn/Fish-Weight",
});
