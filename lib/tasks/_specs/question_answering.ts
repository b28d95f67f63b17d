/**
 * The contract of question-answering: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/question-answering/input.json" with { type: "json" };
import output from "./hf/question-answering/output.json" with { type: "json" };

/** Question answering: extractive answers. */
export const QUESTION_ANSWERING_CONTRACT: TaskContract = defineContract({
  task: "question-answering",
  input,
  output,
  defaultModel: "timpal0l/mdeberta-v3-base-squad2",
  rules: {
    top_k: { minimum: 1 },
    doc_stride: { minimum: 0 },
    max_answer_len: { minimum: 1 },
    max_seq_len: { minimum: 1 },
    max_question_len: { minimum: 1 },
  },
});
