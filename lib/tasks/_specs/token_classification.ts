/**
 * The contract of token-classification: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/token-classification/input.json" with { type: "json" };
import output from "./hf/token-classification/output.json" with { type: "json" };

/** Token classification: named entities. */
export const TOKEN_CLASSIFICATION_CONTRACT: TaskContract = defineContract({
  task: "token-classification",
  input,
  output,
  defaultModel: "FacebookAI/xlm-roberta-large-finetuned-conll03-english",
  rules: {
    stride: { minimum: 0 },
    ignore_labels: { items: { type: "string", pattern: "\\S", "x-must": "be a non-blank label" } },
  },
});
