/**
 * Audio formats and durations read from file headers.
 *
 * @module
 */

import { sniffFormat } from "../_formats.ts";
import { describeBytes } from "./_image_info.ts";

/** What a header tells about a recording. */
export interface AudioInfo {
  /** The media type. */
  type: string;
  /** A short format name, e.g. `WAV`. */
  name: string;
  /** Length in seconds, when the header gives it. */
  seconds?: number;
  /** Samples per second, when the header gives it. */
  sampleRate?: number;
  /** Channel count, when the header gives it. */
  channels?: number;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

function wav(bytes: Uint8Array): Omit<AudioInfo, "type" | "name"> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let byteRate: number | undefined;
  const info: Omit<AudioInfo, "type" | "name"> = {};
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === "fmt " && at + 24 <= bytes.length) {
      info.channels = view.getUint16(at + 10, true);
      info.sampleRate = view.getUint32(at + 12, true);
      byteRate = view.getUint32(at + 16, true);
    } else if (id === "data") {
      // Streamed WAVs may declare 0 or 0xffffffff: fall back to the bytes present.
      const present = bytes.length - (at + 8);
      const length = size === 0 || size > present ? present : size;
      if (byteRate) info.seconds = length / byteRate;
      break;
    }
    at += 8 + size + (size % 2);
  }
  return info;
}

function flac(bytes: Uint8Array): Omit<AudioInfo, "type" | "name"> {
  // STREAMINFO is the first metadata block: its data starts at byte 8.
  if (bytes.length < 26 || (bytes[4]! & 0x7f) !== 0) return {};
  const sampleRate = (bytes[18]! << 12) | (bytes[19]! << 4) | (bytes[20]! >> 4);
  const channels = ((bytes[20]! >> 1) & 0x07) + 1;
  const samples = (bytes[21]! & 0x0f) * 2 ** 32 +
    ((bytes[22]! << 24) >>> 0) + (bytes[23]! << 16) + (bytes[24]! << 8) + bytes[25]!;
  return sampleRate > 0 && samples > 0
    ? { sampleRate, channels, seconds: samples / sampleRate }
    : { ...(sampleRate > 0 ? { sampleRate } : {}), channels };
}

/**
 * The format of audio `bytes`: sniffed, else `fallback`, else a `TypeError`.
 *
 * @throws {TypeError} When the bytes are not audio of a known format and no media type is given.
 */
export function audioInfo(bytes: Uint8Array, fallback: string | undefined): AudioInfo {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new TypeError("Cannot play audio: the bytes are empty; check that the request succeeded");
  }
  const format = sniffFormat(bytes, "audio");
  if (format?.mediaType === "audio/wav") return { type: format.mediaType, name: format.name, ...wav(bytes) };
  if (format?.mediaType === "audio/flac") {
    return { type: format.mediaType, name: format.name, ...flac(bytes) };
  }
  if (format !== undefined) return { type: format.mediaType, name: format.name };
  if (fallback !== undefined) return { type: fallback, name: fallback };
  throw new TypeError(
    `Cannot play audio: the bytes are not WAV, FLAC, Ogg, WebM, MP3, MP4/M4A or AAC (${
      describeBytes(bytes)
    }); ` +
      "pass mediaType for other formats",
  );
}
