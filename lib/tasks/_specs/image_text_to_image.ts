/**
 * The contract of image-text-to-image: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/image-text-to-image/input.json" with { type: "json" };
import output from "./hf/image-text-to-image/output.json" with { type: "json" };

/** Image and text to image: a prompt applied to a picture, or a picture from the prompt alone (fal-ai, wavespeed). */
export const IMAGE_TEXT_TO_IMAGE_CONTRACT: TaskContract = defineContract({
  task: "image-text-to-image",
  input,
  output,
  defaultModel: "black-forest-labs/FLUX.2-dev",
  rules: {
    prompt: { pattern: "\\S", "x-must": "be a non-empty string" },
    negative_prompt: { pattern: "\\S", "x-must": "be a non-empty string" },
    guidance_scale: { minimum: 0 },
    num_inference_steps: { minimum: 1 },
    seed: { minimum: 0 },
    "target_size.width": { type: "integer", minimum: 1 },
    "target_size.height": { type: "integer", minimum: 1 },
  },
});
