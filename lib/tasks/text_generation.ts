/**
 * Text generation: continue a prompt, whole (`textGeneration`) or streamed as
 * it is generated (`textGenerationStream`).
 *
 * `@huggingface/inference` 4.13.30 sends hf-inference calls to the model's
 * OpenAI-compatible route, `POST https://router.huggingface.co/hf-inference/models/<id>/v1/completions`
 * with `{model, prompt, max_tokens, ...}` (`max_new_tokens` becomes `max_tokens`), and accepts only
 * `{choices: [{text}]}`. The service has also really answered text generation
 * with `[{generated_text}]` (the pipeline route, every recorded hf-inference
 * success) and streamed TGI events `{token, generated_text, details}` without
 * `[DONE]`: the helpers here take every one of those shapes.
 *
 * @module
 */

import {
  textGeneration as libraryTextGeneration,
  textGenerationStream as libraryTextGenerationStream,
} from "npm:@huggingface/inference@^4.13.30";
import type {
  TextGenerationInputGenerateParameters as TasksTextGenerationInputGenerateParameters,
  TextGenerationOutput as TasksTextGenerationOutput,
} from "npm:@huggingface/tasks@^0.21.54";

/** What text generation returns: `{ generated_text }`. */
export type TextGenerationOutput = TasksTextGenerationOutput;
import { checkText } from "./_check.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TEXT_GENERATION_CONTRACT } from "./_specs/text_generation.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { runStream, type TokenUsage } from "./_stream.ts";

/** A small, well-known generation model that hf-inference has served (recorded in hf-recorded). */
export const TEXT_GENERATION_MODEL: string = TEXT_GENERATION_CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TextGenerationSpecParameters = TasksTextGenerationInputGenerateParameters;

/**
 * Parameters of text generation: the spec's (`@huggingface/tasks`, TGI's
 * `generate` parameters: `max_new_tokens`, `details`, `grammar`,
 * `top_n_tokens`, ...), a misspelt name a compile error.
 */
export type TextGenerationParameters = Known<TextGenerationSpecParameters>;

/** Options of {@linkcode textGeneration} and {@linkcode textGenerationStream}. */
export type TextGenerationOptions = TaskOptions<TextGenerationParameters>;

/** A token of a TGI event stream. */
export interface TextGenerationStreamToken {
  /** The token's id in the model's vocabulary. */
  id: number;
  /** Its text. */
  text: string;
  /** Its log-probability. */
  logprob: number;
  /** Whether it is a special token (`</s>`, ...), left out of the text. */
  special: boolean;
}

/**
 * One chunk of a generation stream, the same whichever event shape the
 * service sent (TGI events or OpenAI-compatible completion chunks).
 */
export interface TextGenerationStreamChunk {
  /** The text this chunk adds (empty for a special token). */
  text: string;
  /** The whole generated text, on the last TGI event (TGI puts the prompt first when `return_full_text`). */
  generated_text: string | null;
  /** Why generation stopped (`length`, `eos_token`, `stop`, ...), on the last chunk when the service says. */
  finish_reason: string | null;
  /** The token, with its id and log-probability, when the service sent TGI events. */
  token?: TextGenerationStreamToken;
  /** Tokens used, when the service sent them. */
  usage?: TokenUsage;
}

const VERB = "generate text";

