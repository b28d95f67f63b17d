import { DisplayValue, escapeMarkdown } from "./_bundle.ts";
import { offsetResolver, type OffsetUnit, segments, type UnitSpan } from "./_offsets.ts";
import { colorOf } from "./_palette.ts";
import type { Run } from "./_highlight_picture.ts";
import { captionOf, type SourceOptions } from "./source.ts";

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
export interface EntitiesOptions extends SourceOptions {
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

/** The picture's runs: flat pieces of text, each coloured by its innermost covering span, tags where spans end. */
function entityRuns(text: string, spans: readonly EntitySpan[], units: readonly UnitSpan[]): Run[] {
  const runs: Run[] = [];
  for (const piece of segments(text.length, units)) {
    const content = text.slice(piece.start, piece.end);
    if (piece.covering.length === 0) {
      runs.push({ text: content });
      continue;
    }
    const inner = piece.covering.reduce((best, i) =>
      units[i]!.start > units[best]!.start ||
        (units[i]!.start === units[best]!.start && units[i]!.end <= units[best]!.end)
        ? i
        : best
    );
    const background = colorOf(spans[inner]!.label).background;
    const underline = piece.covering.length > 1
      ? colorOf(spans[piece.covering[0]!]!.label).strong
      : undefined;
    runs.push({ text: content, background, underline });
    for (const i of piece.ending) {
      const label = spans[i]!.label;
      runs.push({ text: "", background, tag: { text: label, color: colorOf(label).strong } });
    }
  }
  return runs;
}

/** The plain text: non-overlapping spans inline as `[text](LABEL score)`, the rest listed after. */
function plainLines(text: string, spans: readonly EntitySpan[], units: readonly UnitSpan[]): string[] {
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
  return [plain + text.slice(cursor), ...overlapping];
}

/** The plain-text form as Markdown: each line kept as typed, in a block quote (`[text](LOC 0.99)` is not a link there). */
function markdownOf(lines: readonly string[]): string {
  return lines.map((line) => `> ${escapeMarkdown(line)}`).join("\n>\n");
}

function describe(span: EntitySpan, digits: number): string {
  return span.score === undefined ? span.label : `${span.label} ${span.score.toFixed(digits)}`;
}

/**
 * Shows a text with its named entities highlighted in place, as the token
 * classification task returns them: in a notebook a PNG of the text with each
 * entity on a background coloured by its type from a fixed palette, the type
 * as a small tag after it. Plain text (and Markdown) write entities as
 * `[台灣](LOC 0.99)`.
 *
 * Spans may come in any order and may overlap. In the picture every piece of text is
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
 * import { entities } from "@hf-workbook/workbook/display";
 *
 * const shown = entities("台灣是一個非常美麗的地區", [{ start: 0, end: 2, label: "LOC", score: 0.994 }]);
 * assert.equal(String(shown), "[台灣](LOC 0.99)是一個非常美麗的地區");
 * assert.ok((await shown.render())["image/png"]);
 * ```
 *
 * @param text The text the spans point into.
 * @param spans The entities.
 * @param options Display options.
 * @returns A display value.
 *
 * @throws {TypeError} When the text or an entity is not of the expected shape.
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

  const runs = entityRuns(text, spans, units);
  const draw = async () => {
    const { highlightPicture } = await import("./_highlight_picture.ts");
    return highlightPicture([{ runs }]);
  };
  const lines = [...(title === undefined ? [] : [title]), ...plainLines(text, spans, units)];

  return new DisplayValue({ "text/plain": lines.join("\n"), "text/markdown": markdownOf(lines) }, {
    draw,
    title,
    caption: captionOf(spans, options),
  });
}
