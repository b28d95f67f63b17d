/**
 * The contract of image-classification: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/image-classification/input.json" with { type: "json" };
import output from "./hf/image-classification/output.json" with { type: "json" };

/** Image classification: ImageNet labels. */
export const IMAGE_CLASSIFICATION_CONTRACT: TaskContract = defineContract({
  task: "image-classification",
  input,
  output,
  defaultModel: "google/vit-base-patch16-224",
  rules: { top_k: { minimum: 1 } },
});
