/**
 * What the streaming task helpers share (`chatCompletionStream`,
 * `textGenerationStream`): the call through `@huggingface/inference` on the
 * workbook's transport, and a watch on the event stream so that no failure
 * passes for an answer:
 *
 * - an error event inside a 200 stream (`data:{"error":"...","error_type":"validation"}`)
 *   throws an {@linkcode HfApiError} (status 200) with the service's message and `errorType`;
 * - a stream that ends (or breaks off) before its end throws an
 *   {@linkcode HfNetworkError}: the end is `data: [DONE]`, or, for servers that
 *   send no `[DONE]` (TGI before 2.1), an event that says why generation
 *   stopped; a partial answer is never handed over as complete;
 * - a stream request answered with anything but `text/event-stream` (plain
 *   JSON, say) throws an {@linkcode HfOutputError} carrying the body;
 * - an event that is not JSON, or not an event of the task, throws an
 *   {@linkcode HfOutputError}.
 *
 * @module
 */

import type { Options as LibraryOptions } from "npm:@huggingface/inference@^4.13.30";
import { checkModelId } from "../endpoints.ts";
import { errorResponse, HfApiError, HfNetworkError, HfOutputError, HfWorkbookError } from "../errors.ts";
import { isRecord } from "./_check.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** A library streaming function: `(args, options) => events`. */
type LibraryStream = (args: never, options?: LibraryOptions) => AsyncGenerator<unknown>;

/** What a streaming task file hands to {@linkcode runStream}. */
export interface StreamSpec<A extends object, C> {
  /** The task's name: its recordings file. */
  task: string;
  /** The verb of error messages: `Cannot <verb>: ...`. */
  verb: string;
  /** The model used when the caller names none. */
  defaultModel: string;
  /** The `@huggingface/inference` streaming function. */
  call: LibraryStream;
  /** The task's own arguments. */
  args: A;
  /** Whether an event says the answer is complete (a finish reason, a final text). */
  isEnd: (event: Record<string, unknown>) => boolean;
  /** The chunk an event stands for; `undefined` when it is not an event of this task. */
  normalize: (event: Record<string, unknown>) => C | undefined;
}

/**
 * Run one streaming call. The model id is checked at once; the request is
 * sent when the first chunk is asked for. Errors up to the first event take
 * {@linkcode runTask}'s road (the same translation as every task); later ones
 * are the watch's workbook errors. Leaving the loop early cancels the stream.
 *
 * @throws {TypeError} At once, when the input or a parameter is of the wrong kind, or a parameter is not in the task's spec.
 * @throws {RangeError} At once, when the input or a parameter is out of range.
 * @throws {HfWorkbookError} While iterating, when the call or the stream fails.
 */
export function runStream<A extends object, C>(
  spec: StreamSpec<A, C>,
  options: TaskOptions<unknown>,
): AsyncGenerator<C> {
  if (options.model !== undefined) checkModelId(options.model, spec.verb);
  const model = options.model ?? (options.endpointUrl ? options.endpointUrl : spec.defaultModel);
  return (async function* (): AsyncGenerator<C> {
    let events: AsyncGenerator<unknown> | undefined;
    let watch: StreamWatch | undefined;
    let started = false;
    try {
      let step = await runTask<A, IteratorResult<unknown>>({
        task: spec.task,
        verb: spec.verb,
        defaultModel: spec.defaultModel,
        args: spec.args,
        call: (args, libraryOptions) => {
          watch = new StreamWatch(
            libraryOptions?.fetch ?? fetch,
            spec.verb,
            model,
            spec.isEnd,
            options.signal,
          );
          events = spec.call(args, { ...libraryOptions, fetch: watch.fetch });
          return events.next();
        },
      }, options);
      started = true;
      while (!step.done) {
        const event = step.value;
        const chunk = isRecord(event) ? spec.normalize(event) : undefined;
        if (chunk === undefined) {
          throw new HfOutputError(
            `Cannot ${spec.verb}: the answer stream of ${model} holds an event that is not a ${spec.task} chunk`,
            JSON.stringify(event) ?? String(event),
          );
        }
        yield chunk;
        step = await events!.next();
      }
    } catch (error) {
      // Up to the first event, runTask has translated the error already.
      if (!started || error instanceof HfWorkbookError || options.signal?.aborted) throw error;
      throw new HfOutputError(
        `Cannot ${spec.verb}: the answer stream of ${model} could not be read: ${
          (error as Error)?.message ?? error
        }`,
        "",
        { cause: error },
      );
    } finally {
      await events?.return(undefined);
      await watch?.cancel();
    }
  })();
}

