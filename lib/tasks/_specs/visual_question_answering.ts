/**
 * The contract of visual-question-answering: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/visual-question-answering/input.json" with { type: "json" };
import output from "./hf/visual-question-answering/output.json" with { type: "json" };

/** Visual question answering: ViLT fine-tuned on VQAv2 by default. */
export const VISUAL_QUESTION_ANSWERING_CONTRACT: TaskContract = defineContract({
  task: "visual-question-answering",
  input,
  output,
  defaultModel: "dandelin/vilt-b32-finetuned-vqa",
  rules: { top_k: { minimum: 1 } },
});
