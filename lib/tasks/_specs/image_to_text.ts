/**
 * The contract of image-to-text: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { GENERATION_RULE } from "./_rules.ts";
import input from "./hf/image-to-text/input.json" with { type: "json" };
import output from "./hf/image-to-text/output.json" with { type: "json" };

/** Image to text: a caption. */
export const IMAGE_TO_TEXT_CONTRACT: TaskContract = defineContract({
  task: "image-to-text",
  input,
  output,
  defaultModel: "Salesforce/blip-image-captioning-base",
  rules: {
    max_new_tokens: { minimum: 1 },
    generation_parameters: GENERATION_RULE,
  },
});