/**
 * Continue a prompt. The prompt and parameters are checked before any
 * request; the answer is `{generated_text}` whichever shape the service sent
 * (`{choices: [{text}]}`, `[{generated_text}]` or `{generated_text}`).
 *
 * @example Continuing a prompt (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { textGeneration } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const { generated_text } = await textGeneration("The answer to the universe is", {
 *   ...fakeHub("text-generation", [{ generated_text: "The answer to the universe is 42." }]),
 *   parameters: { max_new_tokens: 5, seed: 0 },
 * });
 * assert.equal(generated_text, "The answer to the universe is 42.");
 * ```
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function textGeneration(
  inputs: string,
  options: TextGenerationOptions = {},
): Promise<TextGenerationOutput> {
  checkText(inputs, "inputs", VERB);
  const parameters = parametersToSend(TEXT_GENERATION_CONTRACT, options, VERB);
  return await runTask({
    task: "text-generation",
    verb: VERB,
    defaultModel: TEXT_GENERATION_MODEL,
    call: libraryTextGeneration,
    args: { inputs, parameters },
    // No contract check of the fallback: TGI sends `details` with fewer fields than the spec's output.json requires.
    normalize: generatedText,
  }, options);
}

/**
 * Continue a prompt and read the text as it is generated: an async iterable
 * of {@linkcode TextGenerationStreamChunk}s. The prompt and parameters are
 * checked at once, before any request. An error event inside the stream is
 * an `HfApiError` (status 200, with the service's message and `errorType`);
 * a stream that ends before its end (`[DONE]`, or the TGI event that carries
 * `generated_text`) is an `HfNetworkError`. `collectStream` gives the final text.
 *
 * @example Streaming TGI events (a stand-in server sends them here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectStream, textGenerationStream } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const event = (text: string, special: boolean, generated: string | null) =>
 *   `data:${JSON.stringify({ token: { id: 1, text, logprob: -0.1, special }, generated_text: generated, details: null })}\n\n`;
 * const events = event("one", false, null) + event(" two", false, null) + event("</s>", true, "one two");
 * const sse = new Response(events, { headers: { "content-type": "text/event-stream" } });
 * const stream = textGenerationStream("repeat \"one two\"", fakeHub("text-generation", sse));
 * const { text } = await collectStream(stream);
 * assert.equal(text, "one two");
 * ```
 *
 * @throws {TypeError} At once, when the input or a parameter is of the wrong kind, or a parameter is not in the task's spec.
 * @throws {RangeError} At once, when the input or a parameter is out of range.
 * @throws {HfWorkbookError} While iterating, when the call or the stream fails.
 */
export function textGenerationStream(
  inputs: string,
  options: TextGenerationOptions = {},
): AsyncGenerator<TextGenerationStreamChunk> {
  checkText(inputs, "inputs", VERB);
  const parameters = parametersToSend(TEXT_GENERATION_CONTRACT, options, VERB);
  return runStream({
    task: "text-generation",
    verb: VERB,
    defaultModel: TEXT_GENERATION_MODEL,
    call: libraryTextGenerationStream,
    args: { inputs, parameters },
    isEnd: (event) =>
      typeof event.generated_text === "string" ||
      (event.details !== null && typeof event.details === "object") ||
      (Array.isArray(event.choices) &&
        event.choices.some((choice) =>
          choice?.finish_reason !== null && choice?.finish_reason !== undefined
        )),
    normalize: streamChunk,
  }, options);
}

/** `{generated_text}` out of the shapes the service has really sent for text generation. */
function generatedText(raw: unknown): TextGenerationOutput | undefined {
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first !== null && typeof first === "object" && typeof first.generated_text === "string") {
    return first as TextGenerationOutput;
  }
  return undefined;
}

/** A chunk out of a TGI event (`{token, generated_text, details}`) or a completion chunk (`{choices: [{text}]}`). */
function streamChunk(event: Record<string, unknown>): TextGenerationStreamChunk | undefined {
  const token = event.token as TextGenerationStreamToken | undefined;
  if (token !== null && typeof token === "object" && typeof token.text === "string") {
    const details = event.details as { finish_reason?: string } | null | undefined;
    return {
      text: token.special ? "" : token.text,
      generated_text: typeof event.generated_text === "string" ? event.generated_text : null,
      finish_reason: details?.finish_reason ?? null,
      token,
    };
  }
  if (Array.isArray(event.choices)) {
    const choice = event.choices[0] as { text?: unknown; finish_reason?: string | null } | undefined;
    if (choice !== undefined && typeof choice.text !== "string") return undefined;
    const usage = event.usage as TokenUsage | null | undefined;
    return {
      text: (choice?.text as string | undefined) ?? "",
      generated_text: null,
      finish_reason: choice?.finish_reason ?? null,
      ...(usage ? { usage } : {}),
    };
  }
  return undefined;
}
