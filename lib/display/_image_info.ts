/**
 * Image formats and dimensions read from file headers, without decoding pixels.
 *
 * @module
 */

import { sniffFormat } from "../_formats.ts";
import { formatBytes } from "./_bundle.ts";

/** The image formats recognised by their magic bytes. */
export type ImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

const NAMES: Readonly<Record<string, string>> = {
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/gif": "GIF",
  "image/webp": "WebP",
};

/** Whether `bytes` holds `prefix` at offset `at`. */
export function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

/** The recognised image format of `bytes`, if any (of those a display value draws). */
export function sniff(bytes: Uint8Array): ImageType | undefined {
  const type = sniffFormat(bytes, "image")?.mediaType;
  return type !== undefined && type in NAMES ? type as ImageType : undefined;
}

/** A short description of what unrecognised bytes start with, for error messages. */
export function describeBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return "there are no bytes";
  const head = Array.from(bytes.subarray(0, 4), (byte) => byte.toString(16).padStart(2, "0")).join(" ");
  const sample = bytes.subarray(0, 60);
  const printable = sample.every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || byte >= 0x20);
  if (!printable) return `they start with ${head}`;
  const text = new TextDecoder().decode(sample).replace(/\s+/g, " ").trim();
  return `they look like text: ${JSON.stringify(text + (bytes.length > sample.length ? "…" : ""))}`;
}

/**
 * The media type of image `bytes`: sniffed, else `fallback` (a type given by
 * the caller, e.g. SVG), else a `TypeError` whose message starts with `action`
 * and ends with `hint`.
 *
 * @throws {TypeError} When the bytes are not an image of a known format.
 */
export function imageTypeOf(
  bytes: Uint8Array,
  fallback: string | undefined,
  action: string,
  hint: string,
): string {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new TypeError(`Cannot ${action}: the bytes are empty; check that the request succeeded`);
  }
  const type = sniff(bytes) ?? fallback;
  if (type === undefined) {
    throw new TypeError(
      `Cannot ${action}: the bytes are not PNG, JPEG, GIF or WebP (${describeBytes(bytes)}); ${hint}`,
    );
  }
  return type;
}

/** Width and height in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

function u16be(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u16le(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u24le(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
}

function u32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function png(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== "IHDR") return undefined;
  return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

function gif(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 10) return undefined;
  return { width: u16le(bytes, 6), height: u16le(bytes, 8) };
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(bytes: Uint8Array): ImageSize | undefined {
  let at = 2;
  while (at + 9 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
    } else if (SOF.has(marker)) {
      return { width: u16be(bytes, at + 7), height: u16be(bytes, at + 5) };
    } else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // markers without a length
    } else {
      at += 2 + u16be(bytes, at + 2);
    }
  }
  return undefined;
}

function webp(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 30) return undefined;
  switch (ascii(bytes, 12, 4)) {
    case "VP8 ":
      return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff };
    case "VP8L": {
      const [b0, b1, b2, b3] = [bytes[21]!, bytes[22]!, bytes[23]!, bytes[24]!];
      return {
        width: 1 + (((b1 & 0x3f) << 8) | b0),
        height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | (b1 >> 6)),
      };
    }
    case "VP8X":
      return { width: 1 + u24le(bytes, 24), height: 1 + u24le(bytes, 27) };
  }
  return undefined;
}

/** The size of an image of a sniffed `type`, or `undefined` when the header is cut short or unusual. */
export function imageSize(bytes: Uint8Array, type: string): ImageSize | undefined {
  switch (type) {
    case "image/png":
      return png(bytes);
    case "image/gif":
      return gif(bytes);
    case "image/jpeg":
      return jpeg(bytes);
    case "image/webp":
      return webp(bytes);
  }
  return undefined;
}

/** One line describing an image: `PNG image, 256×256, 3.2 kB`. */
export function describeImage(bytes: Uint8Array, type: string): string {
  const size = imageSize(bytes, type);
  return [
    `${NAMES[type] ?? type} image`,
    ...(size ? [`${size.width}×${size.height}`] : []),
    formatBytes(bytes.length),
  ]
    .join(", ");
}

/**
 * Whether an image is a photo rather than a drawing, from its encoding: a
 * JPEG, or any other format that needs more than half a byte a pixel (a
 * drawing with flat colours compresses far below that, a photo does not).
 */
export function looksLikePhoto(
  bytes: Uint8Array,
  type: string,
  size: { width: number; height: number },
): boolean {
  return type === "image/jpeg" || bytes.length / Math.max(1, size.width * size.height) > 0.5;
}
