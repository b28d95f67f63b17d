/**
 * Media formats by their magic numbers: the workbook's one detector, used by
 * the task inputs and answers, the snippets and the display values.
 *
 * @module
 */

/** What kind of media a format is. */
export type FormatKind = "image" | "audio" | "video";

/** A recognised format. */
export interface MediaFormat {
  /** Its media type, e.g. `image/png`. */
  mediaType: string;
  /** A short name for messages, e.g. `PNG`. */
  name: string;
  /** Image, audio or video. */
  kind: FormatKind;
}

interface Format extends MediaFormat {
  test: (b: Uint8Array) => boolean;
}

const at = (b: Uint8Array, offset: number, text: string) =>
  [...text].every((char, i) => b[offset + i] === char.charCodeAt(0));

const FORMATS: readonly Format[] = [
  {
    mediaType: "image/png",
    name: "PNG",
    kind: "image",
    test: (b) => b[0] === 0x89 && at(b, 1, "PNG\r\n\x1a\n"),
  },
  {
    mediaType: "image/jpeg",
    name: "JPEG",
    kind: "image",
    test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  { mediaType: "image/gif", name: "GIF", kind: "image", test: (b) => at(b, 0, "GIF8") },
  { mediaType: "image/webp", name: "WebP", kind: "image", test: (b) => at(b, 0, "RIFF") && at(b, 8, "WEBP") },
  { mediaType: "image/bmp", name: "BMP", kind: "image", test: (b) => at(b, 0, "BM") && b.length > 26 },
  {
    mediaType: "image/tiff",
    name: "TIFF",
    kind: "image",
    test: (b) => at(b, 0, "II*\0") || at(b, 0, "MM\0*"),
  },
  { mediaType: "audio/wav", name: "WAV", kind: "audio", test: (b) => at(b, 0, "RIFF") && at(b, 8, "WAVE") },
  { mediaType: "audio/flac", name: "FLAC", kind: "audio", test: (b) => at(b, 0, "fLaC") },
  { mediaType: "audio/ogg", name: "Ogg", kind: "audio", test: (b) => at(b, 0, "OggS") },
  {
    mediaType: "audio/webm",
    name: "WebM",
    kind: "audio",
    test: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3,
  },
  { mediaType: "audio/mpeg", name: "MP3", kind: "audio", test: (b) => at(b, 0, "ID3") },
  { mediaType: "audio/mp4", name: "MP4/M4A", kind: "audio", test: (b) => at(b, 4, "ftyp") },
  {
    mediaType: "audio/aac",
    name: "AAC",
    kind: "audio",
    test: (b) => b[0] === 0xff && (b[1]! & 0xf6) === 0xf0,
  },
  {
    mediaType: "audio/mpeg",
    name: "MP3",
    kind: "audio",
    test: (b) => b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0,
  },
  // Videos come last: without a kind, an MP4, WebM or GIF file is the audio or image it also is.
  {
    mediaType: "video/quicktime",
    name: "MOV",
    kind: "video",
    test: (b) => at(b, 4, "ftyp") && at(b, 8, "qt  "),
  },
  { mediaType: "video/mp4", name: "MP4", kind: "video", test: (b) => at(b, 4, "ftyp") },
  {
    mediaType: "video/webm",
    name: "WebM",
    kind: "video",
    test: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3,
  },
  { mediaType: "image/gif", name: "GIF", kind: "video", test: (b) => at(b, 0, "GIF8") },
];

/**
 * The format of `bytes` by their magic numbers, if known; with `kind`, only
 * the formats of that kind (an MP4 file is audio/mp4 as audio, video/mp4 as
 * video).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sniffFormat } from "./_formats.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * assert.equal(sniffFormat(png)?.name, "PNG");
 * const mp4 = new TextEncoder().encode("\0\0\0\x18ftypisom");
 * assert.deepEqual([sniffFormat(mp4)?.mediaType, sniffFormat(mp4, "video")?.mediaType], ["audio/mp4", "video/mp4"]);
 * ```
 */
export function sniffFormat(bytes: Uint8Array, kind?: FormatKind): MediaFormat | undefined {
  const found = FORMATS.find((format) => (kind === undefined || format.kind === kind) && format.test(bytes));
  return found && { mediaType: found.mediaType, name: found.name, kind: found.kind };
}

/** What bytes of an unknown format start with, for messages: a text's beginning, else the first bytes in hex. */
export function describeStart(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, 48);
  const printable = sample.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f));
  if (printable) {
    const text = new TextDecoder().decode(sample).replace(/\s+/g, " ").trim();
    return `text ${JSON.stringify(text + (bytes.length > sample.length ? "…" : ""))}`;
  }
  return `bytes ${Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(" ")}`;
}
