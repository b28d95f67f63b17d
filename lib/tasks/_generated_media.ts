/**
 * What the provider-served generation tasks share: the checks of their
 * common parameters (`prompt`, `negative_prompt`, `num_frames`, `seed`,
 * `target_size`, ...) before any request, and the turning of a provider's
 * answer into checked bytes of the expected kind (a video, a picture, a
 * recording) that carry where they came from.
 *
 * @module
 */

import { HfOutputError } from "../errors.ts";
import { withProvenance } from "../provenance.ts";
import type { ProviderAnswer } from "../providers/flow.ts";
import { checkKeys, checkNumber, checkObject, checkText } from "./_check.ts";
import { describeStart, type MediaBytes, type MediaInput, readMedia, sniffMedia } from "./_media.ts";

/** The width and height of what is generated, in pixels. */
export interface TargetSize {
  /** The width in pixels. */
  width: number;
  /** The height in pixels. */
  height: number;
}

/** Check the generation parameters a task declares in `keys`, with their shared rules. */
export function checkGenerationParameters(
  parameters: unknown,
  keys: readonly string[],
  verb: string,
): void {
  if (parameters === undefined) return;
  checkObject(parameters, "parameters", verb);
  checkKeys(parameters, keys, "parameters", verb);
  const p = parameters as Record<string, unknown>;
  for (const name of ["prompt", "scheduler"]) {
    if (p[name] !== undefined) checkText(p[name], `parameters.${name}`, verb);
  }
  if (Array.isArray(p.negative_prompt)) {
    p.negative_prompt.forEach((item, i) => checkText(item, `parameters.negative_prompt[${i}]`, verb));
  } else if (p.negative_prompt !== undefined) {
    checkText(p.negative_prompt, "parameters.negative_prompt", verb);
  }
  checkNumber(p.guidance_scale, "parameters.guidance_scale", verb, { min: 0 });
  checkNumber(p.num_inference_steps, "parameters.num_inference_steps", verb, { min: 1, integer: true });
  checkNumber(p.num_frames, "parameters.num_frames", verb, { min: 1, integer: true });
  checkNumber(p.seed, "parameters.seed", verb, { min: 0, integer: true });
  if (p.target_size !== undefined) {
    checkObject(p.target_size, "parameters.target_size", verb);
    checkKeys(p.target_size, ["width", "height"], "parameters.target_size", verb);
    const size = p.target_size as Record<string, unknown>;
    for (const side of ["width", "height"]) {
      if (size[side] === undefined) {
        throw new TypeError(
          `Cannot ${verb}: "parameters.target_size.${side}" must be a number, got undefined`,
        );
      }
      checkNumber(size[side], `parameters.target_size.${side}`, verb, { min: 1, integer: true });
    }
  }
}

/** What kind of media a task returns. */
export type GeneratedKind = "video" | "image" | "audio";

/** A video's format by its magic bytes: MP4/MOV (`ftyp`), WebM, or an animated GIF. */
export function sniffVideo(bytes: Uint8Array): { mediaType: string; name: string } | undefined {
  const at = (offset: number, text: string) =>
    [...text].every((c, i) => bytes[offset + i] === c.charCodeAt(0));
  if (at(4, "ftyp")) {
    return at(8, "qt  ")
      ? { mediaType: "video/quicktime", name: "MOV" }
      : { mediaType: "video/mp4", name: "MP4" };
  }
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return { mediaType: "video/webm", name: "WebM" };
  }
  if (at(0, "GIF8")) return { mediaType: "image/gif", name: "GIF" };
  return undefined;
}

/**
 * The answer's media as checked bytes of `kind`, carrying the answer's
 * provenance; a provider that answered with something else (an error page,
 * JSON without a link) gives an {@linkcode HfOutputError} saying what came.
 */
export function generatedMedia(
  answer: ProviderAnswer,
  kind: GeneratedKind,
  verb: string,
  model: string,
): MediaBytes {
  const who = `${model} (${answer.provider})`;
  const media = answer.media;
  if (media === undefined) {
    throw new HfOutputError(
      `Cannot ${verb}: the answer of ${who} holds no ${kind} and no link to one`,
      JSON.stringify(answer.result) ?? "",
    );
  }
  if (media.bytes.length === 0) {
    throw new HfOutputError(`Cannot ${verb}: the ${kind} of ${who} is empty (0 bytes)`, "");
  }
  const format = kind === "video" ? sniffVideo(media.bytes) : sniffMedia(media.bytes);
  const sniffedKind = format && ("kind" in format ? format.kind : "video");
  if (format === undefined || sniffedKind !== kind) {
    throw new HfOutputError(
      `Cannot ${verb}: the answer of ${who} is not ${kind === "image" ? "an image" : kind}: got ${
        describeStart(media.bytes)
      } (${media.contentType || "no type"})${media.url ? ` from ${media.url}` : ""}`,
      new TextDecoder().decode(media.bytes.subarray(0, 2000)),
    );
  }
  const out: MediaBytes = { bytes: media.bytes, mediaType: format.mediaType };
  return answer.provenance ? withProvenance(out, answer.provenance) : out;
}

/** A `Blob` of checked media, typed with its sniffed media type (providers build data URLs from that type). */
export function blobOf(media: MediaBytes): Blob {
  return new Blob([media.bytes as Uint8Array<ArrayBuffer>], { type: media.mediaType });
}

/** What the image+text tasks take: a prompt, and the picture it speaks of (optional: some models draw from the prompt alone). */
export interface ImageAndPrompt {
  /** The picture: a file path, bytes or a `Blob`. */
  image?: MediaInput;
  /** What to make of it, e.g. `"Turn the apple green"`. */
  prompt: string;
}

/**
 * Check and read an image+text input before any request: a non-empty
 * prompt, and the picture when given (a known image format, at most 10 MB as
 * sent, base64 in JSON).
 */
export async function readImageAndPrompt(
  inputs: unknown,
  verb: string,
): Promise<{ image?: Blob; prompt: string }> {
  checkObject(inputs, "inputs", verb);
  checkKeys(inputs, ["image", "prompt"], "inputs", verb);
  checkText(inputs.prompt, "inputs.prompt", verb);
  if (inputs.image === undefined) return { prompt: inputs.prompt };
  const media = await readMedia(inputs.image, verb, { kind: "image", name: "inputs.image", base64: true });
  return { image: blobOf(media), prompt: inputs.prompt };
}
