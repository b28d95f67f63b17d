/**
 * The transport's event reader (lib/transport/events.ts) on its own: each
 * stage's job, on bodies built here (the task-level streams are tested in
 * chat_completion_test.ts and text_generation_test.ts against a real local
 * server).
 */
import assert from "node:assert/strict";
import { HfApiError, HfNetworkError, HfOutputError } from "../lib/errors.ts";
import { type EventStreamContext, readEvents } from "../lib/transport/events.ts";
import { rejection } from "./_helpers.ts";

const CONTEXT: EventStreamContext = {
  method: "POST",
  url: "https://router.huggingface.co/v1/chat/completions",
  headers: new Headers({ "content-type": "text/event-stream" }),
  verb: "chat",
  model: "test-org/chat",
  isEnd: (event) => Array.isArray(event.choices) && event.choices.some((c) => c?.finish_reason),
};

/** A body made of `parts`, then (when given) a failed read. */
function body(parts: string[], failure?: unknown): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(encoder.encode(parts[i++]!));
      else if (failure !== undefined) controller.error(failure);
      else controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, context = CONTEXT) {
  const seen: unknown[] = [];
  try {
    for await (const event of readEvents(stream, context)) seen.push(event);
    return { seen };
  } catch (error) {
    return { seen, error };
  }
}

Deno.test("events split across reads, CRLF and comments are parsed once, [DONE] ends the stream", async () => {
  const { seen, error } = await collect(body([
    ': keep-alive\r\n\r\ndata: {"a"',
    ":1}\r",
    '\n\r\ndata: {"a":2}\n\ndata: [DONE]\n\n',
    'data: {"after":true}\n\n',
  ]));
  assert.equal(error, undefined);
  assert.deepEqual(seen, [{ a: 1 }, { a: 2 }]);
});

Deno.test("a stream without [DONE] is complete when an event says so, and an event after it still comes", async () => {
  const stop = { choices: [{ delta: { content: "x" }, finish_reason: "stop" }] };
  const usage = { choices: [], usage: { total_tokens: 3 } };
  const { seen, error } = await collect(
    body([`data: ${JSON.stringify(stop)}\n\ndata: ${JSON.stringify(usage)}\n\n`]),
  );
  assert.equal(error, undefined);
  assert.deepEqual(seen, [stop, usage]);
});

Deno.test("an error event after good ones: the good ones are handed over first, then an HfApiError", async () => {
  const { seen, error } = await collect(body([
    'data: {"a":1}\n\ndata: {"error":"Request failed during generation: boom","error_type":"generation"}\n\n',
  ]));
  assert.deepEqual(seen, [{ a: 1 }]);
  assert.ok(error instanceof HfApiError, String(error));
  assert.equal(error.status, 200);
  assert.equal(error.errorType, "generation");
});

Deno.test("a break after events: every event before it, then an HfNetworkError that counts them", async () => {
  const broken = new HfNetworkError("POST", CONTEXT.url, "connection reset", 1, false);
  const { seen, error } = await collect(body(['data: {"a":1}\n\ndata: {"a":2}\n\ndata: {"a"'], broken));
  assert.deepEqual(seen, [{ a: 1 }, { a: 2 }]);
  assert.ok(error instanceof HfNetworkError, String(error));
  assert.equal(error.kind, "network");
  assert.match(error.message, /broke off after 2 events, before its end/);
  assert.equal(error.cause, broken);
});

Deno.test("a stall is a timeout; a clean early end and a cut mid-event are network errors", async () => {
  const stalled = new HfNetworkError("POST", CONTEXT.url, "no data", 1, true);
  const stall = await collect(body(['data: {"a":1}\n\n'], stalled));
  assert.ok(stall.error instanceof HfNetworkError);
  assert.equal(stall.error.kind, "timeout");
  assert.match(stall.error.message, /stalled after 1 event,/);

  const ended = await collect(body(['data: {"a":1}\n\n']));
  assert.ok(ended.error instanceof HfNetworkError);
  assert.match(ended.error.message, /ended after 1 event,/);

  const cut = await collect(body(['data: {"a":1}\n\ndata: {"a":']));
  assert.ok(cut.error instanceof HfNetworkError);
  assert.match(cut.error.message, /ended in the middle of an event after 1 event/);

  // a last event that is whole counts without its blank line
  const whole = await collect(body(['data: {"a":1}\n\ndata: [DONE]']));
  assert.equal(whole.error, undefined);
  assert.deepEqual(whole.seen, [{ a: 1 }]);
});

Deno.test("an event that is not JSON is an HfOutputError carrying it; the caller's abort is its reason", async () => {
  const bad = await collect(body(["data: not json\n\n"]));
  assert.ok(bad.error instanceof HfOutputError, String(bad.error));
  assert.equal(bad.error.body, "not json");

  const controller = new AbortController();
  const reason = new Error("the reader left");
  controller.abort(reason);
  const aborted = await rejection(
    Array.fromAsync(
      readEvents(body(['data: {"a":1}\n\n'], reason), { ...CONTEXT, signal: controller.signal }),
    ),
  );
  assert.equal(aborted, reason);
});

Deno.test("leaving the loop early cancels the body", async () => {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new TextEncoder().encode('data: {"a":1}\n\n')),
    cancel: () => void (cancelled = true),
  });
  for await (const _ of readEvents(stream, CONTEXT)) break;
  assert.ok(cancelled);
});
