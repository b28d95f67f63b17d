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
} from "npm:@huggingface/inference@^4.13.30";
import type {
  ChatCompletionInput as TasksChatCompletionInput,
  ChatCompletionOutput as TasksChatCompletionOutput,
  ChatCompletionStreamOutput as TasksChatCompletionStreamOutput,
} from "npm:@huggingface/tasks@^0.21.54";

/** What chat completion returns: the OpenAI-compatible answer (`choices[0].message.content`, `usage`). */
export type ChatCompletionOutput = TasksChatCompletionOutput;
/** One chunk of a streamed chat completion (`choices[0].delta.content`). */
export type ChatCompletionStreamOutput = TasksChatCompletionStreamOutput;
import { HfWorkbookError } from "../errors.ts";
import { resolveMode } from "../transport/mode.ts";
import { checkChoice, checkKeys, checkObject, checkText, got } from "./_check.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { CHAT_COMPLETION_CONTRACT, CHAT_COMPLETION_STREAM_CONTRACT } from "./_specs/chat_completion.ts";
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
export const CHAT_COMPLETION_MODEL: string = CHAT_COMPLETION_CONTRACT.defaultModel;

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

/** The input as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ChatCompletionSpecInput = TasksChatCompletionInput;

/**
 * Parameters of chat completion: the spec's (`@huggingface/tasks`,
 * OpenAI-compatible: `max_tokens`, `logit_bias`, `n`, `tools`, ...), a
 * misspelt name a compile error; `tools`, `tool_choice` and `response_format`
 * typed as narrowly as the spec's schema says.
 */
export type ChatCompletionParameters =
  & Omit<
    Known<ChatCompletionSpecInput>,
    "messages" | "model" | "stream" | "stream_options" | "tools" | "tool_choice" | "response_format"
  >
  & {
    /** The answer's format (`json_object`, `json_schema`). */
    response_format?: ChatResponseFormat;
    /** Tools the model may call. */
    tools?: ChatTool[];
    /** Which tool to call. */
    tool_choice?: ChatToolChoice;
  };

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
 * import { chatCompletion } from "@hf-workbook/workbook";
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
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function chatCompletion(
  messages: ChatMessage[],
  options: ChatCompletionOptions = {},
): Promise<ChatCompletionOutput> {
  checkMessages(messages);
  const parameters = parametersToSend(CHAT_COMPLETION_CONTRACT, options, VERB);
  return await runTask({
    task: "chat-completion",
    verb: VERB,
    defaultModel: CHAT_COMPLETION_MODEL,
    call: libraryChatCompletion,
    args: { messages, ...parameters },
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
 * import { chatCompletionStream, collectStream } from "@hf-workbook/workbook";
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
 *
 * @throws {TypeError} At once, when the input or a parameter is of the wrong kind, or a parameter is not in the task's spec.
 * @throws {RangeError} At once, when the input or a parameter is out of range.
 * @throws {HfWorkbookError} While iterating, when the call or the stream fails.
 */
export function chatCompletionStream(
  messages: ChatMessage[],
  options: ChatCompletionStreamOptions = {},
): AsyncGenerator<ChatCompletionStreamOutput> {
  checkMessages(messages);
  const parameters = parametersToSend(CHAT_COMPLETION_STREAM_CONTRACT, options, VERB);
  return runStream({
    task: "chat-completion",
    verb: VERB,
    defaultModel: CHAT_COMPLETION_MODEL,
    call: libraryChatCompletionStream,
    args: { messages, ...parameters },
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
  const { mode, token } = resolveMode({ mode: options.mode, accessToken: options.accessToken });
  // what was resolved here is handed on, so the call does not resolve it again (nor read .env again)
  if (token) return { ...options, provider, mode, accessToken: token };
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
