/**
 * Display values for Deno Jupyter notebooks: tables, charts, highlighted text,
 * images and audio for Hugging Face Inference API results.
 *
 * Each function returns a {@linkcode DisplayValue}. As the last expression of
 * a notebook cell it renders as rich output through the kernel's
 * `Symbol.for("Jupyter.display")` protocol; under `deno run`,
 * `console.log(value)` and `String(value)` give a plain-text form.
 *
 * Anything drawn (charts, highlights, heat tables, box and mask overlays) is
 * shown as an `image/png` rasterised by resvg from an SVG, with Noto Sans TC
 * for every label, plus the plain text: no inline SVG or styled HTML that a
 * sanitising viewer (GitHub, nbviewer) would strip to nothing. The
 * rasteriser, Observable Plot and the DOM are loaded at the first render, not
 * on import. Output is deterministic: the same input gives the same bytes, so
 * notebook outputs can be committed. User text is escaped.
 *
 * A display of an answer returned by a task helper ends with where the answer
 * came from (its provenance label); pass `{ from: answer }` for a value
 * derived from one.
 *
 * | function | for |
 * |---|---|
 * | {@linkcode json} | a raw API response |
 * | {@linkcode table} | rows of objects |
 * | {@linkcode barChart} | labels with scores |
 * | {@linkcode entities} | token classification (named entities) |
 * | {@linkcode answerSpan} | question answering |
 * | {@linkcode heatTable} | similarity matrices |
 * | {@linkcode image}, {@linkcode sniffImageType} | image bytes |
 * | {@linkcode boxesOverlay} | object detection |
 * | {@linkcode masksOverlay} | image segmentation |
 * | {@linkcode audio} | audio bytes |
 * | {@linkcode video} | video clips |
 * | {@linkcode source} | only where an answer came from |
 * | {@linkcode shown}, {@linkcode errorBox} | a call that may fail, a caught error |
 *
 * @example Show a response as JSON and as a table
 * ```ts
 * import assert from "node:assert/strict";
 * import { json, table } from "@hf-workbook/workbook/display";
 *
 * const response = [{ label: "POSITIVE", score: 0.9998 }];
 * assert.equal(String(json(response)), JSON.stringify(response, null, 2));
 * assert.match(table(response).bundle()["text/html"] ?? "", /<td>POSITIVE<\/td>/);
 * ```
 *
 * @module
 */

export { type DisplayParts, DisplayValue, escapeHtml, type MimeBundle, type Picture } from "./_bundle.ts";
export type { OffsetUnit } from "./_offsets.ts";
export * from "./json.ts";
export * from "./table.ts";
export * from "./bar_chart.ts";
export * from "./entities.ts";
export * from "./answer_span.ts";
export * from "./heat_table.ts";
export * from "./image.ts";
export * from "./boxes_overlay.ts";
export * from "./masks.ts";
export * from "./audio.ts";
export * from "./video.ts";
export * from "./source.ts";
export * from "./error_box.ts";
