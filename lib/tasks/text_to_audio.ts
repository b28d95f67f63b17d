/**
 * Text to audio: music or a sound generated from a prompt. fal-ai serves it
 * as a queued job (polled, then the sound downloaded from its storage);
 * HF Inference serves the models it deploys.
 *
 * @module
 */

import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import type { TextToAudioParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { checkText } from "./_check.ts";
import { generatedMedia } from "./_generated_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TEXT_TO_AUDIO_CONTRACT as CONTRACT } from "./_specs/text_to_audio.ts";
import type { GeneratedAudio } from "./text_to_speech.ts";

export type { GeneratedAudio };

/** The default model: Stable Audio Open 1.0, which fal-ai serves as `fal-ai/stable-audio`. */
export const TEXT_TO_AUDIO_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TextToAudioSpecParameters = Spec;

/**
 * Parameters of text to audio, as the official spec names them:
 * `generation_parameters` (HF Inference's models: `do_sample`, `temperature`,
 * `max_new_tokens`, ...). A provider's own parameters (`seconds_total` and `steps` of fal-ai's Stable Audio) go in
 * `extraParameters`, sent at the top level of its body.
 */
export type TextToAudioParameters = Known<TextToAudioSpecParameters>;

/** Options of {@linkcode textToAudio}: the provider defaults to `"auto"`. */
export type TextToAudioOptions = ProviderTaskOptions<TextToAudioParameters>;

/**
 * Generate a sound from a prompt. The prompt and parameters are checked
 * before any request; a queued job is polled (signal, `Retry-After` and
 * `poll.deadlineMs` honoured) and its sound downloaded through the transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue: a chime made with sox, not a model's sound)
 * ```ts
 * import assert from "node:assert/strict";
 * import { textToAudio } from "@hf-workbook/workbook";
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
  const parameters = parametersToSend(CONTRACT, options, verb);
  const answer = await runProviderTask({
    task: "text-to-audio",
    verb,
    defaultModel: TEXT_TO_AUDIO_MODEL,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "audio", verb, options.model ?? TEXT_TO_AUDIO_MODEL);
}
