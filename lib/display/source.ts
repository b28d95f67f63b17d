import { provenanceLabel, provenanceOf } from "../provenance.ts";
import { DisplayValue, escapeHtml, escapeMarkdown } from "./_bundle.ts";

/** The option every display function takes to say whose provenance a derived value shows. */
export interface SourceOptions {
  /**
   * The answer the shown value was derived from (`answer.map(...)`, a
   * field of it), whose provenance label the display shows. By default the
   * display shows the provenance of its input, when the input carries one.
   */
  from?: unknown;
}

/**
 * The provenance label of `from` (when given) or of `input`, or `undefined`
 * when neither was returned by a task helper.
 */
export function captionOf(input: unknown, options: SourceOptions = {}): string | undefined {
  const provenance = provenanceOf("from" in options ? options.from : input) ?? provenanceOf(input);
  return provenance === undefined ? undefined : provenanceLabel(provenance);
}

/**
 * Shows only where an answer came from: its provenance label, e.g.
 * `replayed · published by the article (【Hugging Face】Ep.8)`, for an answer
 * shown some other way (a string, a number picked out of it).
 *
 * @example The label of a replayed answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { withProvenance } from "@hf-workbook/workbook";
 * import { source } from "@hf-workbook/workbook/display";
 *
 * const answer = withProvenance([{ summary_text: "..." }], { kind: "recorded", date: "2026-12-03" });
 * assert.equal(String(source(answer)), "replayed · recorded live on 2026-12-03");
 * assert.equal(String(source({})), "source unknown: this value was not returned by a task helper");
 * ```
 *
 * @param value An answer returned by a task helper.
 * @returns A display value.
 */
export function source(value: unknown): DisplayValue {
  const label = captionOf(value) ?? "source unknown: this value was not returned by a task helper";
  return new DisplayValue({
    "text/plain": label,
    "text/markdown": `*${escapeMarkdown(label)}*`,
    "text/html": `<p class="hf-source" style="color:#666;font-size:0.85em;margin:0"><em>${
      escapeHtml(label)
    }</em></p>`,
  });
}
