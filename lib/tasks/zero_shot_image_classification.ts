/**
 * Zero-shot image classification: score a picture against labels you choose
 * at call time, with a model that reads pictures and text together (CLIP).
 *
 * @module
 */

import { zeroShotImageClassification as libraryZeroShotImageClassification } from "npm:@huggingface/inference@^4.13.30";
import type {
  ZeroShotImageClassificationOutput as TasksZeroShotImageClassificationOutput,
  ZeroShotImageClassificationOutputElement as TasksZeroShotImageClassificationOutputElement,
  ZeroShotImageClassificationParameters as TasksZeroShotImageClassificationParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { ZERO_SHOT_IMAGE_CLASSIFICATION_CONTRACT } from "./_specs/zero_shot_image_classification.ts";
import { mediaCall, type MediaInput, readMedia } from "./_media.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { carryProvenance } from "../provenance.ts";

/** The candidate labels with their scores, best first, as `@huggingface/tasks` types them. */
export type ZeroShotImageClassificationOutput = TasksZeroShotImageClassificationOutput;

/** One candidate label and its score, as `@huggingface/tasks` types it. */
export type ZeroShotImageClassificationOutputElement = TasksZeroShotImageClassificationOutputElement;

/** A well-known CLIP model served by HF Inference (seen in the recorded reference responses). */
export const ZERO_SHOT_IMAGE_CLASSIFICATION_MODEL: string =
  ZERO_SHOT_IMAGE_CLASSIFICATION_CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ZeroShotImageClassificationSpecParameters = TasksZeroShotImageClassificationParameters;

/**
 * Parameters of zero-shot image classification: the spec's
 * (`@huggingface/tasks`), a misspelt name a compile error. `candidate_labels`
 * is required (at least one, none blank or repeated).
 */
export type ZeroShotImageClassificationParameters = Known<ZeroShotImageClassificationSpecParameters>;

/** Options of {@linkcode zeroShotImageClassification}: `parameters.candidate_labels` is required. */
export interface ZeroShotImageClassificationOptions
  extends TaskOptions<ZeroShotImageClassificationParameters> {
  /** The task's parameters; `candidate_labels` is required. */
  parameters: ZeroShotImageClassificationParameters;
}

/**
 * Score a picture against candidate labels. Everything is checked before any
 * request: the picture (a file path, bytes or a `Blob`, not empty, at most
 * 10 MB once base64-encoded: this task always sends JSON, an image by its
 * magic bytes), at least one label, none blank or repeated, and a template
 * with `{}`.
 *
 * `@huggingface/inference` 4.13.30 serves this task on HF Inference only; the
 * provider stays explicit all the same (`provider`, default `"hf-inference"`).
 *
 * @example Which caption fits? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeroShotImageClassification } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const scores = await zeroShotImageClassification(png, {
 *   ...fakeHub("zero-shot-image-classification", [{ label: "an apple", score: 0.97 }, { label: "a cat", score: 0.03 }]),
 *   parameters: { candidate_labels: ["a cat", "an apple"] },
 * });
 * assert.equal(scores[0]?.label, "an apple");
 * ```
 *
 * @example No candidate labels: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeroShotImageClassification } from "@hf-workbook/workbook";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * await assert.rejects(zeroShotImageClassification(png, { parameters: { candidate_labels: [] }, mode: "replay" }), {
 *   name: "RangeError",
 *   message: 'Cannot classify image: "parameters.candidate_labels" must list distinct, non-blank labels (at least one), got an array of 0',
 * });
 * ```
 *
 * @param inputs The picture: a file path, its bytes or a `Blob`.
 * @param options The model, the parameters (`candidate_labels` required) and transport options.
 * @returns Each label with its score, highest first.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function zeroShotImageClassification(
  inputs: MediaInput,
  options: ZeroShotImageClassificationOptions,
): Promise<ZeroShotImageClassificationOutput> {
  const verb = "classify image";
  const parameters = parametersToSend(ZERO_SHOT_IMAGE_CLASSIFICATION_CONTRACT, options ?? {}, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: true });
  const output = await runTask({
    task: "zero-shot-image-classification",
    verb,
    defaultModel: ZERO_SHOT_IMAGE_CLASSIFICATION_MODEL,
    call: mediaCall(
      "zero-shot-image-classification",
      libraryZeroShotImageClassification,
      media,
      verb,
      "library",
    ),
    args: { parameters },
  }, options);
  return carryProvenance(output, [...output].sort((a, b) => b.score - a.score));
}
