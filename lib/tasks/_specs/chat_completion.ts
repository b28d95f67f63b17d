/**
 * The contract of chat-completion: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { type ContractDeclaration, defineContract, type TaskContract } from "../_spec.ts";
import { STOP_SEQUENCES } from "./_rules.ts";
import input from "./hf/chat-completion/input.json" with { type: "json" };
import output from "./hf/chat-completion/output.json" with { type: "json" };

/** A whole chat answer: the OpenAI-compatible route; the parameters sit at the top level of the body, next to `messages`. */
const DECLARATION: ContractDeclaration = {
  task: "chat-completion",
  input,
  output,
  defaultModel: "meta-llama/Llama-3.1-8B-Instruct",
  parametersAt: "root",
  inputNames: ["messages", "model", "stream", "stream_options"],
  rules: {
    stop: STOP_SEQUENCES,
    // The spec describes neither of these two, and tool_choice only by a link; the descriptions are the workbook's.
    tool_choice: { description: "Which tool the model calls: auto, none, required, or {function: {name}}." },
    response_format: { description: "The answer's format: text, json_object, or json_schema with a schema." },
    seed: { description: "The random seed, for repeatable sampling where the provider supports it." },
    max_tokens: { minimum: 1 },
    temperature: { minimum: 0, maximum: 2 },
    top_p: { minimum: 0, maximum: 1 },
    frequency_penalty: { minimum: -2, maximum: 2 },
    presence_penalty: { minimum: -2, maximum: 2 },
    top_logprobs: { minimum: 0, maximum: 20 },
    // The workbook's cross check: top_logprobs only with logprobs: true.
    ".": {
      if: { properties: { top_logprobs: { type: "integer" } }, required: ["top_logprobs"] },
      then: { properties: { logprobs: { const: true } }, required: ["logprobs"] },
      "x-must": 'set "logprobs": true to ask for "top_logprobs"',
    },
  },
};

/** Chat completion, whole: `stream_options` belongs to a stream, so it is refused here. */
export const CHAT_COMPLETION_CONTRACT: TaskContract = defineContract(DECLARATION);

/** Chat completion, streamed: the same, plus `stream_options`. */
export const CHAT_COMPLETION_STREAM_CONTRACT: TaskContract = defineContract({
  ...DECLARATION,
  inputNames: ["messages", "model", "stream"],
});
