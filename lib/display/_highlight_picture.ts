/**
 * Text with coloured highlights as a picture: the pictures of
 * {@linkcode entities} and {@linkcode answerSpan}. Lines are broken at spaces
 * and between CJK characters, with widths measured on the font resvg draws
 * with, so each highlight sits exactly under its text. Loaded lazily.
 *
 * @module
 */

import { escapeHtml, type Picture } from "./_bundle.ts";
import { FONT_FAMILY } from "./_raster.ts";
import { textWidth } from "./_text_metrics.ts";

/** A piece of text, highlighted or not. */
export interface Run {
  /** The text; `\n` breaks the line. */
  text: string;
  /** The highlight colour behind the text. */
  background?: string;
  /** A line under the text, for a piece covered by more than one highlight. */
  underline?: string;
  /** A small label drawn after the text, inside its highlight (an entity type, a rank). */
  tag?: { text: string; color: string };
}

/** A paragraph of runs, at a font size. */
export interface Paragraph {
  runs: readonly Run[];
  /** @default {15} */
  size?: number;
  /** @default {"#222222"} */
  color?: string;
}

const PAD = 8;
const TAG_SCALE = 0.7;

interface Placed {
  x: number;
  line: number;
  width: number;
  text: string;
  run: Run;
  tag: boolean;
}

/** Cuts text into pieces a line may break after: words with their spaces, single CJK characters, line breaks. */
function pieces(text: string): string[] {
  return text.match(
    /\n|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[^\s\n\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+[^\S\n]*|[^\S\n]+/gu,
  ) ??
    [];
}

function layout(paragraph: Paragraph, width: number): { placed: Placed[]; lines: number } {
  const size = paragraph.size ?? 15;
  const placed: Placed[] = [];
  let x = 0;
  let line = 0;
  const put = (text: string, run: Run, tag: boolean) => {
    const w = textWidth(text, tag ? size * TAG_SCALE : size) + (tag ? size * 0.3 : 0);
    if (x > 0 && x + textWidth(text.trimEnd(), size) > width) {
      line += 1;
      x = 0;
      if (!tag && text.trim() === "") return;
    }
    placed.push({ x, line, width: w, text, run, tag });
    x += w;
  };
  for (const run of paragraph.runs) {
    for (const piece of pieces(run.text)) {
      if (piece === "\n") {
        line += 1;
        x = 0;
      } else put(piece, run, false);
    }
    if (run.tag) put(run.tag.text, run, true);
  }
  return { placed, lines: line + 1 };
}

/** Draws paragraphs of highlighted text, one under the other, `width` pixels wide. */
export function highlightPicture(paragraphs: readonly Paragraph[], width = 640): Picture {
  const inner = width - 2 * PAD;
  let top = PAD / 2;
  const shapes: string[] = [];
  for (const paragraph of paragraphs) {
    const size = paragraph.size ?? 15;
    const lineHeight = Math.round(size * 1.9);
    const { placed, lines } = layout(paragraph, inner);
    for (const piece of placed) {
      const x = PAD + piece.x;
      const y = top + piece.line * lineHeight;
      const { background, underline } = piece.run;
      if (background !== undefined) {
        shapes.push(
          `<rect x="${r(x)}" y="${r(y + size * 0.2)}" width="${r(piece.width)}" height="${r(size * 1.5)}" ` +
            `fill="${background}"/>`,
        );
      }
      if (underline !== undefined && !piece.tag) {
        shapes.push(
          `<rect x="${r(x)}" y="${r(y + size * 1.55)}" width="${
            r(piece.width)
          }" height="2" fill="${underline}"/>`,
        );
      }
      const font = piece.tag
        ? `font-size="${r(size * TAG_SCALE)}" fill="${piece.run.tag!.color}" font-weight="bold"`
        : `font-size="${size}" fill="${paragraph.color ?? "#222222"}"`;
      shapes.push(
        `<text x="${r(x + (piece.tag ? size * 0.15 : 0))}" y="${r(y + size * 1.3)}" ${font} ` +
          `xml:space="preserve">${escapeHtml(piece.text)}</text>`,
      );
    }
    top += lines * lineHeight + PAD / 2;
  }
  const height = Math.ceil(top + PAD / 2);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">${shapes.join("")}</svg>`;
  return { svg, width, height };
}

function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}
