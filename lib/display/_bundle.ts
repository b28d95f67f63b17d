import { Buffer } from "node:buffer";

/**
 * A Jupyter MIME bundle: the outputs a display value offers, keyed by media
 * type. Frontends pick the richest one they can render; `text/plain` is always
 * there. Image entries hold base64 text, as Jupyter expects.
 */
export interface MimeBundle {
  /** Plain text, used by terminals and as the fallback of every frontend. */
  "text/plain": string;
  /** An HTML fragment. */
  "text/html"?: string;
  /** Markdown. */
  "text/markdown"?: string;
  /** A standalone SVG document. */
  "image/svg+xml"?: string;
  /** A PNG image, base64-encoded. */
  "image/png"?: string;
  /** A JPEG image, base64-encoded. */
  "image/jpeg"?: string;
}

const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");
const DENO_CUSTOM_INSPECT: unique symbol = Symbol.for("Deno.customInspect");

/**
 * A value that renders as a rich MIME bundle in a Deno Jupyter notebook and as
 * plain text everywhere else (`console.log`, string templates).
 *
 * The bundle is computed once, when the value is made, so a bad argument
 * throws where the display is created and two renders are always identical.
 *
 * @example Wrap a hand-made bundle
 * ```ts
 * import assert from "node:assert/strict";
 * import { DisplayValue } from "./mod.ts";
 *
 * const value = new DisplayValue({ "text/plain": "hello", "text/html": "<b>hello</b>" });
 * assert.equal(String(value), "hello");
 * assert.equal(value.bundle()["text/html"], "<b>hello</b>");
 * ```
 */
export class DisplayValue {
  readonly #bundle: MimeBundle;

  /** Wraps `bundle`, which must at least have `text/plain`. */
  constructor(bundle: MimeBundle) {
    this.#bundle = { ...bundle };
  }

  /** Returns a copy of the MIME bundle. */
  bundle(): MimeBundle {
    return { ...this.#bundle };
  }

  /** The bundle the Deno Jupyter kernel renders. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle();
  }

  /** What `console.log(value)` prints: the plain-text form. */
  [DENO_CUSTOM_INSPECT](): string {
    return this.#bundle["text/plain"];
  }

  /** The plain-text form. */
  toString(): string {
    return this.#bundle["text/plain"];
  }
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes `&`, `<`, `>`, `"` and `'` so that `text` can be placed in HTML or
 * SVG, as element content or inside a quoted attribute.
 *
 * @example Escape user text
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./mod.ts";
 *
 * assert.equal(escapeHtml(`<script>alert("x")</script>`), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Base64 text of `bytes`, for data URLs and image entries of a bundle. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** A byte count as `812 B`, `3.2 kB` or `1.4 MB` (decimal units). */
export function formatBytes(count: number): string {
  if (count < 1000) return `${count} B`;
  if (count < 1_000_000) return `${(count / 1000).toFixed(1)} kB`;
  return `${(count / 1_000_000).toFixed(1)} MB`;
}
