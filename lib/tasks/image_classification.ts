/**
 * Image classification: which of the model's classes (ImageNet's thousand,
 * for most models) a picture shows, with a score each.
 *
 * @module
 */

import { imageClassification as libraryImageClassification } from "npm:@huggingface/inference@^4.13.30";
import type {
  ImageClassificationOutput as TasksImageClassificationOutput,
  ImageClassificationOutputElement as TasksImageClassificationOutputElement,
  ImageClassificationParameters as TasksImageClassificationParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { mediaCall, type MediaInput, readMedia, sendsJson } from "./_media.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { IMAGE_CLASSIFICATION_CONTRACT } from "./_specs/image_classification.ts";

/** The classes of image classification, most probable first, as `@huggingface/tasks` types them. */
export type ImageClassificationOutput = TasksImageClassificationOutput;

/** One class: its `label` and its `score`, as `@huggingface/tasks` types it. */
export type ImageClassificationOutputElement = TasksImageClassificationOutputElement;

/** A well-known ImageNet classifier served by HF Inference (seen in the recorded reference responses). */
export const IMAGE_CLASSIFICATION_MODEL: string = IMAGE_CLASSIFICATION_CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ImageClassificationSpecParameters = TasksImageClassificationParameters;

/** Parameters of image classification: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type ImageClassificationParameters = Known<ImageClassificationSpecParameters>;

/** Options of {@linkcode imageClassification}. */
export type ImageClassificationOptions = TaskOptions<ImageClassificationParameters>;

/**
 * Classify a picture. The picture is read and checked before any request: a
 * file path, bytes or a `Blob`, not empty, at most 10 MB, and an image by its
 * magic bytes (PNG, JPEG, GIF, WebP, BMP, TIFF).
 *
 * Without parameters the picture is sent as raw bytes; with parameters, as
 * JSON with base64 `inputs` (HF Inference reads parameters only from JSON).
 *
 * @example What does a picture show? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageClassification } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const labels = await imageClassification(png, fakeHub("image-classification", [{ label: "Granny Smith", score: 0.91 }, { label: "pomegranate", score: 0.04 }]));
 * assert.equal(labels[0]?.label, "Granny Smith");
 * ```
 *
 * @example Not a picture: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageClassification } from "@hf-workbook/workbook";
 *
 * await assert.rejects(imageClassification(new TextEncoder().encode('{"error":"oops"}'), { mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot classify image: "inputs" must be an image in PNG, JPEG, GIF, WebP, BMP or TIFF format, got text "{\\"error\\":\\"oops\\"}"',
 * });
 * ```
 *
 * @param inputs The picture: a file path, its bytes or a `Blob`.
 * @param options The model, the parameters and transport options.
 * @returns The classes with their scores, highest first, as the service sends them.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function imageClassification(
  inputs: MediaInput,
  options: ImageClassificationOptions = {},
): Promise<ImageClassificationOutput> {
  const verb = "classify image";
  const parameters = parametersToSend(IMAGE_CLASSIFICATION_CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: sendsJson(parameters, options) });
  return await runTask({
    task: "image-classification",
    verb,
    defaultModel: IMAGE_CLASSIFICATION_MODEL,
    call: mediaCall("image-classification", libraryImageClassification, media, verb),
    args: { parameters },
  }, options);
}
