/**
 * Frames a display value's picture with its title above and its caption (the
 * provenance label) below, and rasterises it to PNG. Loaded lazily, with the
 * rasteriser, by {@linkcode DisplayValue.render}.
 *
 * @module
 */

import { type DisplayParts, escapeHtml, type Picture } from "./_bundle.ts";
import { encode as encodePng } from "npm:fast-png@^8.0.0";
import jpeg from "npm:jpeg-js@^0.4.4";
import { FONT_FAMILY, type Pixels, svgToPixels } from "./_raster.ts";
import { wrapText } from "./_text_metrics.ts";

/** How many device pixels a CSS pixel of a drawing gets: sharper on high-density screens, still small to commit. */
export const PIXEL_RATIO = 1.25;

/** The JPEG quality of a picture drawn over a photo. */
export const JPEG_QUALITY = 88;

const PAD = 8;
const TITLE_SIZE = 15;
const CAPTION_SIZE = 12;
const MIN_CAPTION_WIDTH = 360;

function textBlock(lines: readonly string[], size: number, top: number, fill: string): string {
  return lines.map((line, i) =>
    `<text x="${PAD}" y="${top + (i + 0.8) * size * 1.3}" font-size="${size}" fill="${fill}">` +
    `${escapeHtml(line)}</text>`
  ).join("");
}

/** The picture with its title above and its caption below, on white, as one SVG. */
export function framePicture(picture: Picture, parts: Pick<DisplayParts, "title" | "caption">): Picture {
  const { title, caption } = parts;
  if (title === undefined && caption === undefined) return picture;
  const width = Math.max(picture.width, caption === undefined ? 0 : MIN_CAPTION_WIDTH);
  const titleLines = title === undefined ? [] : wrapText(title, TITLE_SIZE, width - 2 * PAD);
  const captionLines = caption === undefined ? [] : wrapText(caption, CAPTION_SIZE, width - 2 * PAD);
  const titleHeight = titleLines.length === 0 ? 0 : titleLines.length * TITLE_SIZE * 1.3 + PAD;
  const captionHeight = captionLines.length === 0 ? 0 : captionLines.length * CAPTION_SIZE * 1.3 + PAD;
  const height = Math.ceil(titleHeight + picture.height + captionHeight);
  const inner = picture.svg.replace(/^<svg\b/, `<svg x="0" y="${titleHeight}"`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    textBlock(titleLines, TITLE_SIZE, PAD / 2, "#222222") + inner +
    textBlock(captionLines, CAPTION_SIZE, titleHeight + picture.height + PAD / 4, "#555555") + `</svg>`;
  return { ...picture, svg, width, height };
}

/** An encoded picture, for a MIME bundle. */
export interface EncodedPicture {
  type: "image/png" | "image/jpeg";
  bytes: Uint8Array;
}

/**
 * The picture as an image: a drawing as PNG at {@linkcode PIXEL_RATIO} (RGB,
 * no alpha: it is drawn on white), a picture over a photo as JPEG at its own
 * size (a photo in PNG is ten times the bytes, and upscaling it adds none of
 * its detail). Both encoders are deterministic.
 */
export function encodePicture(picture: Picture): EncodedPicture {
  if (picture.photo) {
    const { width, height, rgba } = svgToPixels(picture.svg, 1);
    return {
      type: "image/jpeg",
      bytes: new Uint8Array(jpeg.encode({ width, height, data: rgba }, JPEG_QUALITY).data),
    };
  }
  const { width, height, rgba } = svgToPixels(picture.svg, PIXEL_RATIO);
  const palette = indexed(rgba);
  const bytes = palette === undefined
    ? encodePng({ width, height, data: rgb(rgba), channels: 3, depth: 8 })
    : encodePng({ width, height, data: palette.indices, channels: 1, depth: 8, palette: palette.colors });
  return { type: "image/png", bytes };
}

/**
 * The pixels as palette indices when they hold at most 256 colours, as
 * drawings with a few fills and anti-aliased text usually do (a PNG half the
 * size of RGB, with the same pixels); `undefined` when they hold more.
 * Colours are numbered in order of first appearance, so the bytes are stable.
 */
function indexed(
  rgba: Pixels["rgba"],
): { indices: Uint8Array; colors: [number, number, number][] } | undefined {
  const index = new Map<number, number>();
  const colors: [number, number, number][] = [];
  const indices = new Uint8Array(rgba.length / 4);
  for (let i = 0, p = 0; i < rgba.length; i += 4, p++) {
    const key = (rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!;
    let at = index.get(key);
    if (at === undefined) {
      if (colors.length === 256) return undefined;
      at = colors.length;
      index.set(key, at);
      colors.push([rgba[i]!, rgba[i + 1]!, rgba[i + 2]!]);
    }
    indices[p] = at;
  }
  return { indices, colors };
}

function rgb(rgba: Pixels["rgba"]): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    out[o] = rgba[i]!;
    out[o + 1] = rgba[i + 1]!;
    out[o + 2] = rgba[i + 2]!;
  }
  return out;
}
