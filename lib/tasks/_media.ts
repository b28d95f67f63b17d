/**
 * What the image and audio tasks share: reading an input the way users have
 * it (a file path, bytes, a `Blob`), checking it before any upload (type,
 * emptiness, size, format by magic bytes), and sending it as HF Inference
 * expects: raw bytes, or JSON with base64 `inputs` when parameters go along.
 *
 * @module
 */

import {
  getProviderHelper,
  type InferenceProviderOrPolicy,
  type InferenceTask,
  makeRequestOptions,
  type Options as LibraryOptions,
} from "npm:@huggingface/inference@^4.13.30";
import { base64Size, formatSize, fromBase64, toBase64 } from "../_bytes.ts";
import { describeStart, sniffFormat } from "../_formats.ts";
import { got } from "./_check.ts";

export { base64Size, describeStart, formatSize, fromBase64, toBase64 };

/**
 * A picture or a recording, the way users have it: a file path (or a `file:`
 * URL), the file's bytes (`Uint8Array`, `ArrayBuffer`) or a `Blob`. Web URLs
 * are not fetched: download the file first, so nothing is fetched behind your
 * back.
 */
export type MediaInput = string | URL | Uint8Array | ArrayBuffer | Blob;

/** Bytes with their media type, e.g. `{ bytes, mediaType: "image/png" }`. */
export interface MediaBytes {
  /** The file's bytes. */
  bytes: Uint8Array;
  /** The media type, read from the bytes' magic numbers (e.g. `image/png`, `audio/wav`). */
  mediaType: string;
}

/**
 * The largest request body the workbook sends: 10 MB (10,000,000 bytes),
 * counted as sent (base64 adds a third). Larger inputs are refused before any
 * upload with a `RangeError` saying so, instead of a `413` from the router
 * after a long upload.
 */
export const MAX_UPLOAD_BYTES = 10_000_000;

/** What kind of media a task reads. */
export type MediaKind = "image" | "audio";

const NAMES: Record<MediaKind, string> = {
  image: "PNG, JPEG, GIF, WebP, BMP or TIFF",
  audio: "WAV, FLAC, Ogg, WebM, MP3, MP4/M4A or AAC",
};

/** The format of `bytes` by their magic numbers, if known (an image or a recording). */
export function sniffMedia(
  bytes: Uint8Array,
): { mediaType: string; name: string; kind: MediaKind } | undefined {
  const found = sniffFormat(bytes);
  return found?.kind === "image" || found?.kind === "audio" ? { ...found, kind: found.kind } : undefined;
}

/** How {@linkcode readMedia} checks an input. */
export interface MediaRule {
  /** Image or audio. */
  kind: MediaKind;
  /** The parameter's name in messages. @default {"inputs"} */
  name?: string;
  /** Whether the bytes go base64-encoded (JSON), which the size limit counts. @default {false} */
  base64?: boolean;
  /** The largest body sent. @default {MAX_UPLOAD_BYTES} */
  maxBytes?: number;
}

/**
 * Read and check a picture or a recording before any request: a path is read
 * from disk, bytes and `Blob`s are taken as they are; then it must not be
 * empty, must fit in `maxBytes` as sent, and must be a known format of its
 * kind (by magic bytes, not by file name or declared type).
 *
 * @throws {TypeError} For a wrong type, a web URL, a missing file, no bytes or another format.
 * @throws {RangeError} When it is too large to send.
 */
export async function readMedia(input: unknown, verb: string, rule: MediaRule): Promise<MediaBytes> {
  const { kind, name = "inputs", base64 = false, maxBytes = MAX_UPLOAD_BYTES } = rule;
  const what = kind === "image" ? "a picture" : "a recording";
  let bytes: Uint8Array;
  if (typeof input === "string" || input instanceof URL) {
    bytes = await readFile(input, name, verb);
  } else if (input instanceof Uint8Array) {
    bytes = input;
  } else if (input instanceof ArrayBuffer) {
    bytes = new Uint8Array(input);
  } else if (input instanceof Blob) {
    bytes = new Uint8Array(await input.arrayBuffer());
  } else {
    throw new TypeError(
      `Cannot ${verb}: "${name}" must be ${what}: a file path, a Uint8Array, an ArrayBuffer or a Blob, got ${
        got(input)
      }`,
    );
  }
  if (bytes.length === 0) {
    throw new TypeError(`Cannot ${verb}: "${name}" must be ${what}, got 0 bytes`);
  }
  const sent = base64 ? base64Size(bytes.length) : bytes.length;
  if (sent > maxBytes) {
    const size = (n: number) =>
      formatSize(n) === formatSize(maxBytes) ? `${n.toLocaleString("en")} bytes` : formatSize(n);
    throw new RangeError(
      `Cannot ${verb}: "${name}" must be at most ${formatSize(maxBytes)} as sent, got ${size(bytes.length)}${
        base64 ? ` (${size(sent)} as base64, which parameters need)` : ""
      }; resize or compress it (the router refuses large bodies with 413)`,
    );
  }
  const format = sniffMedia(bytes);
  if (format === undefined || format.kind !== kind) {
    const found = format ? `${format.kind} (${format.name})` : describeStart(bytes);
    throw new TypeError(
      `Cannot ${verb}: "${name}" must be ${kind === "image" ? "an image" : "audio"} in ${
        NAMES[kind]
      } format, got ${found}`,
    );
  }
  return { bytes, mediaType: format.mediaType };
}

