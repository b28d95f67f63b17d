import { type DisplayValue, encodeBase64, escapeHtml, formatBytes } from "./_bundle.ts";
import { playerValue } from "./_player.ts";
import { audioInfo } from "./_audio_info.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** Options for {@linkcode audio}. */
export interface AudioOptions extends SourceOptions {
  /** The media type, for formats that cannot be told from the bytes. Recognised bytes keep their own type. */
  mediaType?: string;
  /**
   * Where the same audio is committed, as a path or URL relative to the
   * notebook (e.g. `assets/sample.flac`): named in the plain text and linked
   * under the player, so a renderer that strips the player still offers it.
   */
  asset?: string;
}

/**
 * Shows audio bytes, such as a text-to-speech result, as an HTML `<audio>`
 * player with a data URL, and under it what the recording is (and a link to
 * its committed file, given `asset`), which stays when a sanitising renderer
 * strips the player. The format (WAV, FLAC, Ogg, WebM, MP3, AAC) is
 * detected from the bytes; plain text describes the recording, with its
 * duration and sample rate read from WAV and FLAC headers:
 * `WAV audio, 1.8 s, 16000 Hz`.
 *
 * @example Describe a WAV file
 * ```ts
 * import assert from "node:assert/strict";
 * import { audio } from "@hf-workbook/workbook/display";
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
 * const linked = audio(bytes, { asset: "assets/silence.wav" });
 * assert.equal(String(linked), "assets/silence.wav: WAV audio, 0.5 s, 16000 Hz");
 * assert.equal(linked.bundle()["text/markdown"], "[silence.wav](assets/silence.wav): WAV audio, 0.5 s, 16000 Hz");
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
  return playerValue(
    `<audio controls src="${source}"></audio>`,
    details.join(", "),
    options.asset,
    captionOf(bytes, options),
  );
}
