/**
 * Visual question answering: a short answer to a question about a picture
 * ("How many cats are lying down?" → "2"), from the answers the model knows,
 * each with a score.
 *
 * @module
 */

import { visualQuestionAnswering as libraryVisualQuestionAnswering } from "npm:@huggingface/inference@^4.13.30";
import type { VisualQuestionAnsweringParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { everyAnswer, type ImageQuestion, readImageQuestion } from "./_image_question.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { VISUAL_QUESTION_ANSWERING_CONTRACT as CONTRACT } from "./_specs/visual_question_answering.ts";

export type { ImageQuestion } from "./_image_question.ts";

/** One answer: its text and its score (HF Inference always sends both). */
export interface VisualQuestionAnsweringOutputElement {
  /** The answer. */
  answer: string;
  /** How likely it is, 0 to 1 (the scores need not add up to 1). */
  score: number;
}

/** The answers, best first. */
export type VisualQuestionAnsweringOutput = VisualQuestionAnsweringOutputElement[];

/**
 * ViLT fine-tuned on VQAv2: it picks among its 3,129 most frequent answers.
 * The model `@huggingface/inference` recommends, and the one its recorded
 * test answered.
 */
export const VISUAL_QUESTION_ANSWERING_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type VisualQuestionAnsweringSpecParameters = Spec;

/** Parameters of visual question answering, as the official spec names them: `top_k` (5 for ViLT when not given). */
export type VisualQuestionAnsweringParameters = Known<VisualQuestionAnsweringSpecParameters>;

/** Options of {@linkcode visualQuestionAnswering}. */
export type VisualQuestionAnsweringOptions = TaskOptions<VisualQuestionAnsweringParameters>;

/**
 * Answer a question about a picture. The question must be non-blank, and
 * the picture is read and checked before any request (a file path, bytes or
 * a `Blob`; an image by its magic bytes; at most 10 MB once base64-encoded, as
 * it is sent in JSON).
 *
 * Every answer the service sends is returned, best first:
 * `@huggingface/inference` returns only the first (it is `output[0]` here).
 *
 * @example How many cats? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeHub } from "./_fake_hub.ts";
 * import { visualQuestionAnswering } from "@hf-workbook/workbook";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const answers = await visualQuestionAnswering({ image: png, question: "How many cats are lying down?" }, fakeHub("visual-question-answering", [{ answer: "2", score: 0.52 }, { answer: "3", score: 0.35 }]));
 * assert.deepEqual(answers.map((a) => a.answer), ["2", "3"]);
 * ```
 *
 * @example A blank question: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { visualQuestionAnswering } from "@hf-workbook/workbook";
 *
 * await assert.rejects(visualQuestionAnswering({ image: new Uint8Array(8), question: " " }, { mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot answer the question about the image: "question" must be a non-empty string, got " " (blank)',
 * });
 * ```
 *
 * @param input The picture and the question.
 * @param options The model, the parameters and transport options.
 * @returns The answers with their scores, best first.
 */
export async function visualQuestionAnswering(
  input: ImageQuestion,
  options: VisualQuestionAnsweringOptions = {},
): Promise<VisualQuestionAnsweringOutput> {
  const verb = "answer the question about the image";
  const parameters = parametersToSend(CONTRACT, options, verb);
  const { question, media } = await readImageQuestion(input, verb);
  return await runTask({
    task: CONTRACT.task,
    verb,
    defaultModel: CONTRACT.defaultModel,
    call: everyAnswer<VisualQuestionAnsweringOutputElement>(libraryVisualQuestionAnswering, question, media),
    args: { ...(parameters ? { parameters } : {}) },
  }, options);
}
