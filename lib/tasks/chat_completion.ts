/**
 * Chat completion: OpenAI-compatible chat through the Hugging Face router,
 * whole (`chatCompletion`) or streamed as it is generated
 * (`chatCompletionStream`).
 *
 * Where the call goes, as `@huggingface/inference` builds it:
 *
 * | `provider` | request |
 * |---|---|
 * | `"auto"` (the default here) | `POST https://router.huggingface.co/v1/chat/completions`, `model: "<id>"`: the router picks the provider, no mapping look-up |
 * | `"hf-inference"` | the mapping look-up, then `POST https://router.huggingface.co/hf-inference/models/<id>/v1/chat/completions` |
 * | another provider (`"novita"`, `"together"`, ...) | the mapping look-up (the provider's own model id), then that provider's route on the router, e.g. `.../novita/v3/openai/chat/completions` |
 * | `endpointUrl` | `<endpointUrl>/v1/chat/completions` |
 *
 * @module
 */

import {
  chatCompletion as libraryChatCompletion,
  chatCompletionStream as libraryChatCompletionStream,
} from "@huggingface/inference";
import type {
  ChatCompletionOutput as TasksChatCompletionOutput,
  ChatCompletionStreamOutput as TasksChatCompletionStreamOutput,
} from "@huggingface/tasks";

/** What chat completion returns: the OpenAI-compatible answer (`choices[0].message.content`, `usage`). */
export type ChatCompletionOutput = TasksChatCompletionOutput;
/** One chunk of a streamed chat completion (`choices[0].delta.content`). */
export type ChatCompletionStreamOutput = TasksChatCompletionStreamOutput;
import { HfWorkbookError } from "../errors.ts";
import { resolveMode } from "../transport/mode.ts";
import {
  checkBoolean,
  checkChoice,
  checkKeys,
  checkNumber,
  checkObject,
  checkStopSequences,
  checkText,
  got,
} from "./_check.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { runStream } from "./_stream.ts";

export {
  type CollectedStream,
  collectStream,
  type CollectStreamOptions,
  type StreamChunk,
  type TokenUsage,
} from "./_stream.ts";

/** A chat model that several providers serve (hf-inference among them in the recorded mappings). */
export const CHAT_COMPLETION_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

/** Who speaks in a message. */
export type ChatRole = "system" | "user" | "assistant" | "tool";

/** The roles, for checks and `--help`. */
export const CHAT_ROLES: readonly ChatRole[] = ["system", "user", "assistant", "tool"];

/** A text part of a message's content. */
export interface ChatTextPart {
  /** The part's kind. */
  type: "text";
  /** The text. */
  text: string;
}

/** An image part of a message's content (for vision models). */
export interface ChatImagePart {
  /** The part's kind. */
  type: "image_url";
  /** The image: an `https:` URL or a `data:image/...;base64,...` URL. */
  image_url: { url: string };
}

/** One part of a message's content. */
export type ChatContentPart = ChatTextPart | ChatImagePart;

/** A tool call the assistant made, sent back in the conversation. */
export interface ChatToolCall {
  /** The call's id, echoed by the `tool` message that answers it. */
  id: string;
  /** Always `"function"`. */
  type: "function";
  /** The function and its arguments (a JSON string). */
  function: { name: string; arguments: string };
}

/** One message of the conversation. */
export interface ChatMessage {
  /** Who speaks. */
  role: ChatRole;
  /** What is said: text, or a list of parts. May be absent only on an assistant message with `tool_calls`. */
  content?: string | ChatContentPart[] | null;
  /** A name for the speaker. */
  name?: string;
  /** The tool calls of an assistant message. */
  tool_calls?: ChatToolCall[];
  /** The call a `tool` message answers. */
  tool_call_id?: string;
}

