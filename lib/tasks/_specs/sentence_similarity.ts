/**
 * The contract of sentence-similarity: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/sentence-similarity/input.json" with { type: "json" };
import output from "./hf/sentence-similarity/output.json" with { type: "json" };

/** Sentence similarity: scores against a source sentence; the spec names no parameters. */
export const SENTENCE_SIMILARITY_CONTRACT: TaskContract = defineContract({
  task: "sentence-similarity",
  input,
  output,
  defaultModel: "sentence-transformers/all-MiniLM-L6-v2",
});
