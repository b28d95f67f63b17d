/**
 * The contract of text-to-video: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/text-to-video/input.json" with { type: "json" };
import output from "./hf/text-to-video/output.json" with { type: "json" };

/** Text to video: a short clip from a prompt (served by providers: fal-ai, novita, replicate, together, wavespeed). */
export const TEXT_TO_VIDEO_CONTRACT: TaskContract = defineContract({
  task: "text-to-video",
  input,
  output,
  defaultModel: "Lightricks/LTX-Video",
  rules: {
    guidance_scale: { minimum: 0 },
    num_inference_steps: { minimum: 1 },
    negative_prompt: { items: { type: "string", pattern: "\\S", "x-must": "be a non-empty string" } },
    num_frames: { type: "integer", minimum: 1 },
    seed: { minimum: 0 },
  },
});
