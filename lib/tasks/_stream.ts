/**
 * What the streaming task helpers share (`chatCompletionStream`,
 * `textGenerationStream`): `@huggingface/inference` builds the request and
 * sends it on the workbook's transport, and the transport's event reader
 * (lib/transport/events.ts) parses the answer once, so that no failure passes
 * for an answer. The library is handed the answer's head only: nothing parses
 * the stream twice, nothing writes events back out.
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
import { HfOutputError, HfWorkbookError } from "../errors.ts";
import { readEvents } from "../transport/events.ts";
import { isRecord } from "./_check.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { carryProvenance } from "../provenance.ts";

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
 * sent when the first chunk is asked for. Errors up to the answer's head take
 * {@linkcode runTask}'s road (the same translation as every task); the event
 * reader's are workbook errors. Leaving the loop early cancels the stream.
 * Every chunk carries the provenance of the exchange that answered
 * (`provenanceOf(chunk)`): live, or the recording's origin in replay.
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
    let opened: OpenedStream | undefined;
    let events: AsyncGenerator<unknown> | undefined;
    try {
      opened = await runTask<A, OpenedStream>({
        task: spec.task,
        verb: spec.verb,
        defaultModel: spec.defaultModel,
        args: spec.args,
        call: (args, libraryOptions) =>
          openStream(spec.call, args as never, libraryOptions, spec.verb, model),
      }, options);
      events = readEvents(opened.body, {
        ...opened,
        verb: spec.verb,
        model,
        isEnd: spec.isEnd,
        signal: options.signal,
      });
      for await (const event of events) {
        const chunk = isRecord(event) ? spec.normalize(event) : undefined;
        if (chunk === undefined) {
          throw new HfOutputError(
            `Cannot ${spec.verb}: the answer stream of ${model} holds an event that is not a ${spec.task} chunk`,
            JSON.stringify(event) ?? String(event),
          );
        }
        yield carryProvenance(opened, chunk);
      }
    } catch (error) {
      // runTask has translated what the library threw; the event reader throws workbook errors.
      if (opened === undefined || error instanceof HfWorkbookError || options.signal?.aborted) throw error;
      throw new HfOutputError(
        `Cannot ${spec.verb}: the answer stream of ${model} could not be read: ${
          (error as Error)?.message ?? error
        }`,
        "",
        { cause: error },
      );
    } finally {
      await events?.return(undefined);
      if (events === undefined) await opened?.body.cancel().catch(() => {});
    }
  })();
}

/** The stream request's answer: what the event reader needs of it. */
interface OpenedStream {
  method: string;
  url: string;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
}

/**
 * Let the library build and send the stream request on the transport, and
 * keep the answer's body: the library is handed the head alone (a body-less
 * answer ends its generator at once), so only the event reader parses the
 * events. The mapping look-up (a GET) passes untouched.
 *
 * @throws {HfOutputError} When the answer is not an event stream.
 */
async function openStream(
  call: LibraryStream,
  args: never,
  libraryOptions: LibraryOptions | undefined,
  verb: string,
  model: string,
): Promise<OpenedStream> {
  const send = libraryOptions?.fetch ?? fetch;
  let opened: OpenedStream | undefined;
  const watched: typeof fetch = async (input, init) => {
    const response = await send(input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (method !== "POST") return response;
    const url = input instanceof Request ? input.url : String(input);
    opened = { method, url, headers: response.headers, body: await eventStreamBody(response, verb, model) };
    return new Response(null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  const library = call(args, { ...libraryOptions, fetch: watched });
  try {
    await library.next();
  } finally {
    await library.return(undefined);
  }
  if (opened === undefined) {
    throw new HfOutputError(`Cannot ${verb}: no stream request was sent to ${model}`, "");
  }
  return opened;
}

/** The body of an event-stream answer; any other answer is an {@linkcode HfOutputError} carrying its text. */
async function eventStreamBody(
  response: Response,
  verb: string,
  model: string,
): Promise<ReadableStream<Uint8Array>> {
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream") && response.body) return response.body;
  const text = await response.text();
  throw new HfOutputError(
    `Cannot ${verb}: asked ${model} for an event stream, the service answered ${
      type || "without a content type"
    } instead${text ? `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}` : ""}`,
    text,
  );
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
 * The result carries the chunks' provenance (`provenanceOf(result)`): where
 * the streamed answer came from.
 *
 * @example Collecting a chat stream (chunks as the router sends them)
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectStream } from "@hf-workbook/workbook";
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
    if (out.chunks++ === 0) carryProvenance(chunk, out);
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
