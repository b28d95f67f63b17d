import { DisplayValue, escapeHtml } from "./_bundle.ts";
import { offsetResolver, type OffsetUnit, segments, type UnitSpan } from "./_offsets.ts";
import { colorOf } from "./_palette.ts";

/** One entity of {@linkcode entities}: a span of the text and its type. */
export interface EntitySpan {
  /** Offset of the first character (see {@linkcode EntitiesOptions.offsetUnit}). */
  start: number;
  /** Offset after the last character. */
  end: number;
  /** The entity type, e.g. `"LOC"` (the API's `entity_group`, or `entity` such as `"B-LOC"`). */
  label: string;
  /** The model's confidence, from 0 to 1. */
  score?: number;
}

/** Options for {@linkcode entities}. */
export interface EntitiesOptions {
  /** A heading shown above the text. */
  title?: string;
  /**
   * How `start` and `end` are counted. The Hugging Face API counts Python
   * characters, which are Unicode code points; pass `"code-unit"` for offsets
   * computed by JavaScript (`String.prototype.indexOf`).
   *
   * @default {"code-point"}
   */
  offsetUnit?: OffsetUnit;
}

function describe(span: EntitySpan, digits: number): string {
  return span.score === undefined ? span.label : `${span.label} ${span.score.toFixed(digits)}`;
}

/**
 * Shows a text with its named entities highlighted in place, as the token
 * classification task returns them: each entity in a `<mark>` coloured by its
 * type from a fixed palette, with the type as a small tag and the score on
 * hover. Plain text writes entities as `[台灣](LOC 0.99)`.
 *
 * Spans may come in any order and may overlap. In HTML every piece of text is
 * coloured by the innermost span covering it; in plain text overlapping spans
 * after the first are listed below the text. Empty spans are ignored.
 *
 * Offsets are counted in code points, as the API counts them. For text in the
 * Basic Multilingual Plane (Latin, CJK such as `台灣`) they equal JavaScript
 * string indices; after an astral-plane character (an emoji, `𠀋`) they do
 * not, and the conversion here keeps the highlights on the right characters.
 *
 * @example Highlight a location in Chinese text
 * ```ts
 * import assert from "node:assert/strict";
 * import { entities } from "./mod.ts";
 *
 * const shown = entities("台灣是一個非常美麗的地區", [{ start: 0, end: 2, label: "LOC", score: 0.994 }]);
 * assert.equal(String(shown), "[台灣](LOC 0.99)是一個非常美麗的地區");
 * assert.ok(shown.bundle()["text/html"]?.includes('title="LOC 0.994"'));
 * ```
 *
 * @param text The text the spans point into.
 * @param spans The entities.
 * @param options Display options.
 * @returns A display value.
 */
export function entities(
  text: string,
  spans: readonly EntitySpan[],
  options: EntitiesOptions = {},
): DisplayValue {
  if (typeof text !== "string") {
    throw new TypeError(`Cannot highlight entities: "text" must be a string, got ${typeof text}`);
  }
  if (!Array.isArray(spans)) {
    throw new TypeError(`Cannot highlight entities: "spans" must be an array, got ${typeof spans}`);
  }
  const { title, offsetUnit = "code-point" } = options;
  const resolve = offsetResolver(text, offsetUnit, "highlight entities");
  const units: UnitSpan[] = spans.map((span, i) => {
    if (typeof span.label !== "string") {
      throw new TypeError(
        `Cannot highlight entities: span ${i} must have a string "label", got ${typeof span.label}`,
      );
    }
    return resolve(span.start, span.end, `span ${i} ("${span.label}")`);
  });

  // HTML: flat runs of text, each coloured by its innermost covering span.
  let html = "";
  for (const piece of segments(text.length, units)) {
    const content = escapeHtml(text.slice(piece.start, piece.end));
    if (piece.covering.length === 0) {
      html += content;
      continue;
    }
    const inner = piece.covering.reduce((best, i) =>
      units[i]!.start > units[best]!.start ||
        (units[i]!.start === units[best]!.start && units[i]!.end <= units[best]!.end)
        ? i
        : best
    );
    const color = colorOf(spans[inner]!.label);
    const outer = piece.covering.length > 1
      ? `;box-shadow:inset 0 -3px 0 ${colorOf(spans[piece.covering[0]!]!.label).strong}`
      : "";
    const hover = piece.covering.map((i) => describe(spans[i]!, 3)).join(", ");
    const tags = piece.ending.map((i) =>
      `<span style="font-size:0.7em;font-weight:bold;color:${
        colorOf(spans[i]!.label).strong
      };margin-left:0.3em">${escapeHtml(spans[i]!.label)}</span>`
    ).join("");
    html += `<mark style="background:${color.background};padding:0.1em 0.2em;border-radius:0.25em${outer}" ` +
      `title="${escapeHtml(hover)}">${content}${tags}</mark>`;
  }
  const heading = title === undefined ? "" : `<div style="font-weight:bold">${escapeHtml(title)}</div>`;

  // Plain text: non-overlapping spans inline, the rest listed after.
  const order = units.map((_, i) => i).filter((i) => units[i]!.start < units[i]!.end)
    .sort((a, b) => units[a]!.start - units[b]!.start || units[b]!.end - units[a]!.end || a - b);
  let plain = "";
  let cursor = 0;
  const overlapping: string[] = [];
  for (const i of order) {
    const { start, end } = units[i]!;
    const marked = `[${text.slice(start, end)}](${describe(spans[i]!, 2)})`;
    if (start < cursor) {
      overlapping.push(`  also ${marked} at ${spans[i]!.start}..${spans[i]!.end}`);
      continue;
    }
    plain += text.slice(cursor, start) + marked;
    cursor = end;
  }
  plain += text.slice(cursor);
  const lines = [...(title === undefined ? [] : [title]), plain, ...overlapping];

  return new DisplayValue({
    "text/plain": lines.join("\n"),
    "text/html": `<div style="line-height:2.2;white-space:pre-wrap">${heading}${html}</div>`,
  });
}
