/**
 * The contract of zero-shot-classification: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { HYPOTHESIS_TEMPLATE, MAX_CANDIDATE_LABELS } from "./_rules.ts";
import input from "./hf/zero-shot-classification/input.json" with { type: "json" };
import output from "./hf/zero-shot-classification/output.json" with { type: "json" };

/** Zero shot classification: labels chosen at call time; the router takes at most 10. */
export const ZERO_SHOT_CLASSIFICATION_CONTRACT: TaskContract = defineContract({
  task: "zero-shot-classification",
  input,
  output,
  defaultModel: "facebook/bart-large-mnli",
  rules: {
    candidate_labels: {
      minItems: 1,
      maxItems: MAX_CANDIDATE_LABELS,
      uniqueItems: true,
      items: { type: "string", pattern: "\\S", "x-must": "be a non-blank label" },
      "x-must": `list 1 to ${MAX_CANDIDATE_LABELS} distinct, non-blank labels`,
    },
    hypothesis_template: HYPOTHESIS_TEMPLATE,
  },
});
