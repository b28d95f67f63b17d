/**
 * Test fixtures for the image and audio task helpers: the project's own
 * picture and clips, base64 both ways, and a silent WAV.
 *
 * @module
 */

import { Buffer } from "node:buffer";

const ASSETS = new URL("../notebooks/assets/", import.meta.url);

/** The picture the notebooks use (notebooks/assets/apple_on_window.png, drawn by tests/assets.ts). */
export const PICTURE: Uint8Array = Deno.readFileSync(new URL("apple_on_window.png", ASSETS));
/** The Mandarin clip (espeak-ng). */
export const ZH_WAV: Uint8Array = Deno.readFileSync(new URL("apple_zh.wav", ASSETS));
/** The English clip (espeak-ng). */
export const EN_WAV: Uint8Array = Deno.readFileSync(new URL("apple_en.wav", ASSETS));
/** The picture's path, as a notebook in notebooks/ would not write it (tests run from the root). */
export const PICTURE_PATH: string = new URL("apple_on_window.png", ASSETS).pathname;

/** Base64 of bytes. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** Bytes of base64. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** A minimal WAV header with `seconds` of silence at 16 kHz. */
export function silentWav(seconds = 0.1): Uint8Array {
  const samples = Math.round(16000 * seconds);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode("RIFF"), 0);
  view.setUint32(4, 36 + samples * 2, true);
  bytes.set(new TextEncoder().encode("WAVEfmt "), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 16000, true);
  view.setUint32(28, 32000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  bytes.set(new TextEncoder().encode("data"), 36);
  view.setUint32(40, samples * 2, true);
  return bytes;
}
