/**
 * The contract of audio-to-audio. `@huggingface/tasks` ships no spec for it
 * (its task folder has no `spec/`), so the input schema here is the
 * workbook's, written after `@huggingface/inference`'s `AudioToAudioArgs`:
 * the recording's bytes, no parameters. The recording is checked by the task
 * file (`readMedia`: format by magic bytes, size).
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";

/** The body: the recording itself; no `parameters` (the library sends none). */
const input = {
  $id: "/inference/schemas/audio-to-audio/input.json",
  title: "AudioToAudioInput",
  type: "object",
  properties: {
    inputs: { type: "string", description: "The recording, as bytes.", comment: "type=binary" },
  },
  required: ["inputs"],
};

/** One labelled recording per output, base64-encoded, as HF Inference answers (after the real recorded answers). */
const output = {
  $id: "/inference/schemas/audio-to-audio/output.json",
  title: "AudioToAudioOutput",
  type: "array",
  items: {
    type: "object",
    properties: {
      label: { type: "string" },
      blob: { type: "string" },
      "content-type": { type: "string" },
    },
    required: ["label", "blob"],
  },
};

/** Audio to audio: speech separated from noise by default (SepFormer on WHAM!). */
export const AUDIO_TO_AUDIO_CONTRACT: TaskContract = defineContract({
  task: "audio-to-audio",
  input,
  output,
  defaultModel: "speechbrain/sepformer-wham",
});
