/**
 * The contract of text-generation: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { STOP_SEQUENCES } from "./_rules.ts";
import input from "./hf/text-generation/input.json" with { type: "json" };
import output from "./hf/text-generation/output.json" with { type: "json" };

/** Text generation: a continued prompt. */
export const TEXT_GENERATION_CONTRACT: TaskContract = defineContract({
  task: "text-generation",
  input,
  output,
  defaultModel: "openai-community/gpt2",
  rules: {
    stop: STOP_SEQUENCES,
    // The spec does not describe it; the description is the workbook's.
    grammar: { description: "A grammar the generated text follows: a JSON schema or a regex (TGI)." },
    max_new_tokens: { minimum: 1 },
    top_p: { minimum: 0, maximum: 1 },
    typical_p: { minimum: 0, maximum: 1 },
    top_k: { minimum: 1 },
    temperature: { minimum: 0 },
    frequency_penalty: { minimum: -2, maximum: 2 },
    // The spec says seed > 0, but the service answers seed 0 (recorded by huggingface.js: interactions.json#225).
    seed: { exclusiveMinimum: null, minimum: 0 },
  },
});
