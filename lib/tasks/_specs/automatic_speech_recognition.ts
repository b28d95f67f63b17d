/**
 * The contract of automatic-speech-recognition: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { GENERATION_RULE } from "./_rules.ts";
import input from "./hf/automatic-speech-recognition/input.json" with { type: "json" };
import output from "./hf/automatic-speech-recognition/output.json" with { type: "json" };

/** Automatic speech recognition: the series' Ep.1 Mandarin model. */
export const AUTOMATIC_SPEECH_RECOGNITION_CONTRACT: TaskContract = defineContract({
  task: "automatic-speech-recognition",
  input,
  output,
  defaultModel: "ydshieh/wav2vec2-large-xlsr-53-chinese-zh-cn-gpt",
  rules: { generation_parameters: GENERATION_RULE },
});
