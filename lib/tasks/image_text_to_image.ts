/**
 * Image and text to image: a prompt applied to a picture (an edit), or, for
 * models that can, a picture drawn from the prompt alone. HF Inference does
 * not serve it: fal-ai and wavespeed do, as queued jobs whose picture is
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
import type { GeneratedPicture } from "./image_to_image.ts";

export type { GeneratedPicture, ImageAndPrompt, TargetSize };

/** The default model: FLUX.2 [dev], which fal-ai serves as `fal-ai/flux-2/edit`. */
export const IMAGE_TEXT_TO_IMAGE_MODEL = "black-forest-labs/FLUX.2-dev";

/** Parameters of image and text to image, named as in the API docs. */
export interface ImageTextToImageParameters {
  /** What the picture should not show. */
  negative_prompt?: string;
  /** How closely the picture follows the prompt. @default {the model's} */
  guidance_scale?: number;
  /** Denoising steps. @default {the model's} */
  num_inference_steps?: number;
  /** The random seed. */
  seed?: number;
  /** The picture's size in pixels. */
  target_size?: TargetSize;
}

/** Options of {@linkcode imageTextToImage}: the provider defaults to `"auto"`. */
export type ImageTextToImageOptions = ProviderTaskOptions<ImageTextToImageParameters>;

const KEYS = ["negative_prompt", "guidance_scale", "num_inference_steps", "seed", "target_size"] as const;

/**
 * Apply a prompt to a picture (or draw from the prompt alone). The prompt,
 * the picture and the parameters are checked before any request; the queued
 * job is polled and its picture downloaded through the transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's picture)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageTextToImage } from "./image_text_to_image.ts";
 *
 * const picture = await imageTextToImage({
 *   image: new URL("../../notebooks/assets/apple_on_window.png", import.meta.url),
 *   prompt: "Draw it as a pencil sketch",
 * }, { mode: "replay" });
 * assert.equal(picture.mediaType, "image/png");
 * ```
 *
 * @param inputs The prompt, and the picture it applies to.
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The picture's bytes and media type.
 */
export async function imageTextToImage(
  inputs: ImageAndPrompt,
  options: ImageTextToImageOptions = {},
): Promise<GeneratedPicture> {
  const verb = "generate image";
  checkGenerationParameters(options.parameters, KEYS, verb);
  const { image, prompt } = await readImageAndPrompt(inputs, verb);
  const answer = await runProviderTask({
    task: "image-text-to-image",
    verb,
    defaultModel: IMAGE_TEXT_TO_IMAGE_MODEL,
    args: { ...(image ? { inputs: image } : {}), parameters: { ...options.parameters, prompt } },
  }, options);
  return generatedMedia(answer, "image", verb, options.model ?? IMAGE_TEXT_TO_IMAGE_MODEL);
}