/** Tokens a call used, as the service counts them. */
export interface TokenUsage {
  /** Tokens of the prompt (the messages, with the chat template). */
  prompt_tokens: number;
  /** Tokens generated. */
  completion_tokens: number;
  /** Both. */
  total_tokens: number;
}

/** The text and token usage of a whole stream, as {@linkcode collectStream} returns them. */
export interface CollectedStream {
  /** The answer: the text of every chunk, in order. */
  text: string;
  /** Why generation stopped (`stop`, `length`, `eos_token`, ...), when the service said. */
  finish_reason: string | null;
  /** Tokens used, when the service sent them (chat: ask with `stream_options: { include_usage: true }`). */
  usage?: TokenUsage;
  /** The model that answered, when the service said. */
  model?: string;
  /** How many chunks came. */
  chunks: number;
}

/** Options of {@linkcode collectStream}. */
export interface CollectStreamOptions {
  /** Told after every chunk that adds text: the text so far, and what this chunk added. */
  onText?: (text: string, delta: string) => void | Promise<void>;
}

/** A chunk {@linkcode collectStream} reads: a chat chunk, or a text-generation chunk. */
export type StreamChunk =
  | {
    choices: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
    usage?: TokenUsage | null;
    model?: string;
  }
  | { text: string; finish_reason: string | null; usage?: TokenUsage };

/**
 * Read a whole stream of `chatCompletionStream` or `textGenerationStream`
 * chunks: the answer's text, why it stopped and the token usage. `onText`
 * sees the text grow, for a display that updates as the answer arrives.
 *
 * @example Collecting a chat stream (chunks as the router sends them)
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectStream } from "./_stream.ts";
 *
 * async function* chunks() {
 *   yield { choices: [{ delta: { content: "免費" }, finish_reason: null }] };
 *   yield { choices: [{ delta: { content: "有限制" }, finish_reason: "stop" }] };
 *   yield { choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } };
 * }
 * const seen: string[] = [];
 * const answer = await collectStream(chunks(), { onText: (text) => void seen.push(text) });
 * assert.equal(answer.text, "免費有限制");
 * assert.equal(answer.finish_reason, "stop");
 * assert.equal(answer.usage?.total_tokens, 11);
 * assert.deepEqual(seen, ["免費", "免費有限制"]);
 * ```
 *
 * @throws {HfWorkbookError} When the stream fails or ends before its last event.
 */
export async function collectStream(
  stream: AsyncIterable<StreamChunk>,
  options: CollectStreamOptions = {},
): Promise<CollectedStream> {
  const out: CollectedStream = { text: "", finish_reason: null, chunks: 0 };
  for await (const chunk of stream) {
    out.chunks++;
    let delta = "";
    if ("choices" in chunk) {
      const first = chunk.choices[0];
      delta = first?.delta?.content ?? "";
      out.finish_reason = first?.finish_reason ?? out.finish_reason;
      if (chunk.usage) out.usage = chunk.usage;
      if (chunk.model) out.model = chunk.model;
    } else {
      delta = chunk.text;
      out.finish_reason = chunk.finish_reason ?? out.finish_reason;
      if (chunk.usage) out.usage = chunk.usage;
    }
    if (delta === "") continue;
    out.text += delta;
    await options.onText?.(out.text, delta);
  }
  return out;
}

/**
 * A `fetch` around the transport's that watches the event stream of a stream
 * request (the POST; the mapping look-up passes untouched) and turns what the
 * library would miss or report vaguely into workbook errors (see the module doc).
 */
class StreamWatch {
  #inner: typeof fetch;
  #verb: string;
  #model: string;
  #isEnd: (event: Record<string, unknown>) => boolean;
  #signal: AbortSignal | undefined;
  #upstream: ReadableStreamDefaultReader<Uint8Array> | undefined;

  constructor(
    inner: typeof fetch,
    verb: string,
    model: string,
    isEnd: (event: Record<string, unknown>) => boolean,
    signal: AbortSignal | undefined,
  ) {
    this.#inner = inner;
    this.#verb = verb;
    this.#model = model;
    this.#isEnd = isEnd;
    this.#signal = signal;
  }

  /** Stop reading: the caller left the loop early (or failed). */
  async cancel(): Promise<void> {
    await this.#upstream?.cancel().catch(() => {});
  }

