/**
 * Image and text to video: a picture set in motion as a prompt says (or, for
 * models that can, a clip from the prompt alone). HF Inference does not serve
 * it: fal-ai, novita and wavespeed do, as queued jobs whose clip is
 * downloaded from the provider's storage.
 *
 * @module
 */

import type { ImageTextToVideoParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import {
  generatedMedia,
  type ImageAndPrompt,
  imageTextParameters,
  readImageAndPrompt,
} from "./_generated_media.ts";
import type { Known } from "./_spec.ts";
import { IMAGE_TEXT_TO_VIDEO_CONTRACT as CONTRACT } from "./_specs/image_text_to_video.ts";
import type { GeneratedVideo } from "./text_to_video.ts";

export type { GeneratedVideo, ImageAndPrompt };

/** The default model: Wan 2.2 TI2V 5B, text and image to video, which fal-ai serves as `fal-ai/wan/v2.2-5b/image-to-video`. */
export const IMAGE_TEXT_TO_VIDEO_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ImageTextToVideoSpecParameters = Spec;

/**
 * Parameters of image and text to video, as the official spec names them
 * (`negative_prompt`, `guidance_scale`, `num_inference_steps`, `seed`,
 * `target_size`, `num_frames`); the prompt is part of the input. A provider's own
 * parameters go in `extraParameters`.
 */
export type ImageTextToVideoParameters = Omit<Known<ImageTextToVideoSpecParameters>, "prompt">;

/** Options of {@linkcode imageTextToVideo}: the provider defaults to `"auto"`. */
export type ImageTextToVideoOptions = ProviderTaskOptions<ImageTextToVideoParameters>;

/**
 * Set a picture in motion as a prompt says. The prompt, the picture and the
 * parameters are checked before any request; the queued job is polled and
 * its clip downloaded through the transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's clip)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageTextToVideo } from "@hf-workbook/workbook";
 *
 * const clip = await imageTextToVideo({
 *   image: new URL("../../notebooks/assets/apple_on_window.png", import.meta.url),
 *   prompt: "The apple slowly turns on the window sill",
 * }, { mode: "replay" });
 * assert.equal(clip.mediaType, "video/mp4");
 * ```
 *
 * @param inputs The prompt, and the picture it sets in motion (either may be left out, not both).
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The clip's bytes and media type.
 */
export async function imageTextToVideo(
  inputs: ImageAndPrompt,
  options: ImageTextToVideoOptions = {},
): Promise<GeneratedVideo> {
  const verb = "generate video";
  const { image, prompt } = await readImageAndPrompt(inputs, verb);
  const parameters = imageTextParameters(CONTRACT, options, prompt, verb);
  const answer = await runProviderTask({
    task: "image-text-to-video",
    verb,
    defaultModel: IMAGE_TEXT_TO_VIDEO_MODEL,
    args: { ...(image ? { inputs: image } : {}), ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "video", verb, options.model ?? IMAGE_TEXT_TO_VIDEO_MODEL);
}
