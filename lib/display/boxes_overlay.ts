import { DisplayValue, encodeBase64, escapeHtml } from "./_bundle.ts";
import { describeImage, imageSize, imageTypeOf, looksLikePhoto } from "./_image_info.ts";
import { colorOf } from "./_palette.ts";
import { displayWidth, oneLine, pad } from "./_width.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** A detected object, as the object-detection task returns it. */
export interface DetectedBox {
  /** The object class, e.g. `"cat"`. */
  label: string;
  /** The model's confidence, from 0 to 1. */
  score: number;
  /** The bounding box in image pixels. */
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

/** Options for {@linkcode boxesOverlay}. */
export interface BoxesOverlayOptions extends SourceOptions {
  /** The media type, for image formats that cannot be told from the bytes. */
  mediaType?: string;
  /**
   * Display width in CSS pixels; the height follows.
   *
   * When not given: the image's own width.
   */
  width?: number;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * Draws object-detection boxes over their image: in a notebook a PNG,
 * rasterised from an SVG that embeds the image and adds a rectangle and a
 * `label score` tag per box, coloured by label from a fixed palette. Plain text describes the image and lists the
 * boxes. The image's size is read from its PNG, JPEG, GIF or WebP header.
 *
 * @example Outline a detected cat
 * ```ts
 * import assert from "node:assert/strict";
 * import { boxesOverlay } from "@hf-workbook/workbook/display";
 *
 * // The first 24 bytes of a 640×480 PNG are enough to read its size.
 * const png = new Uint8Array([
 *   0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
 *   0, 0, 0x02, 0x80, 0, 0, 0x01, 0xe0,
 * ]);
 * const shown = boxesOverlay(png, [{ label: "cat", score: 0.998, box: { xmin: 12, ymin: 30, xmax: 200, ymax: 220 } }]);
 * assert.ok((await shown.svg())?.includes('viewBox="0 0 640 480"'));
 * assert.equal(String(shown), "PNG image, 640×480, 24 B, 1 box\n1. cat  0.998  (12, 30)–(200, 220)");
 * ```
 *
 * @param bytes The image file's bytes.
 * @param boxes The detections.
 * @param options Display options.
 * @returns A display value.
 *
 * @throws {TypeError} When the image or a box is not of the expected shape.
 */
export function boxesOverlay(
  bytes: Uint8Array,
  boxes: readonly DetectedBox[],
  options: BoxesOverlayOptions = {},
): DisplayValue {
  const type = imageTypeOf(bytes, options.mediaType, "draw boxes", "pass mediaType for other formats");
  const size = imageSize(bytes, type);
  if (size === undefined) {
    throw new TypeError(`Cannot draw boxes: the size of the ${type} image could not be read from its header`);
  }
  boxes.forEach(({ box, label }, i) => {
    if (![box?.xmin, box?.ymin, box?.xmax, box?.ymax].every(Number.isFinite)) {
      throw new TypeError(
        `Cannot draw boxes: box ${i} ("${label}") must have finite xmin, ymin, xmax and ymax`,
      );
    }
  });
  const { width, height } = size;
  const shownWidth = options.width ?? width;
  const shownHeight = Math.round((shownWidth * height) / width);
  const draw = async () => {
    const { textWidth } = await import("./_text_metrics.ts");
    const fontSize = Math.max(12, Math.round(width / 45));
    const stroke = Math.max(2, Math.round(width / 250));
    const shapes = boxes.map(({ label, score, box }) => {
      const color = colorOf(label).strong;
      const tag = `${oneLine(label)} ${score.toFixed(2)}`;
      const tagHeight = Math.round(fontSize * 1.4);
      const tagWidth = Math.ceil(textWidth(tag, fontSize) + fontSize * 0.6);
      const tagY = box.ymin - tagHeight >= 0 ? box.ymin - tagHeight : box.ymin;
      return `<g><rect x="${n(box.xmin)}" y="${n(box.ymin)}" width="${n(box.xmax - box.xmin)}" ` +
        `height="${n(box.ymax - box.ymin)}" fill="none" stroke="${color}" stroke-width="${stroke}"/>` +
        `<rect x="${n(box.xmin)}" y="${
          n(tagY)
        }" width="${tagWidth}" height="${tagHeight}" fill="${color}"/>` +
        `<text x="${n(box.xmin + fontSize * 0.3)}" y="${n(tagY + tagHeight * 0.75)}" fill="#ffffff">` +
        `${escapeHtml(tag)}</text></g>`;
    });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
      `width="${shownWidth}" height="${shownHeight}" font-size="${fontSize}">` +
      `<image href="data:${escapeHtml(type)};base64,${encodeBase64(bytes)}" x="0" y="0" ` +
      `width="${width}" height="${height}"/>${shapes.join("")}</svg>`;
    return { svg, width: shownWidth, height: shownHeight, photo: looksLikePhoto(bytes, type, size) };
  };

  const labels = boxes.map(({ label }) => oneLine(label));
  const labelWidth = Math.max(0, ...labels.map(displayWidth));
  const lines = [
    `${describeImage(bytes, type)}, ${boxes.length} ${boxes.length === 1 ? "box" : "boxes"}`,
    ...boxes.map(({ score, box }, i) =>
      `${i + 1}. ${pad(labels[i]!, labelWidth)}  ${score.toFixed(3)}  ` +
      `(${n(box.xmin)}, ${n(box.ymin)})–(${n(box.xmax)}, ${n(box.ymax)})`
    ),
  ];
  return new DisplayValue({ "text/plain": lines.join("\n") }, {
    draw,
    caption: captionOf(boxes, options),
  });
}