  fetch: typeof fetch = async (input, init) => {
    const response = await this.#inner(input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (method !== "POST") return response;
    const url = input instanceof Request ? input.url : String(input);
    const type = response.headers.get("content-type") ?? "";
    if (!type.startsWith("text/event-stream") || !response.body) {
      const text = await response.text();
      throw new HfOutputError(
        `Cannot ${this.#verb}: asked ${this.#model} for an event stream, the service answered ${
          type || "without a content type"
        } instead${text ? `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}` : ""}`,
        text,
      );
    }
    this.#upstream = response.body.getReader();
    const body = this.#watch(this.#upstream, method, url, response.headers);
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  #watch(
    upstream: ReadableStreamDefaultReader<Uint8Array>,
    method: string,
    url: string,
    headers: Headers,
  ): ReadableStream<Uint8Array> {
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let buffer = "";
    let carriageReturn = false;
    let events = 0;
    let ended = false;
    const verb = this.#verb;
    const model = this.#model;
    const isEnd = this.#isEnd;
    const signal = this.#signal;

    /** Check one event block; returns its text to pass on, or throws the workbook error it stands for. */
    const check = (block: string): string | undefined => {
      const data = dataOf(block);
      if (data === undefined) return undefined;
      if (data === "[DONE]") {
        ended = true;
        return `data: [DONE]\n\n`;
      }
      let event: unknown;
      try {
        event = JSON.parse(data);
      } catch {
        throw new HfOutputError(
          `Cannot ${verb}: the answer stream of ${model} holds an event that is not JSON: ${
            data.slice(0, 200)
          }`,
          data,
        );
      }
      if (isRecord(event) && event.error !== undefined && event.error !== null) {
        throw new HfApiError(method, url, errorResponse(200, headers, data));
      }
      events++;
      if (isRecord(event) && isEnd(event)) ended = true;
      return `data: ${data}\n\n`;
    };

    const cut = (detail: string, cause?: unknown): HfNetworkError =>
      new HfNetworkError(
        method,
        url,
        `the answer stream of ${model} ${detail} after ${events} event${
          events === 1 ? "" : "s"
        }, before its end ("data: [DONE]" or a finish reason); the partial answer is discarded`,
        1,
        cause instanceof HfWorkbookError && cause.kind === "timeout",
        cause,
      );

    // An error found after good events is raised on the next read, so those events are handed over first
    // (erroring a stream drops what it has queued).
    let failure: unknown;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (failure !== undefined) {
          controller.error(failure);
          return;
        }
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await upstream.read();
        } catch (error) {
          if (signal?.aborted) {
            controller.error(signal.reason);
          } else if (error instanceof HfNetworkError) {
            controller.error(cut(error.kind === "timeout" ? "stalled" : "broke off", error));
          } else if (error instanceof HfWorkbookError) {
            controller.error(error);
          } else {
            controller.error(cut(`broke off (${(error as Error)?.message ?? error})`, error));
          }
          return;
        }
        let out = "";
        try {
          if (result.done) {
            buffer += decoder.decode();
            // A last event without its blank line counts when it is whole ([DONE] or JSON), not when cut mid-event.
            const data = dataOf(buffer);
            if (data !== undefined && !isWhole(data)) throw cut("ended in the middle of an event");
            out = (data === undefined ? undefined : check(buffer)) ?? "";
            if (!ended) throw cut("ended");
          } else {
            let text = (carriageReturn ? "\r" : "") + decoder.decode(result.value, { stream: true });
            carriageReturn = text.endsWith("\r"); // a CRLF split across two chunks
            if (carriageReturn) text = text.slice(0, -1);
            buffer += text.replace(/\r\n?/g, "\n");
            const blocks = buffer.split("\n\n");
            buffer = blocks.pop() ?? "";
            for (const block of blocks) out += check(block) ?? "";
          }
        } catch (error) {
          failure = error;
          await upstream.cancel().catch(() => {});
        }
        if (out !== "") controller.enqueue(encoder.encode(out));
        else if (failure !== undefined) controller.error(failure);
        if (result.done && failure === undefined) controller.close();
      },
      async cancel(reason) {
        await upstream.cancel(reason).catch(() => {});
      },
    }, { highWaterMark: 0 });
  }
}

/** The `data` of one event block (several `data:` lines joined), or `undefined` for a comment or keep-alive. */
function dataOf(block: string): string | undefined {
  const lines = block.split("\n").filter((line) => line.startsWith("data:"));
  if (lines.length === 0) return undefined;
  return lines.map((line) => line.slice(line.startsWith("data: ") ? 6 : 5)).join("\n");
}

function isWhole(data: string): boolean {
  if (data === "[DONE]") return true;
  try {
    JSON.parse(data);
    return true;
  } catch {
    return false;
  }
}
