/**
 * Frames a display value's picture with its title above and its caption (the
 * provenance label) below, and rasterises it to PNG. Loaded lazily, with the
 * rasteriser, by {@linkcode DisplayValue.render}.
 *
 * @module
 */

import { type DisplayParts, escapeHtml, type Picture } from "./_bundle.ts";
import { FONT_FAMILY, svgToPng } from "./_raster.ts";
import { wrapText } from "./_text_metrics.ts";

/** How many device pixels a CSS pixel of a picture gets: sharp on high-density screens, small enough to commit. */
export const PIXEL_RATIO = 1.5;

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
  return { svg, width, height };
}

/** PNG bytes of a picture at {@linkcode PIXEL_RATIO}. */
export function pictureToPng(picture: Picture): Uint8Array {
  return svgToPng(picture.svg, PIXEL_RATIO);
}
