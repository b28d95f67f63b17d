/**
 * Terminal column widths, for aligning plain-text output: `string-width`
 * (Unicode's East Asian Width through `get-east-asian-width`, grapheme
 * clusters, emoji sequences, zero-width and combining marks), which is what
 * monospaced terminals and notebook `<pre>` blocks do in practice. Ambiguous
 * characters count as narrow, as Unicode advises when the context is unknown.
 *
 * @module
 */

import stringWidth from "npm:string-width@^9.0.0";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Width of `text` in terminal columns: `台灣` is 4, `a` 1, a combining mark 0. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Pads `text` with spaces to `width` columns, on the right or (`"start"`) the left. */
export function pad(text: string, width: number, side: "start" | "end" = "end"): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return side === "end" ? text + fill : fill + text;
}

/** Cuts `text` to at most `width` columns, between grapheme clusters, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + "…";
}

/**
 * Breaks `text` into lines of at most `width` columns: at spaces where it
 * can, between grapheme clusters inside a longer word or CJK text.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.match(/\S+\s*|\s+/g) ?? [""]) {
    if (displayWidth(line + word.trimEnd()) <= width) {
      line += word;
      continue;
    }
    if (line.trim() !== "") lines.push(line.trimEnd());
    line = "";
    for (const { segment } of graphemes.segment(word)) {
      if (line !== "" && displayWidth(line + segment) > width) {
        lines.push(line);
        line = "";
      }
      line += segment;
    }
  }
  lines.push(line.trimEnd());
  return lines;
}

/** Puts `text` on one line: line breaks and tabs become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}
