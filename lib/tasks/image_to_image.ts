/**
 * Image to image: a picture turned into another, as a prompt says (an edit,
 * a style, a sketch). fal-ai serves it as a queued job whose result links to
 * the new picture on its storage; HF Inference serves the models it deploys.
 *
 * @module
 */

import type { ImageToImageParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import { blobOf, generatedMedia } from "./_generated_media.ts";
import { type MediaBytes, type MediaInput, readMedia } from "./_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { IMAGE_TO_IMAGE_CONTRACT as CONTRACT } from "./_specs/image_to_image.ts";

export type { MediaInput };

/** The default model: FLUX.1 Kontext [dev], an image editor that fal-ai serves as `fal-ai/flux-kontext/dev`. */
export const IMAGE_TO_IMAGE_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ImageToImageSpecParameters = Spec;

/**
 * Parameters of image to image, as the official spec names them (`prompt`,
 * `negative_prompt`, `guidance_scale`, `num_inference_steps`, `target_size`).
 * A provider's own parameters go in `extraParameters`.
 */
export type ImageToImageParameters = Known<ImageToImageSpecParameters>;

/** Options of {@linkcode imageToImage}: the provider defaults to `"auto"`. */
export type ImageToImageOptions = ProviderTaskOptions<ImageToImageParameters>;

/** A generated picture: its bytes and media type, read from the bytes. */
export type GeneratedPicture = MediaBytes;

/**
 * Turn a picture into another. The picture (a known image format, at most
 * 10 MB as sent) and the parameters are checked before any request; a queued
 * job is polled and its picture downloaded through the transport.
 *
 * @example Replayed from recordings/ (an authored example of fal-ai's queue, not a model's picture)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageToImage } from "@hf-workbook/workbook";
 *
 * const picture = await imageToImage(new URL("../../notebooks/assets/apple_on_window.png", import.meta.url), {
 *   parameters: { prompt: "Make it a warm autumn afternoon" },
 *   mode: "replay",
 * });
 * assert.equal(picture.mediaType, "image/png");
 * ```
 *
 * @param inputs The picture: a file path, bytes or a `Blob`.
 * @param options The model, the provider, the parameters, polling and transport options.
 * @returns The new picture's bytes and media type.
 */
export async function imageToImage(
  inputs: MediaInput,
  options: ImageToImageOptions = {},
): Promise<GeneratedPicture> {
  const verb = "transform image";
  const parameters = parametersToSend(CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: true });
  const answer = await runProviderTask({
    task: "image-to-image",
    verb,
    defaultModel: IMAGE_TO_IMAGE_MODEL,
    args: { inputs: blobOf(media), ...(parameters ? { parameters } : {}) },
  }, options);
  return generatedMedia(answer, "image", verb, options.model ?? IMAGE_TO_IMAGE_MODEL);
}
