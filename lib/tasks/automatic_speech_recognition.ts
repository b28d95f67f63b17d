/**
 * Automatic speech recognition: the words said in a recording, as text, with
 * timestamps when asked (models such as Whisper).
 *
 * @module
 */

import { automaticSpeechRecognition as libraryAutomaticSpeechRecognition } from "npm:@huggingface/inference@^4.13.30";
import type {
  AutomaticSpeechRecognitionOutput as TasksAutomaticSpeechRecognitionOutput,
  AutomaticSpeechRecognitionOutputChunk as TasksAutomaticSpeechRecognitionOutputChunk,
  AutomaticSpeechRecognitionParameters as TasksAutomaticSpeechRecognitionParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { HfOutputError } from "../errors.ts";
import { mediaCall, type MediaInput, readMedia, sendsJson } from "./_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { AUTOMATIC_SPEECH_RECOGNITION_CONTRACT } from "./_specs/automatic_speech_recognition.ts";
import { runTask, type TaskOptions } from "./_run.ts";

export type { GenerationParameters } from "./_generation_parameters.ts";

/** A transcript: its `text`, and `chunks` when timestamps were asked for, as `@huggingface/tasks` types it. */
export type AutomaticSpeechRecognitionOutput = TasksAutomaticSpeechRecognitionOutput;

/** A piece of a transcript: its `text` and `timestamp`, `[start, end]` in seconds, as `@huggingface/tasks` types it. */
export type AutomaticSpeechRecognitionOutputChunk = TasksAutomaticSpeechRecognitionOutputChunk;

/** The series' model (Ep.1): wav2vec2 XLSR-53 fine-tuned on Mandarin (simplified characters). */
export const AUTOMATIC_SPEECH_RECOGNITION_MODEL = "ydshieh/wav2vec2-large-xlsr-53-chinese-zh-cn-gpt";

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type AutomaticSpeechRecognitionSpecParameters = TasksAutomaticSpeechRecognitionParameters;

/** Parameters of automatic speech recognition: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type AutomaticSpeechRecognitionParameters = Known<AutomaticSpeechRecognitionSpecParameters>;

/** Options of {@linkcode automaticSpeechRecognition}. */
export type AutomaticSpeechRecognitionOptions = TaskOptions<AutomaticSpeechRecognitionParameters>;

/**
 * Transcribe a recording. It is read and checked before any request: a file
 * path, bytes or a `Blob`, not empty, at most 10 MB as sent, and audio by its
 * magic bytes (WAV, FLAC, Ogg, WebM, MP3, MP4/M4A, AAC); the service decodes
 * it and resamples it for the model.
 *
 * Without parameters the recording is sent as raw bytes; with parameters, as
 * JSON with base64 `inputs` (HF Inference reads parameters only from JSON;
 * `@huggingface/inference` 4.13.30 would drop them). The answer is checked:
 * `{text}`, and `chunks` of `{text, timestamp: [start, end]}` when asked.
 *
 * @example Transcribe a clip (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { automaticSpeechRecognition } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const wav = new Uint8Array(64);
 * wav.set(new TextEncoder().encode("RIFF"), 0);
 * wav.set(new TextEncoder().encode("WAVEfmt "), 8);
 * const { text, chunks } = await automaticSpeechRecognition(wav, {
 *   ...fakeHub("automatic-speech-recognition", { text: "an apple on a window", chunks: [{ text: "an apple on a window", timestamp: [0, 1.3] }] }),
 *   parameters: { return_timestamps: true },
 * });
 * assert.equal(text, "an apple on a window");
 * assert.deepEqual(chunks?.[0]?.timestamp, [0, 1.3]);
 * ```
 *
 * @example A picture instead of a recording: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { automaticSpeechRecognition } from "@hf-workbook/workbook";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * await assert.rejects(automaticSpeechRecognition(png, { mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot transcribe audio: "inputs" must be audio in WAV, FLAC, Ogg, WebM, MP3, MP4/M4A or AAC format, got image (PNG)',
 * });
 * ```
 *
 * @param inputs The recording: a file path, its bytes or a `Blob`.
 * @param options The model, the parameters and transport options.
 * @returns The text, with `chunks` when timestamps were asked for.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function automaticSpeechRecognition(
  inputs: MediaInput,
  options: AutomaticSpeechRecognitionOptions = {},
): Promise<AutomaticSpeechRecognitionOutput> {
  const verb = "transcribe audio";
  const parameters = parametersToSend(AUTOMATIC_SPEECH_RECOGNITION_CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "audio", base64: sendsJson(parameters, options) });
  const output = await runTask({
    task: "automatic-speech-recognition",
    verb,
    defaultModel: AUTOMATIC_SPEECH_RECOGNITION_MODEL,
    call: mediaCall("automatic-speech-recognition", libraryAutomaticSpeechRecognition, media, verb),
    args: { parameters },
  }, options);
  if (!isTranscript(output)) {
    throw new HfOutputError(
      `Cannot ${verb}: the answer of ${
        options.model ?? options.endpointUrl ?? AUTOMATIC_SPEECH_RECOGNITION_MODEL
      } is not a transcript: expected {text: string, chunks?: Array<{text: string, timestamp: [number, number]}>}`,
      JSON.stringify(output) ?? String(output),
    );
  }
  return output;
}

function isTranscript(value: unknown): value is AutomaticSpeechRecognitionOutput {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { text, chunks } = value as { text?: unknown; chunks?: unknown };
  if (typeof text !== "string") return false;
  if (chunks === undefined) return true;
  return Array.isArray(chunks) &&
    chunks.every((chunk) =>
      typeof chunk?.text === "string" && Array.isArray(chunk.timestamp) && chunk.timestamp.length === 2 &&
      chunk.timestamp.every((t: unknown) => typeof t === "number" || t === null)
    );
}
