/**
 * Server-sent events, parsed once. A stream answer's body (which the live
 * transport already guards with the idle timeout: no bytes for the
 * per-attempt timeout, or a break mid-body, fails the read with an
 * {@linkcode HfNetworkError}) passes through stages that each do one job:
 *
 * 1. {@linkcode untilBroken}: the bytes, until the body ends or breaks; a
 *    break is kept and told after the events that came before it;
 * 2. `TextDecoderStream`;
 * 3. {@linkcode sseMessages}: one message per event, by `eventsource-parser`
 *    (comments and keep-alives dropped, CR/LF/CRLF and split lines handled);
 * 4. {@linkcode readEvents}: each event's JSON, an error event thrown as the
 *    {@linkcode HfApiError} it is, and the end check: a stream must end with
 *    `data: [DONE]` or an event `isEnd` recognises (servers without `[DONE]`,
 *    such as TGI before 2.1); one that ends, stalls or breaks off before is an
 *    {@linkcode HfNetworkError}, never a complete answer.
 *
 * @module
 */

import { createParser, type EventSourceMessage } from "npm:eventsource-parser@^4.1.3";
import { isRecord } from "../_json.ts";
import { errorResponse, HfApiError, HfNetworkError, HfOutputError, HfWorkbookError } from "../errors.ts";

/** What {@linkcode readEvents} needs to know to check a stream and word its errors. */
export interface EventStreamContext {
  /** The request's method. */
  method: string;
  /** The request's URL. */
  url: string;
  /** The answer's headers (an error event's {@linkcode HfApiError} carries them). */
  headers: Headers;
  /** The verb of error messages: `Cannot <verb>: ...`. */
  verb: string;
  /** The model (or endpoint) the stream is from, for messages. */
  model: string;
  /** Whether an event says the answer is complete without a `[DONE]` (a finish reason). */
  isEnd?: (event: Record<string, unknown>) => boolean;
  /** The caller's signal: when it is aborted, its reason is thrown as it is. */
  signal?: AbortSignal;
}

/** A message of {@linkcode sseMessages}; `unterminated` when the body ended before its blank line. */
export interface SseMessage extends EventSourceMessage {
  /** The body ended without the blank line that closes this event. */
  unterminated?: boolean;
}

/** How a body ended, as {@linkcode untilBroken} saw it. */
export interface BodyEnd {
  /** What the read failed with; `undefined` while it has not failed. */
  failure?: unknown;
  /** Cancel the body at once (the stages after it learn of it in their own time). */
  cancel?: (reason?: unknown) => Promise<void>;
}

/**
 * The bytes of `body`, ending normally even when reading it fails: the
 * failure is kept in `end`, so that every event before it is handed over
 * first (an errored stream drops what it has queued). Cancelling the result
 * cancels `body`.
 */
export function untilBroken(body: ReadableStream<Uint8Array>, end: BodyEnd): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  end.cancel = (reason) => reader.cancel(reason).catch(() => {});
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        end.failure = error;
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  }, { highWaterMark: 0 });
}

/**
 * A stage from text to server-sent event messages, on `eventsource-parser`.
 * An event the body ends in without its closing blank line is still handed
 * over, marked `unterminated`: whether it is whole is the reader's call.
 *
 * @example Two events, a comment and a last event without its blank line
 * ```ts
 * import assert from "node:assert/strict";
 * import { sseMessages } from "./events.ts";
 *
 * const text = ReadableStream.from([": keep-alive\n\ndata: {\"a\":1}\r\n\r\nda", "ta: [DONE]"]);
 * const messages = await Array.fromAsync(text.pipeThrough(sseMessages()));
 * assert.deepEqual(messages.map((m) => [m.data, m.unterminated ?? false]), [['{"a":1}', false], ["[DONE]", true]]);
 * ```
 */
