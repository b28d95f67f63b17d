/**
 * The contract of summarization: its spec, and the workbook's rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { TEXT_TO_TEXT_GENERATION } from "./_rules.ts";
import input from "./hf/summarization/input.json" with { type: "json" };
import output from "./hf/summarization/output.json" with { type: "json" };

/** Summarization: parameters under `parameters`; the article's multilingual model by default. */
export const SUMMARIZATION_CONTRACT: TaskContract = defineContract({
  task: "summarization",
  input,
  output,
  defaultModel: "csebuetnlp/mT5_multilingual_XLSum",
  rules: { generate_parameters: TEXT_TO_TEXT_GENERATION },
});
