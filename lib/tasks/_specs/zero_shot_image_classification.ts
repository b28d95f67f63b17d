/**
 * The contract of zero-shot-image-classification: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { HYPOTHESIS_TEMPLATE } from "./_rules.ts";
import input from "./hf/zero-shot-image-classification/input.json" with { type: "json" };
import output from "./hf/zero-shot-image-classification/output.json" with { type: "json" };

/** Zero shot image classification: labels chosen at call time. */
export const ZERO_SHOT_IMAGE_CLASSIFICATION_CONTRACT: TaskContract = defineContract({
  task: "zero-shot-image-classification",
  input,
  output,
  defaultModel: "openai/clip-vit-base-patch32",
  rules: {
    candidate_labels: {
      minItems: 1,
      uniqueItems: true,
      items: { type: "string", pattern: "\\S", "x-must": "be a non-blank label" },
      "x-must": "list distinct, non-blank labels (at least one)",
    },
    hypothesis_template: HYPOTHESIS_TEMPLATE,
  },
});
