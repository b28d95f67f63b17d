/**
 * The contract of text-to-image: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/text-to-image/input.json" with { type: "json" };
import output from "./hf/text-to-image/output.json" with { type: "json" };

/** Text to image: a picture from a prompt. */
export const TEXT_TO_IMAGE_CONTRACT: TaskContract = defineContract({
  task: "text-to-image",
  input,
  output,
  defaultModel: "stable-diffusion-v1-5/stable-diffusion-v1-5",
  rules: {
    negative_prompt: { pattern: "\\S", "x-must": "be a non-empty string" },
    scheduler: { pattern: "\\S", "x-must": "be a non-empty string" },
    guidance_scale: { minimum: 0 },
    num_inference_steps: { minimum: 1 },
    width: { minimum: 1 },
    height: { minimum: 1 },
    seed: { minimum: 0 },
  },
});
