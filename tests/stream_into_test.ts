import assert from "node:assert/strict";
import { withProvenance } from "../lib/provenance.ts";
import { type DisplayFunction, streamInto } from "../lib/stream_into.ts";
import type { StreamChunk } from "../lib/tasks/chat_completion.ts";
import type { DisplayValue } from "../lib/display/mod.ts";

interface Shown {
  markdown: string | undefined;
  plain: string;
  id: string;
  update: boolean;
}

/** A display function that keeps what it was given, as a notebook's would show it. */
function recorder(): { display: DisplayFunction; shown: Shown[] } {
  const shown: Shown[] = [];
  const display: DisplayFunction = (value, options) => {
    const bundle = (value as DisplayValue).bundle();
    shown.push({
      markdown: bundle["text/markdown"],
      plain: bundle["text/plain"] ?? "",
      id: options.display_id,
      update: options.update === true,
    });
  };
  return { display, shown };
}

async function* chatChunks(): AsyncGenerator<StreamChunk> {
  const label = {
    kind: "upstream",
    repository: "huggingface/huggingface_hub",
    commit: "a".repeat(40),
    date: "2025-03-21",
  } as const;
  yield withProvenance({ choices: [{ delta: { content: "Deep" }, finish_reason: null }] }, label);
  yield { choices: [{ delta: { content: " learning" }, finish_reason: null }] };
  yield { choices: [{ delta: { content: "" }, finish_reason: "length" }] };
}

Deno.test("streamInto() shows a placeholder, every text as it grows, then the whole answer with its source, in one display", async () => {
  const { display, shown } = recorder();
  const result = await streamInto(display, chatChunks(), { id: "answer" });
  assert.equal(result.text, "Deep learning");
  assert.equal(result.finish_reason, "length");
  assert.equal(result.chunks, 3);
  assert.deepEqual(shown.map((s) => [s.id, s.update]), [
    ["answer", false],
    ["answer", true],
    ["answer", true],
    ["answer", true],
  ]);
  assert.deepEqual(shown.slice(0, 3).map((s) => s.markdown), ["…", "Deep", "Deep learning"]);
  const last = shown.at(-1)!;
  assert.match(
    last.markdown ?? "",
    /^Deep learning\n\n\*replayed · recorded by huggingface\/huggingface\\_hub \(2025-03-21, aaaaaaa\)\*$/,
  );
  assert.match(last.plain, /^Deep learning\nreplayed · recorded by huggingface\/huggingface_hub/);
});

Deno.test("streamInto() puts the prefix in bold before the text, escaped, and in plain text as typed", async () => {
  const { display, shown } = recorder();
  async function* generated(): AsyncGenerator<StreamChunk> {
    yield { text: " is 42", finish_reason: "length" };
  }
  await streamInto(display, generated(), { id: "continuation", prefix: "The *answer*" });
  assert.equal(shown[1]?.markdown, "**The \\*answer\\***" + " is 42");
  assert.equal(shown[1]?.plain, "The *answer* is 42");
});

Deno.test("streamInto() refuses a missing id before reading the stream", async () => {
  const { display, shown } = recorder();
  let read = false;
  async function* untouched(): AsyncGenerator<StreamChunk> {
    read = true;
    yield { text: "x", finish_reason: null };
  }
  await assert.rejects(
    () => streamInto(display, untouched(), { id: " " }),
    (error: unknown) => error instanceof TypeError && /"id" must be a non-empty string/.test(error.message),
  );
  assert.equal(read, false);
  assert.equal(shown.length, 0);
});

Deno.test("streamInto() passes on a stream's failure and leaves what came shown", async () => {
  const { display, shown } = recorder();
  async function* broken(): AsyncGenerator<StreamChunk> {
    yield { choices: [{ delta: { content: "half" }, finish_reason: null }] };
    throw new RangeError("the stream broke off");
  }
  await assert.rejects(() => streamInto(display, broken(), { id: "answer" }), RangeError);
  assert.equal(shown.at(-1)?.markdown, "half");
});
