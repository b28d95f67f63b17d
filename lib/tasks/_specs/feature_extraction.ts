/**
 * The contract of feature-extraction: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/feature-extraction/input.json" with { type: "json" };
import output from "./hf/feature-extraction/output.json" with { type: "json" };

/** Feature extraction: vectors; its parameters sit at the top level of the body, next to `inputs`. */
export const FEATURE_EXTRACTION_CONTRACT: TaskContract = defineContract({
  task: "feature-extraction",
  input,
  output,
  defaultModel: "sentence-transformers/all-MiniLM-L6-v2",
  parametersAt: "root",
  // The spec describes none of these three; the descriptions are the workbook's.
  rules: {
    prompt_name: { pattern: "\\S", "x-must": "be a non-empty string" },
    normalize: { description: "Scale each vector to length 1." },
    truncate: { description: "Cut inputs longer than the model's limit instead of failing." },
    truncation_direction: { description: "Which end of an over-long input is cut when truncate is on." },
  },
});
