import { createFile, type Movie, MP4BoxBuffer } from "npm:mp4box@^2.4.1";
import { sniffFormat } from "../_formats.ts";
import { type DisplayValue, encodeBase64, escapeHtml, formatBytes } from "./_bundle.ts";
import { playerValue } from "./_player.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** Options for {@linkcode video}. */
export interface VideoOptions extends SourceOptions {
  /** The media type, for formats that cannot be told from the bytes. Recognised bytes keep their own type. */
  mediaType?: string;
  /**
   * Where the same clip is committed, as a path or URL relative to the
   * notebook (e.g. `../recordings/text-to-video.a73240ff4d3d.mp4`): named in
   * the plain text and linked under the player, so a renderer that strips the
   * player still offers it.
   */
  asset?: string;
  /** The player's width in CSS pixels. @default {288} */
  width?: number;
}

/** What a clip is, as far as its container says. */
interface VideoInfo {
  type: string;
  name: string;
  codec?: string;
  width?: number;
  height?: number;
  seconds?: number;
  frames?: number;
}

/**
 * Shows a video clip, such as a text-to-video result, as an HTML `<video>`
 * player with a data URL, and under it what the clip is (and a link to its
 * committed file, given `asset`), which stays when a sanitising renderer
 * strips the player: `MP4 video (H.264), 96×64, 1.0 s, 8 frames`. The
 * container is read with `mp4box` (GPAC's MP4 parser); the frames are not
 * decoded, so no still is shown. A task helper's answer (`{bytes, mediaType}`)
 * is shown with its provenance label.
 *
 * @example Describe a clip that cannot be parsed
 * ```ts
 * import assert from "node:assert/strict";
 * import { video } from "@hf-workbook/workbook/display";
 *
 * const bytes = new TextEncoder().encode("\0\0\0\x18ftypisom");
 * const shown = video(bytes, { asset: "clips/apple.mp4" });
 * assert.equal(String(shown), "clips/apple.mp4: MP4 video, 12 B");
 * assert.match(shown.bundle()["text/html"] ?? "", /^<video controls loop muted autoplay width="288" src="data:video\/mp4;base64,/);
 * assert.match(shown.bundle()["text/html"] ?? "", /<p><a href="clips\/apple\.mp4">apple\.mp4<\/a>: MP4 video, 12 B<\/p>$/);
 * ```
 *
 * @param clip The clip's bytes, or a task helper's answer holding them.
 * @param options Display options.
 * @returns A display value.
 * @throws {TypeError} When `clip` holds no bytes.
 */
export function video(
  clip: Uint8Array | { bytes: Uint8Array; mediaType?: string },
  options: VideoOptions = {},
): DisplayValue {
  const bytes = clip instanceof Uint8Array ? clip : clip?.bytes;
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      "Cannot show the video: pass its bytes, or a task helper's answer {bytes, mediaType}",
    );
  }
  const given = options.mediaType ?? (clip instanceof Uint8Array ? undefined : clip.mediaType);
  const info = videoInfo(bytes, given);
  const player = `<video controls loop muted autoplay width="${options.width ?? 288}" src="data:${
    escapeHtml(info.type)
  };base64,${encodeBase64(bytes)}"></video>`;
  return playerValue(player, describe(info, bytes.length), options.asset, captionOf(clip, options));
}

/** `MP4 video (H.264), 96×64, 1.0 s, 8 frames`, or the format and size when the container says no more. */
function describe(info: VideoInfo, size: number): string {
  return [
    `${info.name} video${info.codec ? ` (${info.codec})` : ""}`,
    ...(info.width && info.height ? [`${info.width}×${info.height}`] : []),
    ...(info.seconds === undefined ? [] : [`${info.seconds.toFixed(1)} s`]),
    ...(info.frames ? [`${info.frames} frames`] : []),
    ...(info.seconds === undefined ? [formatBytes(size)] : []),
  ].join(", ");
}

/** The clip's format from its bytes, and for MP4 its first video track's codec, size, length and frames. */
function videoInfo(bytes: Uint8Array, given: string | undefined): VideoInfo {
  const format = sniffFormat(bytes, "video");
  const type = format?.mediaType ?? given ?? "video/mp4";
  const name = format?.name ?? given ?? "unrecognised";
  if (format?.mediaType !== "video/mp4" && format?.mediaType !== "video/quicktime") return { type, name };
  const movie = readMovie(bytes);
  const track = movie?.videoTracks[0];
  if (movie === undefined || track === undefined) return { type, name };
  return {
    type,
    name,
    ...(codecName(track.codec) ? { codec: codecName(track.codec)! } : {}),
    ...(track.video ? { width: track.video.width, height: track.video.height } : {}),
    ...(movie.timescale > 0 ? { seconds: movie.duration / movie.timescale } : {}),
    ...(track.nb_samples > 0 ? { frames: track.nb_samples } : {}),
  };
}

/** The movie's description, once mp4box has read its `moov` box; `undefined` when it cannot. */
function readMovie(bytes: Uint8Array): Movie | undefined {
  let movie: Movie | undefined;
  const file = createFile();
  file.onReady = (found) => movie = found;
  file.onError = () => {};
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer, 0));
    file.flush();
  } catch {
    return undefined;
  }
  return movie;
}

/** The codec families of generated clips, by their sample entry (`avc1.64000a` is H.264). */
const CODECS: Readonly<Record<string, string>> = {
  avc1: "H.264",
  avc3: "H.264",
  hvc1: "H.265",
  hev1: "H.265",
  vp09: "VP9",
  av01: "AV1",
};

function codecName(codec: string): string | undefined {
  const family = codec.split(".")[0] ?? "";
  return CODECS[family] ?? (family || undefined);
}
