/**
 * Image to video: a picture set in motion, as a prompt says. HF Inference
 * does not serve it: fal-ai, together and wavespeed do, as queued jobs whose
 * clip is downloaded from the provider's storage.
 *
 * @module
 */

import type { ImageToVideoParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import { blobOf, generatedMedia } from "./_generated_media.ts";
import { type MediaInput, readMedia } from "./_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { IMAGE_TO_VIDEO_CONTRACT as CONTRACT } from "./_specs/image_to_video.ts";
import type { GeneratedVideo } from "./text_to_video.ts";

export type { GeneratedVideo, MediaInput };

/** The default model: Wan 2.1 image-to-video (720p), which fal-ai serves as `fal-ai/wan-i2v`. */
export const IMAGE_TO_VIDEO_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ImageToVideoSpecParameters = Spec;

/**
 * Parameters of image to video, as the official spec names them (`prompt`,
 * `negative_prompt`, `guidance_scale`, `num_frames`, `num_inference_steps`,
 * `seed`, `target_size`). A provider's own parameters go in `extraParameters`.
 */
export type ImageToVideoParameters = Known<ImageToVideoSpecParameters>;

/** Options of {@linkcode imageToVideo}: the provider defaults to `"auto"`. */
export type ImageToVideoOptions = ProviderTaskOptions<ImageToVideoParameters>;

/**
 * Set a picture in motion. The picture and parameters are checked before any
 * request; the queued job is polled and its clip downloaded through the
 * transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's clip)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageToVideo } from "@hf-workbook/workbook";
 *
 * const clip = await imageToVideo(new URL("../../notebooks/assets/apple_on_window.png", import.meta.url), {
 *   parameters: { prompt: "The camera slowly zooms in on the apple" },
 *   mode: "replay",
 * });
 * assert.equal(clip.mediaType, "video/mp4");
 * ```
 *
 * @param inputs The picture: a file path, bytes or a `Blob`.
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The clip's bytes and media type.
 */
export async function imageToVideo(
  inputs: MediaInput,
  options: ImageToVideoOptions = {},
): Promise<GeneratedVideo> {
  const verb = "generate video";
  const parameters = parametersToSend(CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: true });
  const answer = await runProviderTask({
    task: "image-to-video",
    verb,
    defaultModel: IMAGE_TO_VIDEO_MODEL,
    args: { inputs: blobOf(media), ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "video", verb, options.model ?? IMAGE_TO_VIDEO_MODEL);
}
