/**
 * Text to image: a picture drawn by a diffusion model from a prompt. The
 * series' Ep.7 drew `一個在窗戶上的蘋果` (an apple on a window) with Stable
 * Diffusion 1.5, first as is, then translated into English.
 *
 * @module
 */

import { textToImage as libraryTextToImage } from "npm:@huggingface/inference@^4.13.30";
import { HfOutputError } from "../errors.ts";
import { checkText } from "./_check.ts";
import { describeStart, type MediaBytes, sniffMedia } from "./_media.ts";
import type { TextToImageParameters as TasksTextToImageParameters } from "npm:@huggingface/tasks@^0.21.54";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TEXT_TO_IMAGE_CONTRACT } from "./_specs/text_to_image.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { carryProvenance } from "../provenance.ts";

export type { MediaBytes, MediaInput } from "./_media.ts";
export { MAX_UPLOAD_BYTES } from "./_media.ts";

/**
 * The series' model, Stable Diffusion 1.5 (Ep.7 used `runwayml/stable-diffusion-v1-5`,
 * which its publisher took down in 2024; the same weights live on under this id).
 */
export const TEXT_TO_IMAGE_MODEL = "stable-diffusion-v1-5/stable-diffusion-v1-5";

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TextToImageSpecParameters = TasksTextToImageParameters;

/** Parameters of text to image: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type TextToImageParameters = Known<TextToImageSpecParameters>;

/** Options of {@linkcode textToImage}. */
export type TextToImageOptions = TaskOptions<TextToImageParameters>;

/**
 * A generated picture: its bytes and its media type, read from the bytes
 * (`image/jpeg` from HF Inference, `image/png` from some providers).
 *
 * Plain bytes, not a `Blob`: the Deno kernel shows a `Blob` only as
 * `Blob { size, type }`, while bytes can be shown (`image(picture.bytes)`),
 * saved (`Deno.writeFile("apple.jpg", picture.bytes)`) or sent on as they are.
 */
export type GeneratedImage = MediaBytes;

/**
 * Draw a picture from a prompt. The prompt and parameters are checked before
 * any request; the answer must be an image (PNG, JPEG, GIF, WebP by its magic
 * bytes), else a workbook error says what came instead.
 *
 * Third-party providers that answer with a link (fal-ai, replicate, ...) are
 * downloaded by `@huggingface/inference` itself, with the global `fetch`:
 * those downloads are neither replayed nor recorded.
 *
 * @example Draw an apple (a stand-in server answers with a PNG here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { textToImage } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const picture = await textToImage("An apple on the window", {
 *   ...fakeHub("text-to-image", new Response(png, { headers: { "content-type": "image/png" } })),
 *   parameters: { seed: 42, num_inference_steps: 25 },
 * });
 * assert.equal(picture.mediaType, "image/png");
 * assert.deepEqual(picture.bytes, png);
 * ```
 *
 * @example A list as negative prompt: rejected before any request (the service answers 400)
 * ```ts
 * import assert from "node:assert/strict";
 * import { textToImage } from "@hf-workbook/workbook";
 *
 * const fromJavaScript = { negative_prompt: ["blurry"] as unknown as string };
 * await assert.rejects(textToImage("An apple", { parameters: fromJavaScript, mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot generate image: "parameters.negative_prompt" must be a non-empty string, got an array of 1',
 * });
 * ```
 *
 * @param inputs The prompt.
 * @param options The model, the parameters and transport options.
 * @returns The picture's bytes and media type.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function textToImage(inputs: string, options: TextToImageOptions = {}): Promise<GeneratedImage> {
  const verb = "generate image";
  checkText(inputs, "inputs", verb);
  const parameters = parametersToSend(TEXT_TO_IMAGE_CONTRACT, options, verb);
  const answer: unknown = await runTask({
    task: "text-to-image",
    verb,
    defaultModel: TEXT_TO_IMAGE_MODEL,
    call: libraryTextToImage,
    args: { inputs, parameters },
  }, options);
  const model = options.model ?? options.endpointUrl ?? TEXT_TO_IMAGE_MODEL;
  if (!(answer instanceof Blob)) {
    throw new HfOutputError(
      `Cannot ${verb}: the answer of ${model} is not an image`,
      JSON.stringify(answer) ?? String(answer),
    );
  }
  const bytes = new Uint8Array(await answer.arrayBuffer());
  if (bytes.length === 0) {
    throw new HfOutputError(
      `Cannot ${verb}: the answer of ${model} is empty (0 bytes, ${answer.type || "no type"})`,
      "",
    );
  }
  const format = sniffMedia(bytes);
  if (format?.kind !== "image") {
    throw new HfOutputError(
      `Cannot ${verb}: the answer of ${model} is not an image: got ${describeStart(bytes)} (${
        answer.type || "no type"
      })`,
      new TextDecoder().decode(bytes.subarray(0, 2000)),
    );
  }
  return carryProvenance(answer, { bytes, mediaType: format.mediaType });
}
