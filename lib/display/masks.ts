import { decode, type DecodedPng, encode } from "npm:fast-png@^8.0.0";
import { fromBase64 } from "../_bytes.ts";
import { DisplayValue, encodeBase64, escapeHtml, type Picture } from "./_bundle.ts";
import { describeImage, imageSize, imageTypeOf, looksLikePhoto } from "./_image_info.ts";
import { displayWidth, oneLine, pad } from "./_width.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** A segment, as the image-segmentation task returns it. */
export interface MaskSegment {
  /** The segment's label, e.g. `"apple"`. */
  label: string;
  /** The model's confidence, from 0 to 1, when it gives one. */
  score?: number;
  /** A black-and-white PNG the picture's size, white where the segment is: base64 text (as the API sends it) or bytes. */
  mask: string | Uint8Array;
}

/** Options for {@linkcode masksOverlay}. */
export interface MasksOverlayOptions extends SourceOptions {
  /** The media type, for picture formats that cannot be told from the bytes. */
  mediaType?: string;
  /**
   * How opaque the colours are over the picture, from 0 to 1.
   *
   * @default {0.55}
   */
  opacity?: number;
  /**
   * Display width in CSS pixels; the height follows.
   *
   * When not given: the picture's own width.
   */
  width?: number;
}

/**
 * Colours by segment order (Tableau 10): neighbouring segments get distinct
 * colours, and the same segments always get the same colours.
 */
const COLORS: readonly (readonly [number, number, number])[] = [
  [78, 121, 167], // blue
  [242, 142, 43], // orange
  [225, 87, 89], // red
  [118, 183, 178], // teal
  [89, 161, 79], // green
  [237, 201, 72], // yellow
  [176, 122, 161], // purple
  [255, 157, 167], // pink
  [156, 117, 95], // brown
  [186, 176, 172], // grey
];

const hex = ([r, g, b]: readonly number[]) =>
  `#${[r, g, b].map((c) => c!.toString(16).padStart(2, "0")).join("")}`;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/** The PNG bytes of a mask, checked whole; `what` names it in messages. */
function maskBytes(mask: string | Uint8Array, what: string): Uint8Array {
  const bytes = typeof mask === "string" ? fromBase64(mask) : mask;
  if (!(bytes instanceof Uint8Array) || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    throw new TypeError(`Cannot draw masks: ${what} is not a PNG (base64 text or bytes)`);
  }
  if (!IEND.every((b, i) => bytes[bytes.length - 8 + i] === b)) {
    throw new TypeError(
      `Cannot draw masks: ${what} is not a whole PNG: it has no IEND chunk (${bytes.length} bytes; cut short?)`,
    );
  }
  return bytes;
}