/** A tool the model may call: a function described by a JSON Schema. */
export interface ChatTool {
  /** Always `"function"`. */
  type: "function";
  /** The function. */
  function: {
    /** Its name. */
    name: string;
    /** What it does, for the model. */
    description?: string;
    /** Its arguments, as a JSON Schema object. */
    parameters?: Record<string, unknown>;
  };
}

/** Which tool the model calls: `auto` (it decides), `none`, `required`, or one named function. */
export type ChatToolChoice = "auto" | "none" | "required" | {
  /** `"function"`, optional. */
  type?: "function";
  /** The function to call. */
  function: { name: string };
};

/** The answer's format: free text, any JSON object, or JSON following a schema. */
export type ChatResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
    type: "json_schema";
    /** The schema the answer follows. */
    json_schema: {
      /** The format's name. */
      name: string;
      /** What the format is for. */
      description?: string;
      /** A JSON Schema object. */
      schema?: Record<string, unknown>;
      /** Follow the schema exactly. */
      strict?: boolean;
    };
  };

/** Parameters of chat completion, named as in the API (OpenAI-compatible). */
export interface ChatCompletionParameters {
  /** The most tokens to generate. */
  max_tokens?: number;
  /** Sampling temperature, 0 to 2: lower is more focused and deterministic. */
  temperature?: number;
  /** Nucleus sampling, 0 to 1: sample among the most likely tokens whose probabilities add up to `top_p`. */
  top_p?: number;
  /** Random seed, for repeatable sampling where the provider supports it. */
  seed?: number;
  /** Up to 4 sequences that end the answer. */
  stop?: string[];
  /** -2 to 2: penalise tokens by how often they already appear. */
  frequency_penalty?: number;
  /** -2 to 2: penalise tokens that already appear at all. */
  presence_penalty?: number;
  /** Return the log-probability of each output token. */
  logprobs?: boolean;
  /** How many most likely tokens to return at each position (needs `logprobs: true`). */
  top_logprobs?: number;
  /** The answer's format (`json_object`, `json_schema`). */
  response_format?: ChatResponseFormat;
  /** Tools the model may call. */
  tools?: ChatTool[];
  /** Which tool to call. */
  tool_choice?: ChatToolChoice;
  /** A prompt put before the tools (TGI). */
  tool_prompt?: string;
}

/** Parameters of a streamed chat completion: the same, plus `stream_options`. */
export interface ChatCompletionStreamParameters extends ChatCompletionParameters {
  /** `include_usage: true` adds a last chunk with the token usage (`choices: []`). */
  stream_options?: { include_usage?: boolean };
}

/**
 * Options of {@linkcode chatCompletion}. `provider` defaults to `"auto"` here
 * (the router picks a provider that serves the model; it needs a token).
 */
export type ChatCompletionOptions = TaskOptions<ChatCompletionParameters>;

/** Options of {@linkcode chatCompletionStream}; `provider` defaults to `"auto"`. */
export type ChatCompletionStreamOptions = TaskOptions<ChatCompletionStreamParameters>;

const VERB = "chat";

const PARAMETER_KEYS = [
  "max_tokens",
  "temperature",
  "top_p",
  "seed",
  "stop",
  "frequency_penalty",
  "presence_penalty",
  "logprobs",
  "top_logprobs",
  "response_format",
  "tools",
  "tool_choice",
  "tool_prompt",
] as const;

const MESSAGE_KEYS = ["role", "content", "name", "tool_calls", "tool_call_id"] as const;

