/**
 * Text to audio: music or a sound generated from a prompt. fal-ai serves it
 * as a queued job (polled, then the sound downloaded from its storage);
 * HF Inference serves the models it deploys.
 *
 * @module
 */

import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import { checkKeys, checkNumber, checkObject, checkText } from "./_check.ts";
import { generatedMedia } from "./_generated_media.ts";
import type { GeneratedAudio } from "./text_to_speech.ts";

export type { GeneratedAudio };

/** The default model: Stable Audio Open 1.0, which fal-ai serves as `fal-ai/stable-audio`. */
export const TEXT_TO_AUDIO_MODEL = "stabilityai/stable-audio-open-1.0";

/** Parameters of text to audio. */
export interface TextToAudioParameters {
  /** Generation settings of HF Inference's audio models (`do_sample`, `temperature`, `max_new_tokens`, ...). */
  generation_parameters?: Record<string, unknown>;
  /** The length of the sound in seconds, for providers that take one (fal-ai's Stable Audio: up to 47). */
  seconds_total?: number;
  /** Denoising steps, for diffusion models (fal-ai's Stable Audio). */
  steps?: number;
}

/** Options of {@linkcode textToAudio}: the provider defaults to `"auto"`. */
export type TextToAudioOptions = ProviderTaskOptions<TextToAudioParameters>;

const KEYS = ["generation_parameters", "seconds_total", "steps"] as const;

/**
 * Generate a sound from a prompt. The prompt and parameters are checked
 * before any request; a queued job is polled (signal, `Retry-After` and
 * `poll.deadlineMs` honoured) and its sound downloaded through the transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue: a chime made with sox, not a model's sound)
 * ```ts
 * import assert from "node:assert/strict";
 * import { textToAudio } from "./text_to_audio.ts";
 *
 * const sound = await textToAudio("A bell ringing once in a quiet room", { mode: "replay" });
 * assert.equal(sound.mediaType, "audio/wav");
 * ```
 *
 * @param inputs The prompt.
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The sound's bytes and media type.
 */
export async function textToAudio(inputs: string, options: TextToAudioOptions = {}): Promise<GeneratedAudio> {
  const verb = "generate audio";
  checkText(inputs, "inputs", verb);
  const { parameters } = options;
  if (parameters !== undefined) {
    checkObject(parameters, "parameters", verb);
    checkKeys(parameters, KEYS, "parameters", verb);
    if (parameters.generation_parameters !== undefined) {
      checkObject(parameters.generation_parameters, "parameters.generation_parameters", verb);
    }
    checkNumber(parameters.seconds_total, "parameters.seconds_total", verb, { min: 0 });
    checkNumber(parameters.steps, "parameters.steps", verb, { min: 1, integer: true });
  }
  const answer = await runProviderTask({
    task: "text-to-audio",
    verb,
    defaultModel: TEXT_TO_AUDIO_MODEL,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "audio", verb, options.model ?? TEXT_TO_AUDIO_MODEL);
}
