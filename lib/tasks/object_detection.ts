/**
 * Object detection: what objects a picture holds, each with a label, a score
 * and a box in pixels.
 *
 * @module
 */

import { objectDetection as libraryObjectDetection } from "npm:@huggingface/inference@^4.13.30";
import type {
  BoundingBox as TasksBoundingBox,
  ObjectDetectionOutput as TasksObjectDetectionOutput,
  ObjectDetectionOutputElement as TasksObjectDetectionOutputElement,
  ObjectDetectionParameters as TasksObjectDetectionParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { mediaCall, type MediaInput, readMedia, sendsJson } from "./_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { OBJECT_DETECTION_CONTRACT } from "./_specs/object_detection.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** The objects object detection found, as `@huggingface/tasks` types them. */
export type ObjectDetectionOutput = TasksObjectDetectionOutput;

/** One object: its `label`, its `score` and its `box`, as `@huggingface/tasks` types it. */
export type ObjectDetectionOutputElement = TasksObjectDetectionOutputElement;

/** A box in the picture's pixels: `xmin`, `ymin` (top left) to `xmax`, `ymax` (bottom right). */
export type BoundingBox = TasksBoundingBox;

/** A well-known COCO detector served by HF Inference (seen in the recorded reference responses). */
export const OBJECT_DETECTION_MODEL = "facebook/detr-resnet-50";

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ObjectDetectionSpecParameters = TasksObjectDetectionParameters;

/** Parameters of object detection: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type ObjectDetectionParameters = Known<ObjectDetectionSpecParameters>;

/** Options of {@linkcode objectDetection}. */
export type ObjectDetectionOptions = TaskOptions<ObjectDetectionParameters>;

/**
 * Find the objects in a picture. The picture is read and checked before any
 * request: a file path, bytes or a `Blob`, not empty, at most 10 MB, and an
 * image by its magic bytes. Boxes are in the picture's pixels, `xmin`/`ymin`
 * the top left corner.
 *
 * Without parameters the picture is sent as raw bytes; with `threshold`, as
 * JSON with base64 `inputs` (HF Inference reads parameters only from JSON).
 *
 * @example Where is the apple? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { objectDetection } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const [apple] = await objectDetection(png, {
 *   ...fakeHub("object-detection", [{ label: "apple", score: 0.99, box: { xmin: 124, ymin: 134, xmax: 175, ymax: 195 } }]),
 *   parameters: { threshold: 0.9 },
 * });
 * assert.deepEqual(apple?.box, { xmin: 124, ymin: 134, xmax: 175, ymax: 195 });
 * ```
 *
 * @example A threshold above 1: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { objectDetection } from "@hf-workbook/workbook";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * await assert.rejects(objectDetection(png, { parameters: { threshold: 90 }, mode: "replay" }), {
 *   name: "RangeError",
 *   message: 'Cannot detect objects: "parameters.threshold" must be a number from 0 to 1, got 90',
 * });
 * ```
 *
 * @param inputs The picture: a file path, its bytes or a `Blob`.
 * @param options The model, the parameters and transport options.
 * @returns The objects found, as the service sends them.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function objectDetection(
  inputs: MediaInput,
  options: ObjectDetectionOptions = {},
): Promise<ObjectDetectionOutput> {
  const verb = "detect objects";
  const parameters = parametersToSend(OBJECT_DETECTION_CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: sendsJson(parameters, options) });
  return await runTask({
    task: "object-detection",
    verb,
    defaultModel: OBJECT_DETECTION_MODEL,
    call: mediaCall("object-detection", libraryObjectDetection, media, verb),
    args: { parameters },
  }, options);
}
