/**
 * Text to speech: a voice reading a text aloud. Served by fal-ai (which
 * answers with a link to the recording on its storage, downloaded through
 * the workbook's transport), replicate, and HF Inference for the models it
 * deploys (the recording's bytes in the answer).
 *
 * @module
 */

import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import type { TextToSpeechParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { checkText } from "./_check.ts";
import { generatedMedia } from "./_generated_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TEXT_TO_SPEECH_CONTRACT as CONTRACT } from "./_specs/text_to_speech.ts";
import type { MediaBytes } from "./_media.ts";

/** The default model: Kokoro, a small English voice that fal-ai serves as `fal-ai/kokoro/american-english`. */
export const TEXT_TO_SPEECH_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TextToSpeechSpecParameters = Spec;

/**
 * Parameters of text to speech, as the official spec names them:
 * `generation_parameters` (HF Inference's models: `do_sample`, `temperature`,
 * `max_new_tokens`, ...). A provider's own parameters (`voice` and `speed` of fal-ai's Kokoro) go in
 * `extraParameters`, sent at the top level of its body.
 */
export type TextToSpeechParameters = Known<TextToSpeechSpecParameters>;

/** Options of {@linkcode textToSpeech}: the provider defaults to `"auto"`. */
export type TextToSpeechOptions = ProviderTaskOptions<TextToSpeechParameters>;

/** A generated recording: its bytes and media type (`audio/wav`, `audio/mpeg`, `audio/flac`, ...), read from the bytes. */
export type GeneratedAudio = MediaBytes;

/**
 * Read a text aloud. The text and parameters are checked before any request;
 * a link in the answer is downloaded through the transport (no token is sent
 * to the provider's storage), so replay answers it offline.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's answer, spoken by espeak-ng, not by Kokoro)
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOf, textToSpeech } from "@hf-workbook/workbook";
 *
 * const speech = await textToSpeech("An apple on the window.", { mode: "replay" });
 * assert.equal(speech.mediaType, "audio/wav");
 * assert.equal(provenanceOf(speech)?.kind, "authored");
 * ```
 *
 * @example A misspelt parameter is refused before any request, with the nearest name
 * ```ts
 * import assert from "node:assert/strict";
 * import { textToSpeech } from "@hf-workbook/workbook";
 *
 * const misspelt = { generation_parameter: { temperature: 0.7 } } as never;
 * await assert.rejects(textToSpeech("Hi", { parameters: misspelt, mode: "replay" }), {
 *   name: "TypeError",
 *   message: /"parameters.generation_parameter" is not a parameter of text-to-speech; did you mean "generation_parameters"\?/,
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
  const parameters = parametersToSend(CONTRACT, options, verb);
  const answer = await runProviderTask({
    task: "text-to-speech",
    verb,
    defaultModel: TEXT_TO_SPEECH_MODEL,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "audio", verb, options.model ?? TEXT_TO_SPEECH_MODEL);
}
