/**
 * Text to speech: a voice reading a text aloud. Served by fal-ai (which
 * answers with a link to the recording on its storage, downloaded through
 * the workbook's transport), replicate, and HF Inference for the models it
 * deploys (the recording's bytes in the answer).
 *
 * @module
 */

import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import { checkKeys, checkNumber, checkObject, checkText } from "./_check.ts";
import { generatedMedia } from "./_generated_media.ts";
import type { MediaBytes } from "./_media.ts";

/** The default model: Kokoro, a small English voice that fal-ai serves as `fal-ai/kokoro/american-english`. */
export const TEXT_TO_SPEECH_MODEL = "hexgrad/Kokoro-82M";

/** Parameters of text to speech. */
export interface TextToSpeechParameters {
  /** Generation settings of HF Inference's speech models (`do_sample`, `temperature`, `max_new_tokens`, ...). */
  generation_parameters?: Record<string, unknown>;
  /** The voice, for providers that offer several (fal-ai's Kokoro: `"af_heart"`, `"am_adam"`, ...). */
  voice?: string;
  /** The speaking rate, for providers that take one (fal-ai's Kokoro: `1` is normal speed). */
  speed?: number;
}

/** Options of {@linkcode textToSpeech}: the provider defaults to `"auto"`. */
export type TextToSpeechOptions = ProviderTaskOptions<TextToSpeechParameters>;

/** A generated recording: its bytes and media type (`audio/wav`, `audio/mpeg`, `audio/flac`, ...), read from the bytes. */
export type GeneratedAudio = MediaBytes;

const KEYS = ["generation_parameters", "voice", "speed"] as const;

/**
 * Read a text aloud. The text and parameters are checked before any request;
 * a link in the answer is downloaded through the transport (no token is sent
 * to the provider's storage), so replay answers it offline.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's answer, spoken by espeak-ng, not by Kokoro)
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOf } from "../provenance.ts";
 * import { textToSpeech } from "./text_to_speech.ts";
 *
 * const speech = await textToSpeech("An apple on the window.", { mode: "replay" });
 * assert.equal(speech.mediaType, "audio/wav");
 * assert.equal(provenanceOf(speech)?.kind, "authored");
 * ```
 *
 * @example A speed that is not a number is rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { textToSpeech } from "./text_to_speech.ts";
 *
 * await assert.rejects(textToSpeech("Hi", { parameters: { speed: "fast" as unknown as number }, mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot generate speech: "parameters.speed" must be a number, got a string',
 * });
 * ```
 *
 * @param inputs The text to read.
 * @param options The model, the provider, the parameters and transport options.
 * @returns The recording's bytes and media type.
 */
export async function textToSpeech(
  inputs: string,
  options: TextToSpeechOptions = {},
): Promise<GeneratedAudio> {
  const verb = "generate speech";
  checkText(inputs, "inputs", verb);
  const { parameters } = options;
  if (parameters !== undefined) {
    checkObject(parameters, "parameters", verb);
    checkKeys(parameters, KEYS, "parameters", verb);
    if (parameters.generation_parameters !== undefined) {
      checkObject(parameters.generation_parameters, "parameters.generation_parameters", verb);
    }
    if (parameters.voice !== undefined) checkText(parameters.voice, "parameters.voice", verb);
    checkNumber(parameters.speed, "parameters.speed", verb, { min: 0, max: 10 });
  }
  const answer = await runProviderTask({
    task: "text-to-speech",
    verb,
    defaultModel: TEXT_TO_SPEECH_MODEL,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "audio", verb, options.model ?? TEXT_TO_SPEECH_MODEL);
}
