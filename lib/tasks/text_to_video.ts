/**
 * Text to video: a short clip generated from a prompt. HF Inference does not
 * serve it: fal-ai, novita, replicate, together and wavespeed do, most of
 * them as a queued job that is polled until the clip is ready, then
 * downloaded from the provider's storage. Every one of those requests goes
 * through the workbook's transport.
 *
 * @module
 */

import type { TextToVideoParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { type PollOptions, type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import { checkText } from "./_check.ts";
import { generatedMedia } from "./_generated_media.ts";
import type { MediaBytes } from "./_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TEXT_TO_VIDEO_CONTRACT as CONTRACT } from "./_specs/text_to_video.ts";

export type { PollOptions };

/** The default model: LTX-Video, which fal-ai serves as `fal-ai/ltx-video`. */
export const TEXT_TO_VIDEO_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TextToVideoSpecParameters = Spec;

/**
 * Parameters of text to video, as the official spec names them
 * (`negative_prompt` is a list, `num_frames`, `num_inference_steps`,
 * `guidance_scale`, `seed`); fal-ai takes them at the top level of its body.
 * A provider's own parameters go in `extraParameters`.
 */
export type TextToVideoParameters = Known<TextToVideoSpecParameters>;

/** Options of {@linkcode textToVideo}: the provider defaults to `"auto"` (HF Inference does not serve the task). */
export type TextToVideoOptions = ProviderTaskOptions<TextToVideoParameters>;

/** A generated clip: its bytes and media type (`video/mp4`, `video/webm`, ...), read from the bytes. */
export type GeneratedVideo = MediaBytes;

/**
 * Generate a short clip from a prompt. The prompt and parameters are checked
 * before any request. A queued job is polled (honouring `signal`,
 * `Retry-After` and `poll.deadlineMs`, 10 minutes by default) and its clip is
 * downloaded through the transport, so replay answers every step offline.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's answer)
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOf, textToVideo } from "@hf-workbook/workbook";
 *
 * const clip = await textToVideo("A red apple rolling on a wooden table", { mode: "replay" });
 * assert.equal(clip.mediaType, "video/mp4");
 * assert.equal(provenanceOf(clip)?.kind, "authored");
 * ```
 *
 * @example A negative prompt that is not text is rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { textToVideo } from "@hf-workbook/workbook";
 *
 * await assert.rejects(textToVideo("An apple", { parameters: { negative_prompt: [""] }, mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot generate video: "parameters.negative_prompt[0]" must be a non-empty string, got ""',
 * });
 * ```
 *
 * @param inputs The prompt.
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The clip's bytes and media type.
 */
export async function textToVideo(inputs: string, options: TextToVideoOptions = {}): Promise<GeneratedVideo> {
  const verb = "generate video";
  checkText(inputs, "inputs", verb);
  const parameters = parametersToSend(CONTRACT, options, verb);
  const answer = await runProviderTask({
    task: "text-to-video",
    verb,
    defaultModel: TEXT_TO_VIDEO_MODEL,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "video", verb, options.model ?? TEXT_TO_VIDEO_MODEL);
}