export function sseMessages(): TransformStream<string, SseMessage> {
  let ending = false;
  let parser: ReturnType<typeof createParser>;
  return new TransformStream<string, SseMessage>({
    start(controller) {
      parser = createParser({
        onEvent: (event) => controller.enqueue(ending ? { ...event, unterminated: true } : event),
      });
    },
    transform(text) {
      parser.feed(text);
    },
    flush() {
      ending = true;
      parser.feed("\n\n");
    },
  });
}

/**
 * The events of a server-sent event stream, each one's `data` parsed as JSON,
 * checked as the module doc says. Leaving the loop early cancels `body`.
 *
 * @example A chat stream of two events
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEvents } from "./events.ts";
 *
 * const body = new Response('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n').body!;
 * const context = { method: "POST", url: "https://router.huggingface.co/v1/chat/completions", headers: new Headers(), verb: "chat", model: "m" };
 * const events = await Array.fromAsync(readEvents(body, context));
 * assert.deepEqual(events, [{ choices: [{ delta: { content: "Hi" } }] }]);
 * ```
 *
 * @throws {HfApiError} When the stream holds an error event (status 200, the service's message and type).
 * @throws {HfOutputError} When an event is not JSON.
 * @throws {HfNetworkError} When the stream ends, stalls or breaks off before its end.
 */
export async function* readEvents(
  body: ReadableStream<Uint8Array>,
  context: EventStreamContext,
): AsyncGenerator<unknown> {
  const end: BodyEnd = {};
  const text = new TextDecoderStream() as TransformStream<Uint8Array, string>; // it takes any BufferSource
  const messages = untilBroken(body, end).pipeThrough(text).pipeThrough(sseMessages());
  const progress = { events: 0, ended: false };
  const reader = messages.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.data === "[DONE]") {
        progress.ended = true;
        break;
      }
      if (value.unterminated && end.failure !== undefined) break; // cut by the break: the break tells what happened
      if (value.unterminated && !isWhole(value.data)) {
        throw cut(context, progress.events, "ended in the middle of an event");
      }
      yield eventOf(value.data, context, progress);
    }
    if (end.failure !== undefined || !progress.ended) throw endOf(end.failure, context, progress.events);
  } finally {
    await reader.cancel().catch(() => {});
    await end.cancel?.();
  }
}

/** One event's value, counted; an event `isEnd` recognises marks the stream complete. */
function eventOf(
  data: string,
  context: EventStreamContext,
  progress: { events: number; ended: boolean },
): unknown {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    throw new HfOutputError(
      `Cannot ${context.verb}: the answer stream of ${context.model} holds an event that is not JSON: ${
        data.slice(0, 200)
      }`,
      data,
    );
  }
  if (isRecord(event) && event.error !== undefined && event.error !== null) {
    throw new HfApiError(context.method, context.url, errorResponse(200, context.headers, data));
  }
  progress.events++;
  if (isRecord(event) && context.isEnd?.(event)) progress.ended = true;
  return event;
}

/** The error a stream that ended before its end stands for, by how its body ended. */
function endOf(failure: unknown, context: EventStreamContext, events: number): unknown {
  if (failure === undefined) return cut(context, events, "ended");
  if (context.signal?.aborted) return context.signal.reason;
  if (failure instanceof HfNetworkError) {
    return cut(context, events, failure.kind === "timeout" ? "stalled" : "broke off", failure);
  }
  if (failure instanceof HfWorkbookError) return failure;
  return cut(context, events, `broke off (${(failure as Error)?.message ?? failure})`, failure);
}

function cut(context: EventStreamContext, events: number, detail: string, cause?: unknown): HfNetworkError {
  return new HfNetworkError(
    context.method,
    context.url,
    `the answer stream of ${context.model} ${detail} after ${events} event${
      events === 1 ? "" : "s"
    }, before its end ("data: [DONE]" or a finish reason); the partial answer is discarded`,
    1,
    cause instanceof HfWorkbookError && cause.kind === "timeout",
    cause,
  );
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
