/**
 * What visual and document question answering share: one question about one
 * picture (read and checked before any request, sent base64-encoded in JSON
 * as the library sends it), and every answer the service sends, best first
 * (`@huggingface/inference` keeps only the first).
 *
 * @module
 */

import type { Options as LibraryOptions } from "npm:@huggingface/inference@^4.13.30";
import { checkKeys, checkObject, checkText } from "./_check.ts";
import { type MediaBytes, type MediaInput, readMedia } from "./_media.ts";

/** One question about one picture. */
export interface ImageQuestion {
  /** The picture: a file path, its bytes or a `Blob` (PNG, JPEG, GIF, WebP, BMP or TIFF). */
  image: MediaInput;
  /** The question, in the model's language (English for the default models). */
  question: string;
}

/**
 * Check the question and read the picture (at most 10 MB as base64).
 *
 * @throws {TypeError} When the question or the picture is of the wrong kind.
 */
export async function readImageQuestion(
  input: unknown,
  verb: string,
): Promise<{ question: string; media: MediaBytes }> {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer || input instanceof Blob) {
    throw new TypeError(
      `Cannot ${verb}: "input" must be {image, question}, got a picture alone; ask it something: {image, question: "..."}`,
    );
  }
  checkObject(input, "input", verb);
  checkKeys(input, ["image", "question"], "input", verb);
  checkText(input.question, "question", verb);
  const media = await readMedia(input.image, verb, { kind: "image", name: "image", base64: true });
  return { question: input.question, media };
}

/** A library task that takes `{inputs: {question, image: Blob}}` and returns the first answer. */
// deno-lint-ignore no-explicit-any
type FirstAnswer = (args: any, options?: LibraryOptions) => Promise<unknown>;

/**
 * The library's call, with the picture as a typed `Blob`, keeping every
 * answer: the library checks each element of the list the service sends but
 * returns only the first, so the answer body is read again here (it passed
 * the library's check).
 */
export function everyAnswer<O>(
  library: FirstAnswer,
  question: string,
  media: MediaBytes,
): (args: Record<string, unknown>, options?: LibraryOptions) => Promise<O[]> {
  return async (args, options) => {
    const edge = options?.fetch ?? fetch;
    let last: unknown;
    const keep: typeof fetch = async (input, init) => {
      const response = await edge(input, init);
      last = await response.clone().json().catch(() => undefined);
      return response;
    };
    const image = new Blob([media.bytes as Uint8Array<ArrayBuffer>], { type: media.mediaType });
    const first = await library({ ...args, inputs: { question, image } }, { ...options, fetch: keep });
    return (Array.isArray(last) ? last : [first]) as O[];
  };
}
