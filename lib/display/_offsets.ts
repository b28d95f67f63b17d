/**
 * Character offsets as the Hugging Face API counts them.
 *
 * The API's `start`/`end` fields (token classification, question answering)
 * are Python string indices: they count Unicode code points. JavaScript
 * strings index UTF-16 code units. The two agree for text in the Basic
 * Multilingual Plane (Latin, CJK ideographs like `台灣`, kana, Hangul), but a
 * character outside it (most emoji, rare CJK Extension B ideographs such as
 * `𠀋`) is one code point and two code units, so every offset after it differs
 * by one.
 *
 * @module
 */

/** How span offsets are counted. */
export type OffsetUnit = "code-point" | "code-unit";

/** A span resolved to JavaScript string indices. */
export interface UnitSpan {
  /** Code-unit index of the first character. */
  start: number;
  /** Code-unit index after the last character. */
  end: number;
}

/**
 * Returns a function that maps `[start, end)` offsets counted in `unit` to
 * JavaScript code-unit indices of `text`, throwing a `RangeError` for offsets
 * outside the text or a reversed span. `what` names the caller for messages.
 */
export function offsetResolver(
  text: string,
  unit: OffsetUnit,
  what: string,
): (start: number, end: number, name: string) => UnitSpan {
  // codeUnitAt[i] = code-unit index of code point i; the last entry is text.length.
  const codeUnitAt: number[] = [];
  if (unit === "code-point") {
    let index = 0;
    for (const char of text) {
      codeUnitAt.push(index);
      index += char.length;
    }
    codeUnitAt.push(index);
  }
  const length = unit === "code-point" ? codeUnitAt.length - 1 : text.length;
  const noun = unit === "code-point" ? "characters" : "UTF-16 code units";
  return (start, end, name) => {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
      throw new RangeError(
        `Cannot ${what}: ${name} must have integer offsets with 0 <= start <= end, got ${start}..${end}`,
      );
    }
    if (end > length) {
      throw new RangeError(
        `Cannot ${what}: ${name} ends at ${end}, past the text's ${length} ${noun}`,
      );
    }
    if (unit === "code-unit") return { start, end };
    return { start: codeUnitAt[start]!, end: codeUnitAt[end]! };
  };
}

/** A piece of text between two span boundaries, with the spans covering it. */
export interface Segment {
  /** Code-unit start. */
  start: number;
  /** Code-unit end. */
  end: number;
  /** Indexes (into the input) of the spans covering this piece, in input order. */
  covering: number[];
  /** Indexes of the spans that end exactly at this piece's end, in input order. */
  ending: number[];
}

/**
 * Cuts `[0, length)` at every span boundary, so that overlapping and unsorted
 * spans can be drawn as flat runs of text. Empty spans are ignored.
 */
export function segments(length: number, spans: readonly UnitSpan[]): Segment[] {
  const cuts = new Set<number>([0, length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const covering: number[] = [];
    const ending: number[] = [];
    spans.forEach((span, index) => {
      if (span.start < span.end && span.start <= start && span.end >= end) {
        covering.push(index);
        if (span.end === end) ending.push(index);
      }
    });
    out.push({ start, end, covering, ending });
  }
  return out;
}
