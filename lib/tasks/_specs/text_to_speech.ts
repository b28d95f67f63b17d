/**
 * The contract of text-to-speech: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { GENERATION_RULE } from "./_rules.ts";
import input from "./hf/text-to-speech/input.json" with { type: "json" };
import output from "./hf/text-to-speech/output.json" with { type: "json" };

/** Text to speech: a voice reading a text aloud. */
export const TEXT_TO_SPEECH_CONTRACT: TaskContract = defineContract({
  task: "text-to-speech",
  input,
  output,
  defaultModel: "hexgrad/Kokoro-82M",
  rules: {
    generation_parameters: GENERATION_RULE,
  },
});
