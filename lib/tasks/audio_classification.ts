/**
 * Audio classification: which of the model's classes a recording belongs
 * to, with a score each: the emotion of a voice, the speaker's language or
 * gender, a spoken command, a sound.
 *
 * @module
 */

import { audioClassification as libraryAudioClassification } from "npm:@huggingface/inference@^4.13.30";
import type {
  AudioClassificationOutput as TasksAudioClassificationOutput,
  AudioClassificationOutputElement as TasksAudioClassificationOutputElement,
  AudioClassificationParameters as Spec,
} from "npm:@huggingface/tasks@^0.21.54";
import { mediaCall, type MediaInput, readMedia, sendsJson } from "./_media.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { AUDIO_CLASSIFICATION_CONTRACT as CONTRACT } from "./_specs/audio_classification.ts";

/** The classes of audio classification, most probable first, as `@huggingface/tasks` types them. */
export type AudioClassificationOutput = TasksAudioClassificationOutput;

/** One class: its `label` and its `score`, as `@huggingface/tasks` types it. */
export type AudioClassificationOutputElement = TasksAudioClassificationOutputElement;

/**
 * HuBERT large fine-tuned for emotion recognition (SUPERB): `neu`, `hap`,
 * `ang`, `sad`. The model `@huggingface/inference` recommends, and the one its
 * recorded test answered.
 */
export const AUDIO_CLASSIFICATION_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type AudioClassificationSpecParameters = Spec;

/**
 * Parameters of audio classification, as the official spec names them:
 * `function_to_apply` (how raw outputs become scores) and `top_k` (how many
 * classes, most probable first).
 */
export type AudioClassificationParameters = Known<AudioClassificationSpecParameters>;

/** Options of {@linkcode audioClassification}. */
export type AudioClassificationOptions = TaskOptions<AudioClassificationParameters>;

/**
 * Classify a recording. It is read and checked before any request: a file
 * path, bytes or a `Blob`, not empty, at most 10 MB as sent, and audio by its
 * magic bytes (WAV, FLAC, Ogg, WebM, MP3, MP4/M4A, AAC); the service decodes
 * it and resamples it for the model.
 *
 * Without parameters the recording is sent as raw bytes; with parameters, as
 * JSON with base64 `inputs` (HF Inference reads parameters only from JSON;
 * `@huggingface/inference` 4.13.30 would drop them).
 *
 * @example How does a voice sound? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeHub } from "./_fake_hub.ts";
 * import { audioClassification } from "@hf-workbook/workbook";
 *
 * const flac = new TextEncoder().encode("fLaC\0\0\0\x22");
 * const classes = await audioClassification(flac, fakeHub("audio-classification", [{ label: "neu", score: 0.59 }, { label: "hap", score: 0.2 }]));
 * assert.equal(classes[0]?.label, "neu");
 * ```
 *
 * @example A picture instead of a recording: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { audioClassification } from "@hf-workbook/workbook";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * await assert.rejects(audioClassification(png, { mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot classify audio: "inputs" must be audio in WAV, FLAC, Ogg, WebM, MP3, MP4/M4A or AAC format, got image (PNG)',
 * });
 * ```
 *
 * @param inputs The recording: a file path, its bytes or a `Blob`.
 * @param options The model, the parameters and transport options.
 * @returns The classes with their scores, highest first, as the service sends them.
 */
export async function audioClassification(
  inputs: MediaInput,
  options: AudioClassificationOptions = {},
): Promise<AudioClassificationOutput> {
  const verb = "classify audio";
  const parameters = parametersToSend(CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "audio", base64: sendsJson(parameters, options) });
  return await runTask({
    task: CONTRACT.task,
    verb,
    defaultModel: CONTRACT.defaultModel,
    call: mediaCall("audio-classification", libraryAudioClassification, media, verb),
    args: { ...(parameters ? { parameters } : {}) },
  }, options);
}
