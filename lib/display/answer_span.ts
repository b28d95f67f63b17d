import { DisplayValue, escapeHtml } from "./_bundle.ts";
import { offsetResolver, type OffsetUnit, segments, type UnitSpan } from "./_offsets.ts";
import { oneLine } from "./_width.ts";

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
export interface AnswerSpanOptions {
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

/**
 * Shows where answers sit in their context: the context with each answer
 * highlighted in place (the best answer in the darkest shade, ranks as
 * superscripts), then the answers with their scores. Plain text shows the
 * question, each answer with its score, and an excerpt of the context with the
 * answer in brackets. Pass one answer or several (`top_k`); they are ranked by
 * score and may overlap.
 *
 * @example Show where the answer is
 * ```ts
 * import assert from "node:assert/strict";
 * import { answerSpan } from "./mod.ts";
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
 * ```
 *
 * @param context The text the answers were found in.
 * @param answers One answer, or several.
 * @param options Display options.
 * @returns A display value.
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
  const many = ranked.length > 1;
  const label = (i: number) => `${many ? `#${i + 1} ` : ""}score ${ranked[i]!.score.toFixed(3)}`;

  // HTML: the context with highlights; overlapping pieces take the best rank's shade.
  let marked = "";
  for (const piece of segments(context.length, units)) {
    const content = escapeHtml(context.slice(piece.start, piece.end));
    if (piece.covering.length === 0) {
      marked += content;
      continue;
    }
    const best = Math.min(...piece.covering);
    const ranks = many ? piece.ending.map((i) => `<sup>${i + 1}</sup>`).join("") : "";
    const stacked = piece.covering.length > 1 ? ";box-shadow:inset 0 -2px 0 #a87800" : "";
    marked += `<mark style="background:${shade(best)};border-radius:0.2em${stacked}" title="${
      escapeHtml(piece.covering.map(label).join(", "))
    }">${content}${ranks}</mark>`;
  }
  const items = ranked.map((answer, i) =>
    `<li><mark style="background:${shade(i)}">${escapeHtml(answer.answer)}</mark> (score ${
      answer.score.toFixed(3)
    })</li>`
  ).join("");
  const html = [
    "<div>",
    question === undefined ? "" : `<div><strong>Question:</strong> ${escapeHtml(question)}</div>`,
    `<div style="white-space:pre-wrap;line-height:1.8;margin:0.4em 0">${marked}</div>`,
    `<ol style="margin:0">${items}</ol>`,
    "</div>",
  ].join("");

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

  return new DisplayValue({ "text/plain": lines.join("\n"), "text/html": html });
}