async function readFile(input: string | URL, name: string, verb: string): Promise<Uint8Array> {
  if (typeof input === "string" && input.trim() === "") {
    throw new TypeError(`Cannot ${verb}: "${name}" must be a file path, bytes or a Blob, got ${got(input)}`);
  }
  const url = input instanceof URL
    ? input
    : /^[a-z][a-z0-9+.-]+:\/\//i.test(input) || /^data:/i.test(input)
    ? new URL(input)
    : undefined;
  if (url !== undefined && url.protocol !== "file:") {
    throw new TypeError(
      `Cannot ${verb}: "${name}" must be a file path, bytes or a Blob, got a ${
        url.protocol.slice(0, -1)
      } URL; ` +
        "download the file first (nothing is fetched for you)",
    );
  }
  try {
    return await Deno.readFile(url ?? (input as string));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) {
      throw new TypeError(
        `Cannot ${verb}: "${name}" must name a file, got ${
          JSON.stringify(String(url ?? input))
        }, which is not a file (the working directory is ${Deno.cwd()})`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The arguments runTask hands a library task. */
interface CallArgs {
  inputs?: unknown;
  parameters?: Record<string, unknown>;
  accessToken?: string;
  model?: string;
  provider?: InferenceProviderOrPolicy;
  endpointUrl?: string;
}

/** A library task function, as runTask calls it. */
// deno-lint-ignore no-explicit-any
type LibraryCall<O> = (args: any, options?: LibraryOptions) => Promise<O>;

/**
 * Whether a binary-input call carries parameters to HF Inference (or an
 * Inference Endpoint), which reads them only from JSON with base64 `inputs`.
 */
export function sendsJson(
  parameters: object | undefined,
  options: { provider?: string; endpointUrl?: string },
): boolean {
  if (parameters === undefined || Object.keys(parameters).length === 0) return false;
  return options.endpointUrl !== undefined || (options.provider ?? "hf-inference") === "hf-inference";
}

/**
 * A call for runTask that sends a picture or a recording to `task`.
 *
 * Without parameters (or to a provider other than HF Inference) it is the
 * library's own task function, given a `Blob` typed with the sniffed media
 * type (providers such as fal-ai build a data URL from that type).
 *
 * With parameters, `@huggingface/inference` 4.13.30 sends the raw bytes and
 * drops the parameters for image classification, object detection, image to
 * text and speech recognition. HF Inference reads parameters only from JSON:
 * `{"inputs": "<base64>", "parameters": {...}}`, so that is sent instead,
 * through the library's own request building (mapping look-up, URL, headers)
 * and answer checks.
 *
 * `encoding: "library"` is for the tasks whose library function already sends
 * JSON with base64 inputs (image segmentation, zero-shot image classification):
 * their call is always the library's.
 *
 * @throws {TypeError} When parameters go with `provider: "auto"` (which cannot say how to send them).
 * @throws {HfWorkbookError} When the call fails.
 */
export function mediaCall<O>(
  task: InferenceTask,
  libraryCall: LibraryCall<O>,
  media: MediaBytes,
  verb: string,
  encoding: "bytes" | "library" = "bytes",
): (args: CallArgs, options?: LibraryOptions) => Promise<O> {
  return async (args, options) => {
    const { parameters, inputs: _inputs, ...rest } = args;
    if (encoding === "bytes" && parameters !== undefined && rest.provider === "auto") {
      throw new TypeError(
        `Cannot ${verb}: "provider" must be named when parameters are sent, got "auto" ` +
          `(HF Inference reads parameters only as JSON with base64 inputs, other providers their own way)`,
      );
    }
    if (encoding === "library" || !sendsJson(parameters, rest)) {
      const blob = new Blob([media.bytes as Uint8Array<ArrayBuffer>], { type: media.mediaType });
      return await libraryCall({ ...rest, inputs: blob, parameters }, options);
    }
    const helper = getProviderHelper("hf-inference", task);
    const { url, info } = await makeRequestOptions(
      { ...rest, inputs: toBase64(media.bytes), parameters },
      helper,
      { ...options, task },
    );
    const response = await (options?.fetch ?? fetch)(url, info);
    const answer = response.headers.get("content-type")?.startsWith("application/json")
      ? await response.json()
      : await response.blob();
    return await (helper.getResponse as (answer: unknown) => Promise<O>)(answer);
  };
}
