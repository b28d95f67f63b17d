import { DisplayValue, escapeHtml } from "./_bundle.ts";
import { captionOf, type SourceOptions } from "./source.ts";

/** Options for {@linkcode json}. */
export interface JsonOptions extends SourceOptions {
  /** A heading shown above the JSON, e.g. the task or endpoint name. */
  title?: string;
}

/**
 * Shows a value as pretty-printed JSON, the way the service sent it: two-space
 * indentation, keys in their original order, non-ASCII text (Chinese, emoji)
 * left readable rather than `\u` escaped.
 *
 * `text/plain` is exactly `JSON.stringify(value, null, 2)` (after the title
 * line, when there is a title); `text/html` is the same text in a `<pre>`
 * block. When `value` was returned by a task helper, every form ends with
 * where it came from (its provenance label).
 *
 * @example Show an API response
 * ```ts
 * import assert from "node:assert/strict";
 * import { json } from "@hf-workbook/workbook/display";
 *
 * const response = [{ label: "正面", score: 0.98 }];
 * const shown = json(response);
 * assert.equal(String(shown), JSON.stringify(response, null, 2));
 * assert.ok(shown.bundle()["text/html"]?.startsWith("<pre"));
 * ```
 *
 * @param value A JSON-serialisable value.
 * @param options Display options.
 * @returns A display value.
 *
 * @throws {TypeError} When the value cannot be written as JSON.
 */
export function json(value: unknown, options: JsonOptions = {}): DisplayValue {
  const text: string | undefined = JSON.stringify(value, null, 2);
  if (text === undefined) {
    throw new TypeError(
      `Cannot show JSON: the value is ${typeof value}, which has no JSON form; pass the parsed response body`,
    );
  }
  const { title } = options;
  const pre = `<pre style="white-space:pre-wrap;margin:0">${escapeHtml(text)}</pre>`;
  return new DisplayValue({
    "text/plain": title === undefined ? text : `${title}\n${text}`,
    "text/html": title === undefined ? pre : `<div><strong>${escapeHtml(title)}</strong>${pre}</div>`,
  }, { caption: captionOf(value, options) });
}
