/**
 * Image segmentation: which pixels of a picture belong to what, as one
 * black-and-white mask per segment.
 *
 * @module
 */

import { imageSegmentation as libraryImageSegmentation } from "npm:@huggingface/inference@^4.13.30";
import type {
  ImageSegmentationOutput as TasksImageSegmentationOutput,
  ImageSegmentationOutputElement as TasksImageSegmentationOutputElement,
  ImageSegmentationParameters as TasksImageSegmentationParameters,
  ImageSegmentationSubtask as TasksImageSegmentationSubtask,
} from "npm:@huggingface/tasks@^0.21.54";
import { fromBase64, mediaCall, type MediaInput, readMedia } from "./_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { IMAGE_SEGMENTATION_CONTRACT } from "./_specs/image_segmentation.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** The segments of image segmentation, as `@huggingface/tasks` types them. */
export type ImageSegmentationOutput = TasksImageSegmentationOutput;

/** One segment: its `label`, its `score` and its `mask` (a base64 PNG), as `@huggingface/tasks` types it. */
export type ImageSegmentationOutputElement = TasksImageSegmentationOutputElement;

/** A well-known COCO panoptic segmenter served by HF Inference (seen in the recorded reference responses). */
export const IMAGE_SEGMENTATION_MODEL = "facebook/detr-resnet-50-panoptic";

/** What kind of segmentation to do, when the model can do several. */
export type ImageSegmentationSubtask = TasksImageSegmentationSubtask;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ImageSegmentationSpecParameters = TasksImageSegmentationParameters;

/** Parameters of image segmentation: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type ImageSegmentationParameters = Known<ImageSegmentationSpecParameters>;

/** Options of {@linkcode imageSegmentation}. */
export type ImageSegmentationOptions = TaskOptions<ImageSegmentationParameters>;

/**
 * Segment a picture. The picture is read and checked before any request: a
 * file path, bytes or a `Blob`, not empty, at most 10 MB once base64-encoded
 * (this task always sends JSON), and an image by its magic bytes.
 *
 * Each segment's `mask` is a base64 PNG the size of the picture, white where
 * the segment is: read it with {@linkcode decodeMask}, or draw them all over
 * the picture with `masksOverlay()`.
 *
 * @example Segment a picture (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageSegmentation } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const segments = await imageSegmentation(png, {
 *   ...fakeHub("image-segmentation", [{ label: "apple", score: 0.99, mask: "iVBORw0KGgo=" }]),
 *   parameters: { subtask: "panoptic" },
 * });
 * assert.equal(segments[0]?.label, "apple");
 * ```
 *
 * @param inputs The picture: a file path, its bytes or a `Blob`.
 * @param options The model, the parameters and transport options.
 * @returns The segments, each with a label, a score and a base64 PNG mask, as the service sends them.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function imageSegmentation(
  inputs: MediaInput,
  options: ImageSegmentationOptions = {},
): Promise<ImageSegmentationOutput> {
  const verb = "segment image";
  const parameters = parametersToSend(IMAGE_SEGMENTATION_CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: true });
  return await runTask({
    task: "image-segmentation",
    verb,
    defaultModel: IMAGE_SEGMENTATION_MODEL,
    call: mediaCall("image-segmentation", libraryImageSegmentation, media, verb, "library"),
    args: { parameters },
  }, options);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/**
 * The PNG bytes of a segment's `mask`. It must be base64 of a whole PNG: a
 * mask cut short (as some stored recordings are) is refused, not drawn half.
 *
 * @example Refuse a mask cut short
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeMask } from "@hf-workbook/workbook";
 *
 * assert.throws(() => decodeMask("iVBORw0KGgoAAAANSUhEUgAAAoAAAAGkCAAAAAC"), {
 *   name: "TypeError",
 *   message: /is not a whole PNG: it has no IEND chunk/,
 * });
 * ```
 *
 * @param mask The `mask` of a segment: base64 PNG.
 * @param name The mask's name in messages.
 * @returns The PNG file's bytes.
 * @throws {TypeError} When it is not base64 of a whole PNG.
 */
export function decodeMask(mask: string, name = "mask"): Uint8Array {
  if (typeof mask !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(mask.trim()) || mask.trim() === "") {
    throw new TypeError(`Cannot read the mask: "${name}" must be base64 text, got ${typeof mask}`);
  }
  const bytes = fromBase64(mask);
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    throw new TypeError(`Cannot read the mask: "${name}" is not a PNG`);
  }
  const end = bytes.subarray(bytes.length - 8);
  if (bytes.length < 8 + 25 || !IEND.every((b, i) => end[i] === b)) {
    throw new TypeError(
      `Cannot read the mask: "${name}" is not a whole PNG: it has no IEND chunk (${bytes.length} bytes; cut short?)`,
    );
  }
  return bytes;
}
