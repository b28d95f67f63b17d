/**
 * Image to video: a picture set in motion, as a prompt says. HF Inference
 * does not serve it: fal-ai, together and wavespeed do, as queued jobs whose
 * clip is downloaded from the provider's storage.
 *
 * @module
 */

import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import { blobOf, checkGenerationParameters, generatedMedia, type TargetSize } from "./_generated_media.ts";
import { type MediaInput, readMedia } from "./_media.ts";
import type { GeneratedVideo } from "./text_to_video.ts";

export type { GeneratedVideo, MediaInput, TargetSize };

/** The default model: Wan 2.1 image-to-video (720p), which fal-ai serves as `fal-ai/wan-i2v`. */
export const IMAGE_TO_VIDEO_MODEL = "Wan-AI/Wan2.1-I2V-14B-720P";

/** Parameters of image to video, named as in the API docs. */
export interface ImageToVideoParameters {
  /** How the picture should move, e.g. `"The camera slowly zooms in"`. */
  prompt?: string;
  /** What the clip should not show. */
  negative_prompt?: string;
  /** How closely the clip follows the prompt. @default {the model's} */
  guidance_scale?: number;
  /** How many frames to generate. @default {the model's} */
  num_frames?: number;
  /** Denoising steps. @default {the model's} */
  num_inference_steps?: number;
  /** The random seed. */
  seed?: number;
  /** The clip's size in pixels. */
  target_size?: TargetSize;
}

/** Options of {@linkcode imageToVideo}: the provider defaults to `"auto"`. */
export type ImageToVideoOptions = ProviderTaskOptions<ImageToVideoParameters>;

const KEYS = [
  "prompt",
  "negative_prompt",
  "guidance_scale",
  "num_frames",
  "num_inference_steps",
  "seed",
  "target_size",
] as const;

/**
 * Set a picture in motion. The picture and parameters are checked before any
 * request; the queued job is polled and its clip downloaded through the
 * transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's clip)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageToVideo } from "./image_to_video.ts";
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
  checkGenerationParameters(options.parameters, KEYS, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: true });
  const answer = await runProviderTask({
    task: "image-to-video",
    verb,
    defaultModel: IMAGE_TO_VIDEO_MODEL,
    args: { inputs: blobOf(media), ...(options.parameters ? { parameters: options.parameters } : {}) },
  }, options);
  return generatedMedia(answer, "video", verb, options.model ?? IMAGE_TO_VIDEO_MODEL);
}
