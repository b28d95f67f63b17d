/**
 * Extractive question answering: the series' Ep.6 (a Chinese context about
 * Google and three questions, with a multilingual DeBERTa fine-tuned on SQuAD
 * 2.0). The answer is a span of the context, with its offsets.
 *
 * @module
 */

import {
  type Options as LibraryOptions,
  questionAnswering as libraryQuestionAnswering,
} from "npm:@huggingface/inference@^4.13.30";
import type {
  QuestionAnsweringOutput as TasksQuestionAnsweringOutput,
  QuestionAnsweringOutputElement as TasksQuestionAnsweringOutputElement,
  QuestionAnsweringParameters as TasksQuestionAnsweringParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { HfOutputError } from "../errors.ts";
import { checkKeys, checkObject, checkText } from "./_check.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { QUESTION_ANSWERING_CONTRACT } from "./_specs/question_answering.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** Several answers, best first, as `@huggingface/tasks` types them. */
export type QuestionAnsweringOutput = TasksQuestionAnsweringOutput;

/** One answer: its text, `score` and `start`/`end` offsets in the context, as `@huggingface/tasks` types it. */
export type QuestionAnsweringOutputElement = TasksQuestionAnsweringOutputElement;

/** The series' model (Ep.6): multilingual DeBERTa v3 fine-tuned on SQuAD 2.0 (it can also say "no answer"). */
export const QUESTION_ANSWERING_MODEL = "timpal0l/mdeberta-v3-base-squad2";

/** One question about one context. */
export interface QuestionAnsweringInputData {
  /** The question. */
  question: string;
  /** The text the answer is taken from. */
  context: string;
}

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type QuestionAnsweringSpecParameters = TasksQuestionAnsweringParameters;

/** Parameters of question answering: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type QuestionAnsweringParameters = Known<QuestionAnsweringSpecParameters>;

/** Options of {@linkcode questionAnswering}. */
export type QuestionAnsweringOptions = TaskOptions<QuestionAnsweringParameters>;

/**
 * Answer a question with a span of the context: `{answer, score, start,
 * end}`, where `start`/`end` are offsets in the context counted in characters
 * (code points, as Python counts them). The input is checked before any
 * request.
 *
 * Without `top_k` the answer is one object, as `@huggingface/inference`
 * returns it; with `top_k` it is always a list, best first (the service
 * answers a list only when `top_k` > 1, and the library keeps only its first
 * element: this helper keeps them all).
 *
 * @example Ep.6's third question (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { questionAnswering } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const context = "Google是一家全球知名的科技公司，成立於1998年，總部位於美國加利福尼亞州的山景城。";
 * const { answer, start, end } = await questionAnswering({ question: "請問什麼時候開始的?", context }, fakeHub("question-answering", { answer: "1998年", score: 0.8, start: 22, end: 27 }));
 * assert.equal(context.slice(start, end), answer);
 * ```
 *
 * @param input The question and its context, both non-blank.
 * @param options The model, `parameters` (without `top_k`) and transport options.
 * @returns The best answer.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export function questionAnswering(
  input: QuestionAnsweringInputData,
  options?: QuestionAnsweringOptions & { parameters?: { top_k?: undefined } },
): Promise<QuestionAnsweringOutputElement>;
/**
 * Answer a question with up to `top_k` spans of the context, best first.
 *
 * @example Three candidate answers (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { questionAnswering } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const candidates = [
 *   { answer: "Paris", score: 0.97, start: 25, end: 30 },
 *   { answer: "France is Paris", score: 0.01, start: 15, end: 30 },
 * ];
 * const answers = await questionAnswering(
 *   { question: "What is the capital of France?", context: "The capital of France is Paris." },
 *   { ...fakeHub("question-answering", candidates), parameters: { top_k: 3 } },
 * );
 * assert.deepEqual(answers.map((a) => a.answer), ["Paris", "France is Paris"]);
 * ```
 *
 * @param input The question and its context, both non-blank.
 * @param options The model, `parameters` with `top_k`, and transport options.
 * @returns The answers, best first.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export function questionAnswering(
  input: QuestionAnsweringInputData,
  options: QuestionAnsweringOptions & { parameters: { top_k: number } },
): Promise<QuestionAnsweringOutput>;
/**
 * Answer a question when whether `top_k` is set is known only at run time:
 * a list when it is, one answer when it is not.
 *
 * @param input The question and its context, both non-blank.
 * @param options The model, `parameters` and transport options.
 * @returns One answer, or the answers best first when `top_k` is set.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export function questionAnswering(
  input: QuestionAnsweringInputData,
  options?: QuestionAnsweringOptions,
): Promise<QuestionAnsweringOutputElement | QuestionAnsweringOutput>;
export async function questionAnswering(
  input: QuestionAnsweringInputData,
  options: QuestionAnsweringOptions = {},
): Promise<QuestionAnsweringOutputElement | QuestionAnsweringOutput> {
  const verb = "answer the question";
  checkObject(input, "input", verb);
  checkKeys(input, ["question", "context"], "input", verb);
  checkText(input.question, "question", verb);
  checkText(input.context, "context", verb);
  const parameters = parametersToSend(QUESTION_ANSWERING_CONTRACT, options, verb);
  const inputs = { question: input.question, context: input.context };
  const answers = await runTask({
    task: "question-answering",
    verb,
    defaultModel: QUESTION_ANSWERING_MODEL,
    call: allAnswers,
    args: { inputs, parameters },
  }, options);
  if (parameters?.top_k !== undefined) return answers;
  if (answers[0] === undefined) {
    throw new HfOutputError(`Cannot ${verb}: the service sent an empty list of answers`, "[]");
  }
  return answers[0];
}

/**
 * The library's call, keeping every answer: the library checks each element
 * of a list answer but returns only the first, so the task's answer body is
 * read again here (the list passed the library's check).
 */
async function allAnswers(args: never, options?: LibraryOptions): Promise<QuestionAnsweringOutput> {
  const edge = options?.fetch ?? fetch;
  let last: unknown;
  const keep: typeof fetch = async (input, init) => {
    const response = await edge(input, init);
    last = await response.clone().json().catch(() => undefined);
    return response;
  };
  const first = await libraryQuestionAnswering(args, { ...options, fetch: keep });
  return Array.isArray(last) ? last as QuestionAnsweringOutput : [first];
}
