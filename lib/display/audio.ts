import { DisplayValue, encodeBase64, escapeHtml, formatBytes } from "./_bundle.ts";
import { audioInfo } from "./_audio_info.ts";

/** Options for {@linkcode audio}. */
export interface AudioOptions {
  /** The media type, for formats that cannot be told from the bytes. Recognised bytes keep their own type. */
  mediaType?: string;
}

/**
 * Shows audio bytes, such as a text-to-speech result, as an HTML `<audio>`
 * player with a data URL. The format (WAV, FLAC, Ogg, WebM, MP3, AAC) is
 * detected from the bytes; plain text describes the recording, with its
 * duration and sample rate read from WAV and FLAC headers:
 * `WAV audio, 1.8 s, 16000 Hz`.
 *
 * @example Describe a WAV file
 * ```ts
 * import assert from "node:assert/strict";
 * import { audio } from "./mod.ts";
 *
 * // A 16 kHz mono 16-bit WAV with 0.5 s of silence.
 * const samples = 8000;
 * const bytes = new Uint8Array(44 + samples * 2);
 * const view = new DataView(bytes.buffer);
 * bytes.set(new TextEncoder().encode("RIFF"), 0);
 * view.setUint32(4, 36 + samples * 2, true);
 * bytes.set(new TextEncoder().encode("WAVEfmt "), 8);
 * view.setUint32(16, 16, true); // fmt chunk size
 * view.setUint16(20, 1, true); // PCM
 * view.setUint16(22, 1, true); // mono
 * view.setUint32(24, 16000, true); // sample rate
 * view.setUint32(28, 32000, true); // byte rate
 * view.setUint16(32, 2, true); // block align
 * view.setUint16(34, 16, true); // bits per sample
 * bytes.set(new TextEncoder().encode("data"), 36);
 * view.setUint32(40, samples * 2, true);
 *
 * const shown = audio(bytes);
 * assert.equal(String(shown), "WAV audio, 0.5 s, 16000 Hz");
 * assert.ok(shown.bundle()["text/html"]?.startsWith('<audio controls src="data:audio/wav;base64,'));
 * ```
 *
 * @param bytes The audio file's bytes.
 * @param options Display options.
 * @returns A display value.
 */
export function audio(bytes: Uint8Array, options: AudioOptions = {}): DisplayValue {
  const info = audioInfo(bytes, options.mediaType);
  const details = [
    `${info.name} audio`,
    ...(info.seconds === undefined ? [] : [`${info.seconds.toFixed(1)} s`]),
    ...(info.sampleRate === undefined ? [] : [`${info.sampleRate} Hz`]),
    ...(info.channels === undefined || info.channels === 1 ? [] : [`${info.channels} channels`]),
    ...(info.seconds === undefined ? [formatBytes(bytes.length)] : []),
  ];
  const source = `data:${escapeHtml(info.type)};base64,${encodeBase64(bytes)}`;
  return new DisplayValue({
    "text/plain": details.join(", "),
    "text/html": `<audio controls src="${source}"></audio>`,
  });
}
