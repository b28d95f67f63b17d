/**
 * What the provider-served generation tasks share: the image+text input
 * (a picture and a prompt, checked before any request), and the turning of a
 * provider's answer into checked bytes of the expected kind (a video, a
 * picture, a recording) that carry where they came from.
 *
 * @module
 */

import { HfOutputError } from "../errors.ts";
import { withProvenance } from "../provenance.ts";
import type { ProviderAnswer } from "../providers/flow.ts";
import { sniffFormat } from "../_formats.ts";
import { checkKeys, checkObject, checkText, got, isRecord } from "./_check.ts";
import { describeStart, type MediaBytes, type MediaInput, readMedia, sniffMedia } from "./_media.ts";
import type { TaskContract } from "./_spec.ts";
import { type ParameterOptions, parametersToSend } from "./_spec_check.ts";

/** The width and height of what is generated, in pixels. */
export interface TargetSize {
  /** The width in pixels. */
  width: number;
  /** The height in pixels. */
  height: number;
}

/** What kind of media a task returns. */
export type GeneratedKind = "video" | "image" | "audio";

/** A video's format by its magic bytes: MP4/MOV (`ftyp`), WebM, or an animated GIF. */
export function sniffVideo(bytes: Uint8Array): { mediaType: string; name: string } | undefined {
  const found = sniffFormat(bytes, "video");
  return found && { mediaType: found.mediaType, name: found.name };
}

/**
 * The answer's media as checked bytes of `kind`, carrying the answer's
 * provenance; a provider that answered with something else (an error page,
 * JSON without a link) gives an {@linkcode HfOutputError} saying what came.
 *
 * @throws {HfOutputError} When the answer holds no media of the kind asked for.
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

/**
 * What the image+text tasks take: a prompt and the picture it speaks of;
 * either may be left out (not both), as the official spec says: some models
 * draw from the prompt alone, some need no prompt.
 */
export interface ImageAndPrompt {
  /** The picture: a file path, bytes or a `Blob`. */
  image?: MediaInput;
  /** What to make of it, e.g. `"Turn the apple green"`. */
  prompt?: string;
}

/**
 * Check and read an image+text input before any request: a non-empty
 * prompt, and the picture when given (a known image format, at most 10 MB as
 * sent, base64 in JSON).
 */
export async function readImageAndPrompt(
  inputs: unknown,
  verb: string,
): Promise<{ image?: Blob; prompt?: string }> {
  checkObject(inputs, "inputs", verb);
  checkKeys(inputs, ["image", "prompt"], "inputs", verb);
  if (inputs.image === undefined || inputs.prompt !== undefined) {
    checkText(inputs.prompt, "inputs.prompt", verb);
  }
  const prompt = inputs.prompt as string | undefined;
  if (inputs.image === undefined) return { prompt };
  const media = await readMedia(inputs.image, verb, { kind: "image", name: "inputs.image", base64: true });
  return { image: blobOf(media), ...(prompt !== undefined ? { prompt } : {}) };
}

/**
 * The parameters of an image+text task, checked against its contract, with
 * the prompt of the input put where the spec has it (`parameters.prompt`);
 * a prompt among the parameters is refused: it belongs in `inputs.prompt`.
 *
 * @throws {TypeError} When the image or the prompt is of the wrong kind.
 */
export function imageTextParameters(
  contract: TaskContract,
  options: ParameterOptions,
  prompt: string | undefined,
  verb: string,
): Record<string, unknown> | undefined {
  if (isRecord(options.parameters) && "prompt" in options.parameters) {
    throw new TypeError(
      `Cannot ${verb}: "parameters.prompt" must not be given, got ${
        got(options.parameters.prompt)
      }: give the prompt as inputs.prompt`,
    );
  }
  const parameters = parametersToSend(contract, options, verb);
  return prompt === undefined ? parameters : { ...parameters, prompt };
}