/** Read a PNG; fast-png's errors are named for what was read. */
function decodePng(bytes: Uint8Array, what: string): DecodedPng {
  try {
    return decode(bytes);
  } catch (error) {
    throw new TypeError(`Cannot draw masks: ${what} does not decode: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The first channel of each pixel of a decoded PNG, scaled to 0–255. */
function firstChannel(png: DecodedPng): Uint8Array {
  const { width, height, depth, channels, data, palette } = png;
  const out = new Uint8Array(width * height);
  if (depth < 8) {
    const perRow = Math.ceil((width * depth * channels) / 8);
    const max = (1 << depth) - 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = x * depth * channels;
        const byte = (data as Uint8Array)[y * perRow + (bit >> 3)]!;
        const value = (byte >> (8 - depth - (bit & 7))) & max;
        out[y * width + x] = palette ? palette[value]?.[0] ?? 0 : Math.round((value * 255) / max);
      }
    }
    return out;
  }
  for (let i = 0; i < width * height; i++) {
    const value = data[i * channels]!;
    out[i] = palette ? palette[value]?.[0] ?? 0 : depth === 16 ? value >> 8 : value;
  }
  return out;
}

/** The picture as 8-bit RGB. */
function rgbOf(png: DecodedPng): Uint8Array {
  const { width, height, channels, data, depth, palette } = png;
  const out = new Uint8Array(width * height * 3);
  if (depth < 8 || palette) {
    // Rare for photos: read each channel through the generic path.
    const gray = firstChannel(png);
    for (let i = 0; i < width * height; i++) {
      const entry = palette?.[gray[i]!];
      out.set(entry ? [entry[0]!, entry[1]!, entry[2]!] : [gray[i]!, gray[i]!, gray[i]!], i * 3);
    }
    return out;
  }
  const scale = depth === 16 ? 257 : 1;
  for (let i = 0; i < width * height; i++) {
    const at = i * channels;
    const [r, g, b] = channels >= 3
      ? [data[at]!, data[at + 1]!, data[at + 2]!]
      : [data[at]!, data[at]!, data[at]!];
    // A transparent picture is shown over white.
    const alpha = channels === 4 || channels === 2
      ? data[at + channels - 1]! / (depth === 16 ? 65535 : 255)
      : 1;
    const mix = (c: number) => Math.round((c / scale) * alpha + 255 * (1 - alpha));
    out.set([mix(r), mix(g), mix(b)], i * 3);
  }
  return out;
}

/**
 * Draws image-segmentation masks over their picture, each segment in its own
 * colour, with a legend (label, score, share of the picture).
 *
 * In a notebook it shows as one PNG: the picture with the masks over it, the
 * legend under it with each segment's colour, and where the answer came from.
 * (`bundle()` also has the blended pixels alone: for a PNG picture the masks
 * are blended into its pixels, `image/png`; for other formats the picture and
 * a transparent colour layer are stacked in an SVG in `text/html`.) The legend
 * is a list in plain text. Masks are
 * read whole (a mask cut short is refused, not drawn half) and must be the
 * picture's size. Colours follow the segments' order, so the same answer is
 * always drawn the same.
 *
 * @example Colour one segment of a tiny picture
 * ```ts
 * import assert from "node:assert/strict";
 * import { encode } from "fast-png";
 * import { masksOverlay } from "@hf-workbook/workbook/display";
 *
 * const picture = encode({ width: 2, height: 1, data: new Uint8Array([255, 255, 255, 255, 255, 255]), channels: 3 });
 * const mask = encode({ width: 2, height: 1, data: new Uint8Array([255, 0]), channels: 1 });
 * const shown = masksOverlay(picture, [{ label: "apple", score: 0.99, mask }]);
 * assert.deepEqual(String(shown).split("\n").slice(1), ["1. apple  0.990   50.0%"]);
 * assert.ok(shown.bundle()["image/png"]);
 * ```
 *
 * @param bytes The picture's bytes.
 * @param segments The segments, each with a base64 (or bytes) PNG mask.
 * @param options Display options.
 * @returns A display value.
 * @throws {TypeError} When a mask is not a whole PNG or not the picture's size.
 */
export function masksOverlay(
  bytes: Uint8Array,
  segments: readonly MaskSegment[],
  options: MasksOverlayOptions = {},
): DisplayValue {
  const type = imageTypeOf(bytes, options.mediaType, "draw masks", "pass mediaType for other formats");
  const size = imageSize(bytes, type);
  if (size === undefined) {
    throw new TypeError(`Cannot draw masks: the size of the ${type} image could not be read from its header`);
  }
  if (!Array.isArray(segments)) {
    throw new TypeError(`Cannot draw masks: "segments" must be a list of {label, score, mask}`);
  }
  const opacity = options.opacity ?? 0.55;
  if (typeof opacity !== "number" || !(opacity >= 0 && opacity <= 1)) {
    throw new RangeError(`Cannot draw masks: "opacity" must be a number from 0 to 1, got ${opacity}`);
  }
  const { width, height } = size;
  const covers = readCovers(segments, width, height);
  const colors = segments.map((_, i) => COLORS[i % COLORS.length]!);
  const layer = colourLayer(covers, colors, width * height, opacity);
  const shown = {
    width: options.width ?? width,
    height: Math.round(((options.width ?? width) * height) / width),
  };
  const { figure, layers, png } = blend(bytes, type, size, shown, layer);

  const shares = covers.map((cover) => (cover.reduce((sum, v) => sum + v, 0) * 100) / (width * height));
  const scoreText = (score: number | undefined) => (typeof score === "number" ? score.toFixed(3) : "—");
  const legend = segments.map(({ label, score }, i) =>
    `<li><span style="display:inline-block;width:0.9em;height:0.9em;background:${hex(colors[i]!)};` +
    `vertical-align:middle;margin-right:0.4em;border:1px solid #0003"></span>` +
    `<b>${escapeHtml(label)}</b> ${scoreText(score)} · ${shares[i]!.toFixed(1)}%</li>`
  );
  const labels = segments.map(({ label }) => oneLine(label));
  const labelWidth = Math.max(0, ...labels.map(displayWidth));
  const lines = [
    `${describeImage(bytes, type)}, ${segments.length} ${segments.length === 1 ? "segment" : "segments"}`,
    ...segments.map(({ score }, i) =>
      `${i + 1}. ${pad(labels[i]!, labelWidth)}  ${scoreText(score)}  ${shares[i]!.toFixed(1).padStart(5)}%`
    ),
  ];
  const entries = segments.map(({ score }, i) => ({
    color: hex(colors[i]!),
    text: `${labels[i]!}  ${scoreText(score)} · ${shares[i]!.toFixed(1)}%`,
  }));
  return new DisplayValue({
    "text/plain": lines.join("\n"),
    "text/html": `<figure style="margin:0">${figure}<figcaption><ol style="margin:0.4em 0">${
      legend.join("")
    }</ol></figcaption></figure>`,
    ...(png === undefined ? {} : { "image/png": png }),
  }, {
    draw: () => ({
      ...legendPicture(layers, size, shown, entries),
      photo: looksLikePhoto(bytes, type, size),
    }),
    caption: captionOf(segments, options),
  });
}

/** Each segment's mask as 0/1 coverage per pixel, after checking it is a whole PNG of the picture's size. */
function readCovers(segments: readonly MaskSegment[], width: number, height: number): number[][] {
  return segments.map(({ label, mask }, i) => {
    const what = `mask ${i} ("${label}")`;
    const png = decodePng(maskBytes(mask, what), what);
    if (png.width !== width || png.height !== height) {
      throw new TypeError(
        `Cannot draw masks: ${what} is ${png.width}×${png.height}, the picture ${width}×${height}`,
      );
    }
    return Array.from(firstChannel(png), (v) => (v >= 128 ? 1 : 0));
  });
}

/** The colour layer: each segment's colour, blended in order, with its coverage as alpha (RGBA, 0-255 colour, 0-1 alpha). */
function colourLayer(
  covers: readonly number[][],
  colors: readonly (readonly [number, number, number])[],
  pixels: number,
  opacity: number,
): Float64Array {
  const layer = new Float64Array(pixels * 4);
  covers.forEach((cover, s) => {
    const [r, g, b] = colors[s]!;
    for (let i = 0; i < pixels; i++) {
      if (!cover[i]) continue;
      const a = layer[i * 4 + 3]!;
      const outA = opacity + a * (1 - opacity);
      for (const [c, value] of [[0, r], [1, g], [2, b]] as const) {
        layer[i * 4 + c] = (value * opacity + layer[i * 4 + c]! * a * (1 - opacity)) / outA;
      }
      layer[i * 4 + 3] = outA;
    }
  });
  return layer;
}

interface Size {
  width: number;
  height: number;
}

/**
 * The picture with its colour layer: for a PNG, blended into its pixels (a
 * new PNG, base64); for other formats, the picture and a transparent layer
 * stacked. `layers` is the same as SVG `<image>` elements in the picture's
 * own pixel space.
 */
function blend(
  bytes: Uint8Array,
  type: string,
  { width, height }: Size,
  shown: Size,
  layer: Float64Array,
): { figure: string; layers: string; png?: string } {
  const pixels = width * height;
  if (type === "image/png") {
    const base = rgbOf(decodePng(bytes, "the picture"));
    const out = new Uint8Array(pixels * 3);
    for (let i = 0; i < pixels; i++) {
      const a = layer[i * 4 + 3]!;
      for (let c = 0; c < 3; c++) {
        out[i * 3 + c] = Math.round(layer[i * 4 + c]! * a + base[i * 3 + c]! * (1 - a));
      }
    }
    const png = encodeBase64(encode({ width, height, data: out, channels: 3, depth: 8 }));
    return {
      figure: `<img src="data:image/png;base64,${png}" width="${shown.width}" alt="segmentation masks">`,
      layers: `<image href="data:image/png;base64,${png}" width="${width}" height="${height}"/>`,
      png,
    };
  }
  const rgba = new Uint8Array(pixels * 4);
  layer.forEach((value, i) => (rgba[i] = Math.round(i % 4 === 3 ? value * 255 : value)));
  const overlay = encodeBase64(encode({ width, height, data: rgba, channels: 4, depth: 8 }));
  const layers = `<image href="data:${escapeHtml(type)};base64,${encodeBase64(bytes)}" ` +
    `width="${width}" height="${height}"/><image href="data:image/png;base64,${overlay}" ` +
    `width="${width}" height="${height}"/>`;
  const figure = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
    `width="${shown.width}" height="${shown.height}">${layers}</svg>`;
  return { figure, layers };
}

/** The picture a notebook shows: the blended picture, then one legend row per segment with its colour. */
function legendPicture(
  layers: string,
  { width, height }: Size,
  shown: Size,
  entries: readonly { color: string; text: string }[],
): Picture {
  const rows = entries.map(({ color, text }, i) =>
    `<rect x="8" y="${shown.height + 10 + i * 22}" width="14" height="14" fill="${color}" ` +
    `stroke="#00000033"/><text x="30" y="${shown.height + 22 + i * 22}" font-size="13" fill="#222222">` +
    `${escapeHtml(text)}</text>`
  );
  const pictureHeight = shown.height + 12 + entries.length * 22;
  const pictureWidth = Math.max(shown.width, 320);
  return {
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${pictureWidth}" height="${pictureHeight}">` +
      `<svg viewBox="0 0 ${width} ${height}" width="${shown.width}" height="${shown.height}">${layers}</svg>` +
      `${rows.join("")}</svg>`,
    width: pictureWidth,
    height: pictureHeight,
  };
}
