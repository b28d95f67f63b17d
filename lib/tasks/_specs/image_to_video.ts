/**
 * The contract of image-to-video: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/image-to-video/input.json" with { type: "json" };
import output from "./hf/image-to-video/output.json" with { type: "json" };

/** Image to video: a picture set in motion (served by providers: fal-ai, together, wavespeed). */
export const IMAGE_TO_VIDEO_CONTRACT: TaskContract = defineContract({
  task: "image-to-video",
  input,
  output,
  defaultModel: "Wan-AI/Wan2.1-I2V-14B-720P",
  rules: {
    prompt: { pattern: "\\S", "x-must": "be a non-empty string" },
    negative_prompt: { pattern: "\\S", "x-must": "be a non-empty string" },
    guidance_scale: { minimum: 0 },
    num_inference_steps: { minimum: 1 },
    num_frames: { type: "integer", minimum: 1 },
    seed: { minimum: 0 },
    "target_size.width": { type: "integer", minimum: 1 },
    "target_size.height": { type: "integer", minimum: 1 },
  },
});
