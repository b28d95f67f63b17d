import { DisplayValue, encodeBase64, escapeHtml, type MimeBundle } from "./_bundle.ts";
import { describeImage, imageSize, type ImageType, imageTypeOf } from "./_image_info.ts";
import { captionOf, type SourceOptions } from "./source.ts";

export type { ImageType } from "./_image_info.ts";

/** Options for {@linkcode image}. */
export interface ImageOptions extends SourceOptions {
  /**
   * The media type, for formats that cannot be told from the bytes (e.g.
   * `"image/svg+xml"`). Bytes in a recognised format keep their own type.
   */
  mediaType?: string;
  /** Alternative text for the image. */
  alt?: string;
  /** Display width in CSS pixels; the height follows. */
  width?: number;
}

/**
 * Tells PNG, JPEG, GIF and WebP images apart by their magic bytes.
 *
 * @example Recognise a PNG and reject a JSON error body
 * ```ts
 * import assert from "node:assert/strict";
 * import { sniffImageType } from "@hf-workbook/workbook/display";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * assert.equal(sniffImageType(png), "image/png");
 * const body = new TextEncoder().encode('{"error":"Model is loading"}');
 * assert.throws(() => sniffImageType(body), TypeError);
 * ```
 *
 * @param bytes The file's bytes.
 * @returns The media type.
 * @throws {TypeError} When the bytes are empty or not one of the four formats; the
 *   message quotes the start of text bytes, such as a JSON error body.
 */
export function sniffImageType(bytes: Uint8Array): ImageType {
  const type = imageTypeOf(bytes, undefined, "detect the image type", "check that the response is an image");
  return type as ImageType;
}

/**
 * Shows image bytes, such as a text-to-image result: PNG and JPEG as
 * `image/png` / `image/jpeg` bundle entries, and as an HTML `<img>` with a
 * data URL (which sanitising renderers keep) when the image needs one: for
 * `width`, for a caption, or for a format without a bundle entry (GIF, WebP).
 * A JPEG with a width or a caption is drawn instead, at that width with the
 * caption under it, and shown as `image/jpeg` alone, as a photo's overlays are. Plain text describes the
 * image: `PNG image, 256×256, 3.2 kB`, with the size read from the PNG, JPEG,
 * GIF or WebP header. A generated image returned by a task helper says where
 * it came from under the picture.
 *
 * @example Describe a PNG
 * ```ts
 * import assert from "node:assert/strict";
 * import { image } from "@hf-workbook/workbook/display";
 *
 * // The first 24 bytes of a 256×256 PNG: signature, then the IHDR chunk.
 * const png = new Uint8Array([
 *   0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
 *   0, 0, 1, 0, 0, 0, 1, 0,
 * ]);
 * const shown = image(png, { alt: "a cat" });
 * assert.equal(String(shown), "PNG image, 256×256, 24 B");
 * assert.ok(shown.bundle()["image/png"]);
 * ```
 *
 * @param bytes The image file's bytes.
 * @param options Display options.
 * @returns A display value.
 */
export function image(bytes: Uint8Array, options: ImageOptions = {}): DisplayValue {
  const { mediaType, alt, width } = options;
  const type = imageTypeOf(bytes, mediaType, "display the image", "pass mediaType for other formats");
  const base64 = encodeBase64(bytes);
  const attributes = [
    `src="data:${escapeHtml(type)};base64,${base64}"`,
    ...(alt === undefined ? [] : [`alt="${escapeHtml(alt)}"`]),
    ...(width === undefined ? [] : [`width="${width}"`]),
  ];
  const caption = captionOf(bytes, options);
  const size = type === "image/jpeg" ? imageSize(bytes, type) : undefined;
  if (size !== undefined && (width !== undefined || caption !== undefined)) {
    // A JPEG at a display width or with its label: drawn as a picture (the label under it), which a notebook
    // gets as `image/jpeg` with no HTML around it, as the overlays drawn on photos are.
    const shownWidth = width ?? size.width;
    const shownHeight = Math.round((shownWidth * size.height) / size.width);
    const draw = () => ({
      svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size.width} ${size.height}" ` +
        `width="${shownWidth}" height="${shownHeight}"><image ${attributes[0]!.replace("src=", "href=")} ` +
        `x="0" y="0" width="${size.width}" height="${size.height}"/></svg>`,
      width: shownWidth,
      height: shownHeight,
      photo: true,
    });
    return new DisplayValue({ "text/plain": describeImage(bytes, type) }, { draw, caption });
  }
  const bundle: MimeBundle = { "text/plain": describeImage(bytes, type) };
  if (type === "image/png") bundle["image/png"] = base64;
  if (type === "image/jpeg") bundle["image/jpeg"] = base64;
  // HTML only where the image entry cannot say it all: a display width, a caption, a format without an entry.
  const needsHtml = width !== undefined || caption !== undefined ||
    (type !== "image/png" && type !== "image/jpeg");
  if (needsHtml) bundle["text/html"] = `<img ${attributes.join(" ")}>`;
  return new DisplayValue(bundle, { caption });
}
