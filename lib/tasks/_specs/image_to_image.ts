/**
 * The contract of image-to-image: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/image-to-image/input.json" with { type: "json" };
import output from "./hf/image-to-image/output.json" with { type: "json" };

/** Image to image: a picture turned into another, as a prompt says. */
export const IMAGE_TO_IMAGE_CONTRACT: TaskContract = defineContract({
  task: "image-to-image",
  input,
  output,
  defaultModel: "black-forest-labs/FLUX.1-Kontext-dev",
  rules: {
    prompt: { pattern: "\\S", "x-must": "be a non-empty string" },
    negative_prompt: { pattern: "\\S", "x-must": "be a non-empty string" },
    guidance_scale: { minimum: 0 },
    num_inference_steps: { minimum: 1 },
    "target_size.width": { type: "integer", minimum: 1 },
    "target_size.height": { type: "integer", minimum: 1 },
  },
});
