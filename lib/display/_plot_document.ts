/**
 * A DOM document for Observable Plot outside the browser.
 *
 * Plot builds its SVG with `document.createElementNS`; linkedom provides a
 * small, synchronous DOM that serialises with `outerHTML`. A fresh document is
 * made per chart so charts never share state. Deno type-checks without the
 * DOM library, so the document is typed as whatever Plot's `document` option
 * accepts rather than as the DOM `Document`.
 *
 * @module
 */

import type { PlotOptions } from "npm:@observablehq/plot@^0.6.17";
import { parseHTML } from "npm:linkedom@^0.18.15";
import { escapeHtml } from "./_bundle.ts";

/** The document type of Plot's `document` option. */
export type PlotDocument = NonNullable<PlotOptions["document"]>;

/** A new, empty linkedom document for `Plot.plot({ document })`. */
export function plotDocument(): PlotDocument {
  const window = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>") as unknown as {
    document: PlotDocument;
  };
  return window.document;
}

/**
 * The markup of a rendered Plot figure as a standalone SVG document, with an
 * escaped `aria-label` when `label` is given. (linkedom escapes text nodes but
 * not `<` or `&` in attribute values, so user text must not reach Plot's
 * attribute options such as `ariaLabel`.)
 *
 * @throws {TypeError} When the plot did not render an SVG document.
 */
export function svgMarkup(figure: unknown, label?: string): string {
  const markup = (figure as { outerHTML?: unknown }).outerHTML;
  if (typeof markup !== "string" || !markup.startsWith("<svg ")) {
    throw new TypeError("Cannot render a chart: Plot did not return an <svg> element");
  }
  const attributes = [
    'xmlns="http://www.w3.org/2000/svg"',
    ...(label === undefined ? [] : [
      'role="img"',
      `aria-label="${escapeHtml(label)}"`,
    ]),
  ];
  return `<svg ${attributes.join(" ")} ${markup.slice("<svg ".length)}`;
}
