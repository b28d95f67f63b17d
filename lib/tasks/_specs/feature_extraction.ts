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
  rules: { prompt_name: { pattern: "\\S", "x-must": "be a non-empty string" } },
});
