/**
 * The contract of text-classification: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/text-classification/input.json" with { type: "json" };
import output from "./hf/text-classification/output.json" with { type: "json" };

/** Text classification: sentiment, POSITIVE or NEGATIVE. */
export const TEXT_CLASSIFICATION_CONTRACT: TaskContract = defineContract({
  task: "text-classification",
  input,
  output,
  defaultModel: "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
  rules: { top_k: { minimum: 1 } },
});
