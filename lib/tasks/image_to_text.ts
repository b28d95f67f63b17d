/**
 * Image to text: a caption for a picture (captioning models on HF Inference),
 * or a document's text as Markdown (zai-org's layout parsing).
 *
 * @module
 */

import { imageToText as libraryImageToText } from "npm:@huggingface/inference@^4.13.30";
import type {
  ImageToTextOutput as TasksImageToTextOutput,
  ImageToTextParameters as TasksImageToTextParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { mediaCall, type MediaInput, readMedia, sendsJson } from "./_media.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { IMAGE_TO_TEXT_CONTRACT } from "./_specs/image_to_text.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { carryProvenance } from "../provenance.ts";

/** The text of image to text, as `@huggingface/tasks` types it. */
export type ImageToTextOutput = TasksImageToTextOutput;

/** A well-known captioning model served by HF Inference (seen in the recorded reference responses). */
export const IMAGE_TO_TEXT_MODEL = "Salesforce/blip-image-captioning-base";

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ImageToTextSpecParameters = TasksImageToTextParameters;

/** Parameters of image to text: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type ImageToTextParameters = Known<ImageToTextSpecParameters>;

/** Options of {@linkcode imageToText}. */
export type ImageToTextOptions = TaskOptions<ImageToTextParameters>;

/** What {@linkcode imageToText} returns: `generated_text` is always there (and `generatedText`, its copy). */
export type ImageToTextResult = ImageToTextOutput & { generated_text: string };

/**
 * Describe a picture in words. The picture is read and checked before any
 * request: a file path, bytes or a `Blob`, not empty, at most 10 MB as sent,
 * and an image by its magic bytes.
 *
 * Two providers serve this task in `@huggingface/inference` 4.13.30, and the
 * provider is never guessed: `"hf-inference"` (the default) runs captioning
 * models; `"zai-org"` parses documents into Markdown (its layout parsing
 * API). HF Inference answers `[{generated_text}]`, which the library
 * rejects ("expected {generated_text: string}"); it is read here.
 *
 * @example Caption a picture (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageToText } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const { generated_text } = await imageToText(png, fakeHub("image-to-text", [{ generated_text: "a red apple on a window sill" }]));
 * assert.equal(generated_text, "a red apple on a window sill");
 * ```
 *
 * @param inputs The picture: a file path, its bytes or a `Blob`.
 * @param options The model, the provider, the parameters and transport options.
 * @returns The text, as `generated_text` (and its copy `generatedText`).
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function imageToText(
  inputs: MediaInput,
  options: ImageToTextOptions = {},
): Promise<ImageToTextResult> {
  const verb = "caption image";
  const parameters = parametersToSend(IMAGE_TO_TEXT_CONTRACT, options, verb);
  const media = await readMedia(inputs, verb, { kind: "image", base64: sendsJson(parameters, options) });
  const output = await runTask({
    task: "image-to-text",
    verb,
    defaultModel: IMAGE_TO_TEXT_MODEL,
    call: mediaCall("image-to-text", libraryImageToText, media, verb),
    args: { parameters },
    // No contract check of the fallback: the spec's output.json requires "generatedText" but names
    // the property "generated_text" (@huggingface/tasks 0.21.54), so no real answer would match it.
    normalize: firstOfList,
  }, options);
  const text = output.generated_text ??
    (typeof output.generatedText === "string" ? output.generatedText : "");
  return carryProvenance(output, { ...output, generated_text: text, generatedText: text });
}

/** `[{generated_text}]`, what HF Inference really sends; `undefined` for anything else. */
function firstOfList(raw: unknown): ImageToTextOutput | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const text = (raw[0] as { generated_text?: unknown })?.generated_text;
  return typeof text === "string" ? { generated_text: text, generatedText: text } : undefined;
}
