/**
 * How wide a text is when drawn with the font the pictures use, from the
 * font's own advance widths (opentype.js), so highlights and captions can be
 * laid out before resvg draws them. Loaded only with the rasteriser.
 *
 * @module
 */

// @ts-types="npm:@types/opentype.js@^1.3.10"
import opentype from "npm:opentype.js@^2.0.0";
import { FONT_BYTES } from "./_raster.ts";

const font = opentype.parse(
  FONT_BYTES.buffer.slice(
    FONT_BYTES.byteOffset,
    FONT_BYTES.byteOffset + FONT_BYTES.byteLength,
  ) as ArrayBuffer,
);

/** The width of `text` in CSS pixels at `fontSize`, as resvg draws it (kerning on). */
export function textWidth(text: string, fontSize: number): number {
  return font.getAdvanceWidth(text, fontSize, { kerning: true });
}

/**
 * Breaks `text` into lines no wider than `width` pixels: at spaces where it
 * can, between any two characters of a long word or of CJK text.
 */
export function wrapText(text: string, fontSize: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const piece of paragraph.match(/\S+\s*|\s+/g) ?? [""]) {
      if (textWidth(line + piece.trimEnd(), fontSize) <= width) {
        line += piece;
        continue;
      }
      if (line !== "") lines.push(line.trimEnd());
      line = "";
      for (const char of piece) {
        if (line !== "" && textWidth(line + char, fontSize) > width) {
          lines.push(line.trimEnd());
          line = "";
        }
        line += char;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
