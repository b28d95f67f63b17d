/**
 * Document question answering: the answer to a question about a scanned
 * document (an invoice, a form, a receipt), read from the picture: LayoutLM
 * reads the words found by OCR and their places; Donut reads the pixels.
 *
 * @module
 */

import { documentQuestionAnswering as libraryDocumentQuestionAnswering } from "npm:@huggingface/inference@^4.13.30";
import type { DocumentQuestionAnsweringParameters as Spec } from "npm:@huggingface/tasks@^0.21.54";
import { everyAnswer, type ImageQuestion, readImageQuestion } from "./_image_question.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { DOCUMENT_QUESTION_ANSWERING_CONTRACT as CONTRACT } from "./_specs/document_question_answering.ts";

export type { ImageQuestion } from "./_image_question.ts";

/**
 * One answer. Extractive models (LayoutLM) also send a `score` and the
 * `start`/`end` word indexes of the answer in the OCR'd words; generative
 * ones (Donut) send the `answer` alone.
 */
export interface DocumentQuestionAnsweringOutputElement {
  /** The answer. */
  answer: string;
  /** How likely it is, 0 to 1. */
  score?: number;
  /** The index of the answer's first word in the OCR'd words (or in `word_boxes`). */
  start?: number;
  /** The index of the answer's last word. */
  end?: number;
}

/** The answers, best first. */
export type DocumentQuestionAnsweringOutput = DocumentQuestionAnsweringOutputElement[];

/**
 * LayoutLM fine-tuned for document QA by Impira: the model
 * `@huggingface/inference` recommends, and the one its recorded test answered.
 */
export const DOCUMENT_QUESTION_ANSWERING_MODEL: string = CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type DocumentQuestionAnsweringSpecParameters = Spec;

/**
 * Parameters of document question answering, as the official spec names
 * them: `top_k`, `doc_stride`, `handle_impossible_answer`, `lang` (the OCR's
 * language), `max_answer_len`, `max_question_len`, `max_seq_len`, and
 * `word_boxes` (words and boxes `[x0, y0, x1, y1]` scaled 0 to 1000, to skip
 * the OCR).
 */
export type DocumentQuestionAnsweringParameters = Known<DocumentQuestionAnsweringSpecParameters>;

/** Options of {@linkcode documentQuestionAnswering}. */
export type DocumentQuestionAnsweringOptions = TaskOptions<DocumentQuestionAnsweringParameters>;

/**
 * Answer a question about a document's picture. The question must be
 * non-blank, and the picture is read and checked before any request (a file
 * path, bytes or a `Blob`; an image by its magic bytes; at most 10 MB once
 * base64-encoded, as it is sent in JSON).
 *
 * Every answer the service sends is returned, best first:
 * `@huggingface/inference` returns only the first (it is `output[0]` here).
 *
 * @example An invoice's number (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeHub } from "./_fake_hub.ts";
 * import { documentQuestionAnswering } from "@hf-workbook/workbook";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
 * const [best] = await documentQuestionAnswering({ image: png, question: "Invoice number?" }, fakeHub("document-question-answering", [{ answer: "us-001", score: 0.6, start: 16, end: 16 }]));
 * assert.equal(best?.answer, "us-001");
 * ```
 *
 * @example A recording instead of a picture: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { documentQuestionAnswering } from "@hf-workbook/workbook";
 *
 * const flac = new TextEncoder().encode("fLaC\0\0\0\x22");
 * await assert.rejects(documentQuestionAnswering({ image: flac, question: "Total?" }, { mode: "replay" }), {
 *   name: "TypeError",
 *   message: 'Cannot answer the question about the document: "image" must be an image in PNG, JPEG, GIF, WebP, BMP or TIFF format, got audio (FLAC)',
 * });
 * ```
 *
 * @param input The document's picture and the question.
 * @param options The model, the parameters and transport options.
 * @returns The answers, best first.
 */
export async function documentQuestionAnswering(
  input: ImageQuestion,
  options: DocumentQuestionAnsweringOptions = {},
): Promise<DocumentQuestionAnsweringOutput> {
  const verb = "answer the question about the document";
  const parameters = parametersToSend(CONTRACT, options, verb);
  const { question, media } = await readImageQuestion(input, verb);
  return await runTask({
    task: CONTRACT.task,
    verb,
    defaultModel: CONTRACT.defaultModel,
    call: everyAnswer<DocumentQuestionAnsweringOutputElement>(
      libraryDocumentQuestionAnswering,
      question,
      media,
    ),
    args: { ...(parameters ? { parameters } : {}) },
  }, options);
}
