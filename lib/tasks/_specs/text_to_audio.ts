/**
 * The contract of text-to-audio: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { GENERATION_RULE } from "./_rules.ts";
import input from "./hf/text-to-audio/input.json" with { type: "json" };
import output from "./hf/text-to-audio/output.json" with { type: "json" };

/** Text to audio: music or a sound from a prompt. */
export const TEXT_TO_AUDIO_CONTRACT: TaskContract = defineContract({
  task: "text-to-audio",
  input,
  output,
  defaultModel: "stabilityai/stable-audio-open-1.0",
  rules: {
    generation_parameters: GENERATION_RULE,
  },
});
