/**
 * A streamed answer shown as it is written: one notebook display, updated
 * after every chunk that adds text, and the stream's result returned. The
 * notebook passes its own display function (`Deno.jupyter.display`), so this
 * module never touches `Deno.jupyter` and runs anywhere.
 *
 * @module
 */

import { type CollectedStream, collectStream, type StreamChunk } from "./tasks/chat_completion.ts";
import { escapeMarkdown } from "./display/_bundle.ts";
import { captionOf, DisplayValue } from "./display/mod.ts";

/** What `Deno.jupyter.display` takes: a value and, to update one display in place, its id. */
export type DisplayFunction = (
  value: unknown,
  options: { display_id: string; update?: boolean },
) => unknown;

/** Options of {@linkcode streamInto}. */
export interface StreamIntoOptions {
  /** The id of the display the text goes into (one per cell). */
  id: string;
  /** Text shown in bold before the answer, e.g. the prompt a text-generation model continues. */
  prefix?: string;
}

/**
 * Read a whole `chatCompletionStream` or `textGenerationStream` into one
 * display that grows as the text arrives (`…` until the first text), then
 * show where the answer came from under it, and return
 * {@linkcode collectStream}'s result: the text, why it stopped, the token
 * usage when sent, how many chunks came, and the stream's provenance.
 *
 * @example A stream shown into a display that records what it is given
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamInto } from "./stream_into.ts";
 *
 * async function* chunks() {
 *   yield { choices: [{ delta: { content: "免費" }, finish_reason: null }] };
 *   yield { choices: [{ delta: { content: "有限制" }, finish_reason: "stop" }] };
 * }
 * const shown: string[] = [];
 * const display = (value: unknown) => void shown.push(String(value));
 * const answer = await streamInto(display, chunks(), { id: "answer" });
 * assert.equal(answer.text, "免費有限制");
 * assert.deepEqual(shown, ["…", "免費", "免費有限制", "免費有限制"]);
 * ```
 *
 * @param display The notebook's display function: pass `Deno.jupyter.display`.
 * @param stream The stream's chunks.
 * @param options The display's id, and what goes before the text.
 * @returns What {@linkcode collectStream} returns.
 * @throws {TypeError} When `id` is not a non-empty string.
 * @throws {HfWorkbookError} What the stream throws (a stream that breaks off, an error event).
 */
export async function streamInto(
  display: DisplayFunction,
  stream: AsyncIterable<StreamChunk>,
  options: StreamIntoOptions,
): Promise<CollectedStream> {
  const id = options?.id;
  if (typeof id !== "string" || id.trim() === "") {
    throw new TypeError(
      `Cannot show a stream: "id" must be a non-empty string, got ${JSON.stringify(id)}` +
        '; pass one id per cell, e.g. { id: "answer" }',
    );
  }
  const prefix = options.prefix ? `**${escapeMarkdown(options.prefix)}**` : "";
  const shown = (text: string, caption?: string) =>
    new DisplayValue(
      { "text/plain": (options.prefix ?? "") + text, "text/markdown": prefix + text },
      caption === undefined ? {} : { caption },
    );
  await display(shown("…"), { display_id: id });
  const result = await collectStream(stream, {
    onText: async (text) => {
      await display(shown(text), { display_id: id, update: true });
    },
  });
  await display(shown(result.text, captionOf(result)), { display_id: id, update: true });
  return result;
}
