/**
 * The contract of document-question-answering: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/document-question-answering/input.json" with { type: "json" };
import output from "./hf/document-question-answering/output.json" with { type: "json" };

/** Document question answering: LayoutLM fine-tuned by Impira by default. */
export const DOCUMENT_QUESTION_ANSWERING_CONTRACT: TaskContract = defineContract({
  task: "document-question-answering",
  input,
  output,
  defaultModel: "impira/layoutlm-document-qa",
  rules: {
    doc_stride: { minimum: 0 },
    lang: { pattern: "\\S", "x-must": "be a language code such as eng" },
    max_answer_len: { minimum: 1 },
    max_question_len: { minimum: 1 },
    max_seq_len: { minimum: 1 },
    top_k: { minimum: 1 },
    // The spec bounds a box with minLength/maxLength, which do not apply to arrays: a box is 4 numbers.
    word_boxes: {
      minItems: 1,
      items: {
        anyOf: [{ type: "string" }, { type: "array", items: { type: "number" }, minItems: 4, maxItems: 4 }],
        "x-must": "be a word or a box [x0, y0, x1, y1]",
      },
      "x-must": "list words and boxes [x0, y0, x1, y1]",
    },
  },
});
