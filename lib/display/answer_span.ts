import { DisplayValue, escapeMarkdown } from "./_bundle.ts";
import { offsetResolver, type OffsetUnit, segments, type UnitSpan } from "./_offsets.ts";
import { oneLine } from "./_width.ts";
import type { Paragraph, Run } from "./_highlight_picture.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** An answer found in a context, as the question-answering task returns it. */
export interface AnswerSpanAnswer {
  /** The answer text. */
  answer: string;
  /** Offset of the answer's first character in the context (code points, as the API counts). */
  start: number;
  /** Offset after the answer's last character. */
  end: number;
  /** The model's confidence, from 0 to 1. */
  score: number;
}

/** Options for {@linkcode answerSpan}. */
export interface AnswerSpanOptions extends SourceOptions {
  /** The question that was asked, shown above the answers. */
  question?: string;
  /**
   * How `start` and `end` are counted: the API counts code points (Python
   * characters); pass `"code-unit"` for JavaScript string indices.
   *
   * @default {"code-point"}
   */
  offsetUnit?: OffsetUnit;
}

/** Highlight colours by rank: the best answer darkest. */
const SHADES = ["#ffc940", "#ffdd85", "#ffeab8", "#fff4db"];
const EXCERPT = 40;

function shade(rank: number): string {
  return SHADES[Math.min(rank, SHADES.length - 1)]!;
}

/** The picture: the question, the context with highlights (overlapping pieces take the best rank's shade), the answers. */
function answerParagraphs(
  context: string,
  ranked: readonly AnswerSpanAnswer[],
  units: readonly UnitSpan[],
  question: string | undefined,
): Paragraph[] {
  const many = ranked.length > 1;
  const runs: Run[] = [];
  for (const piece of segments(context.length, units)) {
    const text = context.slice(piece.start, piece.end);
    if (piece.covering.length === 0) {
      runs.push({ text });
      continue;
    }
    const background = shade(Math.min(...piece.covering));
    runs.push({ text, background, underline: piece.covering.length > 1 ? "#a87800" : undefined });
    if (many) {
      for (const i of piece.ending) {
        runs.push({ text: "", background, tag: { text: `${i + 1}`, color: "#7a5700" } });
      }
    }
  }
  return [
    ...(question === undefined ? [] : [{ runs: [{ text: `Question: ${oneLine(question)}` }], size: 16 }]),
    { runs },
    ...ranked.map((answer, i) => ({
      runs: [
        { text: `${i + 1}. ` },
        { text: oneLine(answer.answer), background: shade(i) },
        { text: ` (score ${answer.score.toFixed(3)})` },
      ],
      size: 14,
    })),
  ];
}

/**
 * Shows where answers sit in their context: in a notebook a PNG of the
 * context with each answer highlighted in place (the best answer in the
 * darkest shade, ranks as small tags), then the answers with their scores. Plain text shows the
 * question, each answer with its score, and an excerpt of the context with the
 * answer in brackets. Pass one answer or several (`top_k`); they are ranked by
 * score and may overlap.
 *
 * @example Show where the answer is
 * ```ts
 * import assert from "node:assert/strict";
 * import { answerSpan } from "@hf-workbook/workbook/display";
 *
 * const shown = answerSpan(
 *   "My name is Wolfgang and I live in Berlin.",
 *   { answer: "Berlin", start: 34, end: 40, score: 0.9812 },
 *   { question: "Where do I live?" },
 * );
 * assert.equal(String(shown), [
 *   "Question: Where do I live?",
 *   "1. Berlin (score 0.981)",
 *   "   My name is Wolfgang and I live in [Berlin].",
 * ].join("\n"));
 * assert.ok((await shown.render())["image/png"]?.startsWith("iVBORw0KGgo"));
 * ```
 *
 * @param context The text the answers were found in.
 * @param answers One answer, or several.
 * @param options Display options.
 * @returns A display value.
 *
 * @throws {TypeError} When the context or the answer is not of the expected shape.
 */
export function answerSpan(
  context: string,
  answers: AnswerSpanAnswer | readonly AnswerSpanAnswer[],
  options: AnswerSpanOptions = {},
): DisplayValue {
  if (typeof context !== "string") {
    throw new TypeError(`Cannot highlight answers: "context" must be a string, got ${typeof context}`);
  }
  const list = (Array.isArray(answers) ? [...answers] : [answers]) as AnswerSpanAnswer[];
  if (list.length === 0) throw new TypeError('Cannot highlight answers: "answers" must not be empty');
  const { question, offsetUnit = "code-point" } = options;
  const ranked = list.sort((a, b) => b.score - a.score);
  const resolve = offsetResolver(context, offsetUnit, "highlight answers");
  const units: UnitSpan[] = ranked.map((answer, i) => resolve(answer.start, answer.end, `answer ${i + 1}`));
  const paragraphs = answerParagraphs(context, ranked, units, question);
  const draw = async () => {
    const { highlightPicture } = await import("./_highlight_picture.ts");
    return highlightPicture(paragraphs);
  };

  // Plain text: each answer with an excerpt of the context around it.
  const lines = question === undefined ? [] : [`Question: ${oneLine(question)}`];
  ranked.forEach((answer, i) => {
    const { start, end } = units[i]!;
    const before = Array.from(context.slice(0, start));
    const after = Array.from(context.slice(end));
    const excerpt = (before.length > EXCERPT ? "…" : "") + before.slice(-EXCERPT).join("") +
      `[${context.slice(start, end)}]` + after.slice(0, EXCERPT).join("") +
      (after.length > EXCERPT ? "…" : "");
    lines.push(
      `${i + 1}. ${oneLine(answer.answer)} (score ${answer.score.toFixed(3)})`,
      `   ${oneLine(excerpt)}`,
    );
  });

  const markdown = lines.map((line) => escapeMarkdown(line.trim())).join("  \n");
  return new DisplayValue({ "text/plain": lines.join("\n"), "text/markdown": markdown }, {
    draw,
    caption: captionOf(answers, options),
  });
}
