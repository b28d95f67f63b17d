/**
 * Image and text to video: a picture set in motion as a prompt says (or, for
 * models that can, a clip from the prompt alone). HF Inference does not serve
 * it: fal-ai, novita and wavespeed do, as queued jobs whose clip is
 * downloaded from the provider's storage.
 *
 * @module
 */

import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import {
  checkGenerationParameters,
  generatedMedia,
  type ImageAndPrompt,
  readImageAndPrompt,
  type TargetSize,
} from "./_generated_media.ts";
import type { GeneratedVideo } from "./text_to_video.ts";

export type { GeneratedVideo, ImageAndPrompt, TargetSize };

/** The default model: Wan 2.2 TI2V 5B, text and image to video, which fal-ai serves as `fal-ai/wan/v2.2-5b/image-to-video`. */
export const IMAGE_TEXT_TO_VIDEO_MODEL = "Wan-AI/Wan2.2-TI2V-5B";

/** Parameters of image and text to video, named as in the API docs. */
export interface ImageTextToVideoParameters {
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

/** Options of {@linkcode imageTextToVideo}: the provider defaults to `"auto"`. */
export type ImageTextToVideoOptions = ProviderTaskOptions<ImageTextToVideoParameters>;

const KEYS = [
  "negative_prompt",
  "guidance_scale",
  "num_frames",
  "num_inference_steps",
  "seed",
  "target_size",
] as const;

/**
 * Set a picture in motion as a prompt says. The prompt, the picture and the
 * parameters are checked before any request; the queued job is polled and
 * its clip downloaded through the transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's clip)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageTextToVideo } from "./image_text_to_video.ts";
 *
 * const clip = await imageTextToVideo({
 *   image: new URL("../../notebooks/assets/apple_on_window.png", import.meta.url),
 *   prompt: "The apple slowly turns on the window sill",
 * }, { mode: "replay" });
 * assert.equal(clip.mediaType, "video/mp4");
 * ```
 *
 * @param inputs The prompt, and the picture it sets in motion.
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The clip's bytes and media type.
 */
export async function imageTextToVideo(
  inputs: ImageAndPrompt,
  options: ImageTextToVideoOptions = {},
): Promise<GeneratedVideo> {
  const verb = "generate video";
  checkGenerationParameters(options.parameters, KEYS, verb);
  const { image, prompt } = await readImageAndPrompt(inputs, verb);
  const answer = await runProviderTask({
    task: "image-text-to-video",
    verb,
    defaultModel: IMAGE_TEXT_TO_VIDEO_MODEL,
    args: { ...(image ? { inputs: image } : {}), parameters: { ...options.parameters, prompt } },
  }, options);
  return generatedMedia(answer, "video", verb, options.model ?? IMAGE_TEXT_TO_VIDEO_MODEL);
}