/**
 * Ask a chat model: send the conversation, get the whole answer. Messages and
 * parameters are checked before any request; the answer is the
 * OpenAI-compatible `ChatCompletionOutput` (`choices[0].message.content`,
 * `usage`).
 *
 * @example Asking about the article (a stand-in router answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { chatCompletion } from "./chat_completion.ts";
 *
 * const answer = {
 *   object: "chat.completion", id: "", created: 1742555982, model: "meta-llama/Llama-3.1-8B-Instruct",
 *   system_fingerprint: "3.2.1-native",
 *   choices: [{ index: 0, message: { role: "assistant", content: "有速率限制，而且用 CPU 推理。" }, finish_reason: "stop" }],
 *   usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
 * };
 * const output = await chatCompletion([{ role: "user", content: "免費版有什麼限制？" }], {
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: () => Promise.resolve(Response.json(answer)),
 * });
 * assert.equal(output.choices[0]?.message.content, "有速率限制，而且用 CPU 推理。");
 * assert.equal(output.usage.total_tokens, 52);
 * ```
 */
export async function chatCompletion(
  messages: ChatMessage[],
  options: ChatCompletionOptions = {},
): Promise<ChatCompletionOutput> {
  checkMessages(messages);
  checkParameters(options.parameters, PARAMETER_KEYS);
  return await runTask({
    task: "chat-completion",
    verb: VERB,
    defaultModel: CHAT_COMPLETION_MODEL,
    call: libraryChatCompletion,
    args: { messages, ...options.parameters },
  }, routed(options));
}

/**
 * Ask a chat model and read its answer as it is generated: an async iterable
 * of OpenAI-compatible chunks (`choices[0].delta.content`). Messages and
 * parameters are checked at once, before any request; the request is sent when
 * the first chunk is asked for. The stream fails with a workbook error, never
 * with a partial answer passed off as complete: an error event inside the
 * stream is an `HfApiError` (status 200, the service's message and
 * `errorType`), a stream cut before its end an `HfNetworkError`, a stream
 * request answered with plain JSON an `HfOutputError`. Use
 * {@linkcode collectStream} for the final text and the token usage.
 *
 * @example Streaming an answer (a stand-in router sends the events here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { chatCompletionStream, collectStream } from "./chat_completion.ts";
 *
 * const chunk = (content: string, finish: string | null) =>
 *   `data: ${JSON.stringify({ object: "chat.completion.chunk", id: "", created: 1742565776, model: "m/x",
 *     system_fingerprint: "3.2.1-native", choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: finish }] })}\n\n`;
 * const events = chunk("速率", null) + chunk("限制", "stop") + "data: [DONE]\n\n";
 * const stream = chatCompletionStream([{ role: "user", content: "免費版有什麼限制？" }], {
 *   model: "m/x",
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: () => Promise.resolve(new Response(events, { headers: { "content-type": "text/event-stream" } })),
 * });
 * const { text, finish_reason } = await collectStream(stream);
 * assert.equal(text, "速率限制");
 * assert.equal(finish_reason, "stop");
 * ```
 */
export function chatCompletionStream(
  messages: ChatMessage[],
  options: ChatCompletionStreamOptions = {},
): AsyncGenerator<ChatCompletionStreamOutput> {
  checkMessages(messages);
  checkParameters(options.parameters, [...PARAMETER_KEYS, "stream_options"]);
  const streamOptions = options.parameters?.stream_options;
  if (streamOptions !== undefined) {
    checkObject(streamOptions, "parameters.stream_options", VERB);
    checkKeys(streamOptions, ["include_usage"], "parameters.stream_options", VERB);
    checkBoolean(streamOptions.include_usage, "parameters.stream_options.include_usage", VERB);
  }
  return runStream({
    task: "chat-completion",
    verb: VERB,
    defaultModel: CHAT_COMPLETION_MODEL,
    call: libraryChatCompletionStream,
    args: { messages, ...options.parameters },
    isEnd: (event) =>
      Array.isArray(event.choices) &&
      event.choices.some((choice) => choice?.finish_reason !== null && choice?.finish_reason !== undefined),
    normalize: (event) =>
      Array.isArray(event.choices) ? event as unknown as ChatCompletionStreamOutput : undefined,
  }, routed(options));
}

/**
 * The options with chat's own default provider (`auto`). Replaying without a
 * token, the library still needs one to build the auto-router's URL: a
 * placeholder is given (replay never sends anything). Live, `auto` needs a
 * real token: say so before any request.
 */
