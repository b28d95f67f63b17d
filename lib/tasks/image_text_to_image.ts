/**
 * Image and text to image: a prompt applied to a picture (an edit), or, for
 * models that can, a picture drawn from the prompt alone. HF Inference does
 * not serve it: fal-ai and wavespeed do, as queued jobs whose picture is
 * downloaded from the provider's storage.
 *
 * @module
 */

import type { ImageTextToImageParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import {
  generatedMedia,
  type ImageAndPrompt,
  imageTextParameters,
  readImageAndPrompt,
} from "./_generated_media.ts";
import type { Known } from "./_spec.ts";
import { IMAGE_TEXT_TO_IMAGE_CONTRACT as CONTRACT } from "./_specs/image_text_to_image.ts";
import type { GeneratedPicture } from "./image_to_image.ts";

export type { GeneratedPicture, ImageAndPrompt };

/** The default model: FLUX.2 [dev], which fal-ai serves as `fal-ai/flux-2/edit`. */
export const IMAGE_TEXT_TO_IMAGE_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ImageTextToImageSpecParameters = Spec;

/**
 * Parameters of image and text to image, as the official spec names them
 * (`negative_prompt`, `guidance_scale`, `num_inference_steps`, `seed`,
 * `target_size`); the prompt is part of the input. A provider's own
 * parameters go in `extraParameters`.
 */
export type ImageTextToImageParameters = Omit<Known<ImageTextToImageSpecParameters>, "prompt">;

/** Options of {@linkcode imageTextToImage}: the provider defaults to `"auto"`. */
export type ImageTextToImageOptions = ProviderTaskOptions<ImageTextToImageParameters>;

/**
 * Apply a prompt to a picture (or draw from the prompt alone). The prompt,
 * the picture and the parameters are checked before any request; the queued
 * job is polled and its picture downloaded through the transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's picture)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageTextToImage } from "@hf-workbook/workbook";
 *
 * const picture = await imageTextToImage({
 *   image: new URL("../../notebooks/assets/apple_on_window.png", import.meta.url),
 *   prompt: "Draw it as a pencil sketch",
 * }, { mode: "replay" });
 * assert.equal(picture.mediaType, "image/png");
 * ```
 *
 * @param inputs The prompt, and the picture it applies to (either may be left out, not both).
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The picture's bytes and media type.
 */
export async function imageTextToImage(
  inputs: ImageAndPrompt,
  options: ImageTextToImageOptions = {},
): Promise<GeneratedPicture> {
  const verb = "generate image";
  const { image, prompt } = await readImageAndPrompt(inputs, verb);
  const parameters = imageTextParameters(CONTRACT, options, prompt, verb);
  const answer = await runProviderTask({
    task: "image-text-to-image",
    verb,
    defaultModel: IMAGE_TEXT_TO_IMAGE_MODEL,
    args: { ...(image ? { inputs: image } : {}), ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "image", verb, options.model ?? IMAGE_TEXT_TO_IMAGE_MODEL);
}
