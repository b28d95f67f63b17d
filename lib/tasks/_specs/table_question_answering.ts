/**
 * The contract of table-question-answering: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/table-question-answering/input.json" with { type: "json" };
import output from "./hf/table-question-answering/output.json" with { type: "json" };

/** Table question answering: answers from a table. */
export const TABLE_QUESTION_ANSWERING_CONTRACT: TaskContract = defineContract({
  task: "table-question-answering",
  input,
  output,
  defaultModel: "google/tapas-base-finetuned-wtq",
});