function routed<P>(options: TaskOptions<P>): TaskOptions<P> {
  if (options.endpointUrl !== undefined) return options;
  const provider = options.provider ?? "auto";
  if (provider !== "auto") return { ...options, provider };
  const { mode, token } = resolveMode({
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
  });
  if (token) return { ...options, provider };
  if (mode === "replay") return { ...options, provider, mode, accessToken: REPLAY_PLACEHOLDER };
  throw new HfWorkbookError(
    "unauthorized",
    `Cannot ${VERB}: provider "auto" routes the call with your Hugging Face token, and none is set`,
    'Set HF_TOKEN (environment or .env) to a token from https://huggingface.co/settings/tokens, or name a provider (e.g. provider: "hf-inference")',
  );
}

/** Stands for a token in replay mode only: never sent, not shaped like a real token. */
const REPLAY_PLACEHOLDER = "hf_replay";

function checkMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new TypeError(`Cannot ${VERB}: "messages" must list at least one message, got ${got(messages)}`);
  }
  messages.forEach((message: unknown, i) => {
    const name = `messages[${i}]`;
    checkObject(message, name, VERB);
    checkKeys(message, MESSAGE_KEYS, name, VERB);
    if (message.role === undefined) {
      throw new TypeError(`Cannot ${VERB}: "${name}.role" is required: one of ${CHAT_ROLES.join(", ")}`);
    }
    checkChoice(message.role, CHAT_ROLES, `${name}.role`, VERB);
    if (message.name !== undefined) checkText(message.name, `${name}.name`, VERB);
    if (message.tool_call_id !== undefined) checkText(message.tool_call_id, `${name}.tool_call_id`, VERB);
    const toolCalls = message.tool_calls;
    if (toolCalls !== undefined && (!Array.isArray(toolCalls) || message.role !== "assistant")) {
      throw new TypeError(
        `Cannot ${VERB}: "${name}.tool_calls" must be a list on an assistant message, got ${got(toolCalls)}`,
      );
    }
    const content = message.content;
    if ((content === undefined || content === null || content === "") && Array.isArray(toolCalls)) return;
    if (typeof content === "string" || content === undefined || content === null) {
      checkText(content, `${name}.content`, VERB);
      return;
    }
    if (!Array.isArray(content) || content.length === 0) {
      throw new TypeError(
        `Cannot ${VERB}: "${name}.content" must be a non-empty string or a non-empty list of parts, got ${
          got(content)
        }`,
      );
    }
    content.forEach((part: unknown, j) => checkPart(part, `${name}.content[${j}]`));
  });
}

function checkPart(part: unknown, name: string): void {
  checkObject(part, name, VERB);
  checkChoice(part.type, ["text", "image_url"], `${name}.type`, VERB);
  if (part.type === "text") {
    checkKeys(part, ["type", "text"], name, VERB);
    checkText(part.text, `${name}.text`, VERB);
  } else if (part.type === "image_url") {
    checkKeys(part, ["type", "image_url"], name, VERB);
    checkObject(part.image_url, `${name}.image_url`, VERB);
    checkText(part.image_url.url, `${name}.image_url.url`, VERB);
  } else {
    throw new TypeError(`Cannot ${VERB}: "${name}.type" is required: text or image_url`);
  }
}

