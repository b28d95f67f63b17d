/**
 * The contract of audio-classification: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/audio-classification/input.json" with { type: "json" };
import output from "./hf/audio-classification/output.json" with { type: "json" };

/** Audio classification: the emotion of a voice by default (SUPERB emotion recognition). */
export const AUDIO_CLASSIFICATION_CONTRACT: TaskContract = defineContract({
  task: "audio-classification",
  input,
  output,
  defaultModel: "superb/hubert-large-superb-er",
  rules: { top_k: { minimum: 1 } },
});