function checkParameters(parameters: unknown, keys: readonly string[]): void {
  if (parameters === undefined) return;
  const name = "parameters";
  checkObject(parameters, name, VERB);
  checkKeys(parameters, keys, name, VERB);
  const p = parameters;
  checkNumber(p.max_tokens, "parameters.max_tokens", VERB, { min: 1, integer: true });
  checkNumber(p.temperature, "parameters.temperature", VERB, { min: 0, max: 2 });
  checkNumber(p.top_p, "parameters.top_p", VERB, { min: 0, max: 1 });
  checkNumber(p.seed, "parameters.seed", VERB, { min: 0, integer: true });
  checkNumber(p.frequency_penalty, "parameters.frequency_penalty", VERB, { min: -2, max: 2 });
  checkNumber(p.presence_penalty, "parameters.presence_penalty", VERB, { min: -2, max: 2 });
  checkBoolean(p.logprobs, "parameters.logprobs", VERB);
  checkNumber(p.top_logprobs, "parameters.top_logprobs", VERB, { min: 0, max: 20, integer: true });
  if (p.top_logprobs !== undefined && p.logprobs !== true) {
    throw new TypeError(`Cannot ${VERB}: "parameters.top_logprobs" needs "parameters.logprobs": true`);
  }
  checkStopSequences(p.stop, "parameters.stop", VERB);
  if (p.tool_prompt !== undefined) checkText(p.tool_prompt, "parameters.tool_prompt", VERB);
  checkResponseFormat(p.response_format);
  checkTools(p.tools);
  checkToolChoice(p.tool_choice);
}

function checkResponseFormat(format: unknown): void {
  if (format === undefined) return;
  const name = "parameters.response_format";
  checkObject(format, name, VERB);
  if (format.type === undefined) {
    throw new TypeError(`Cannot ${VERB}: "${name}.type" is required: text, json_object or json_schema`);
  }
  checkChoice(format.type, ["text", "json_object", "json_schema"], `${name}.type`, VERB);
  if (format.type !== "json_schema") {
    checkKeys(format, ["type"], name, VERB);
    return;
  }
  checkKeys(format, ["type", "json_schema"], name, VERB);
  const schema = format.json_schema;
  checkObject(schema, `${name}.json_schema`, VERB);
  checkKeys(schema, ["name", "description", "schema", "strict"], `${name}.json_schema`, VERB);
  checkText(schema.name, `${name}.json_schema.name`, VERB);
  if (schema.schema !== undefined) checkObject(schema.schema, `${name}.json_schema.schema`, VERB);
  checkBoolean(schema.strict, `${name}.json_schema.strict`, VERB);
}

function checkTools(tools: unknown): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools) || tools.length === 0) {
    throw new TypeError(`Cannot ${VERB}: "parameters.tools" must list at least one tool, got ${got(tools)}`);
  }
  tools.forEach((tool: unknown, i) => {
    const name = `parameters.tools[${i}]`;
    checkObject(tool, name, VERB);
    checkKeys(tool, ["type", "function"], name, VERB);
    if (tool.type !== "function") {
      throw new TypeError(
        `Cannot ${VERB}: "${name}.type" must be "function", got ${JSON.stringify(tool.type)}`,
      );
    }
    checkObject(tool.function, `${name}.function`, VERB);
    checkKeys(tool.function, ["name", "description", "parameters"], `${name}.function`, VERB);
    checkText(tool.function.name, `${name}.function.name`, VERB);
    if (tool.function.description !== undefined) {
      checkText(tool.function.description, `${name}.function.description`, VERB);
    }
    if (tool.function.parameters !== undefined) {
      checkObject(tool.function.parameters, `${name}.function.parameters`, VERB);
    }
  });
}

function checkToolChoice(choice: unknown): void {
  if (choice === undefined) return;
  const name = "parameters.tool_choice";
  if (typeof choice === "string") {
    checkChoice(choice, ["auto", "none", "required"], name, VERB);
    return;
  }
  checkObject(choice, name, VERB);
  checkKeys(choice, ["type", "function"], name, VERB);
  if (choice.type !== undefined && choice.type !== "function") {
    throw new TypeError(
      `Cannot ${VERB}: "${name}.type" must be "function", got ${JSON.stringify(choice.type)}`,
    );
  }
  checkObject(choice.function, `${name}.function`, VERB);
  checkText(choice.function.name, `${name}.function.name`, VERB);
}
