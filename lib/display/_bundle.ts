import { formatSize, toBase64 } from "../_bytes.ts";

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

/** A standalone SVG document and its size in CSS pixels, as a display value draws itself. */
export interface Picture {
  /** The SVG document, with `xmlns`. */
  svg: string;
  /** Its width in CSS pixels. */
  width: number;
  /** Its height in CSS pixels. */
  height: number;
  /**
   * Whether it is drawn over a photo: then a notebook gets it as
   * `image/jpeg` at its own size rather than as a larger PNG.
   */
  photo?: boolean;
}

/** What a {@linkcode DisplayValue} knows besides its text forms. */
export interface DisplayParts {
  /**
   * Draws the value as SVG. When given, the value is visual: a notebook
   * shows it as an `image/png` rasterised from this SVG (with the title above
   * and the caption below), which survives any renderer, sanitising or not.
   * Called at most once, at the first render.
   */
  draw?: () => Picture | Promise<Picture>;
  /** A heading drawn above the picture (the text forms carry their own). */
  title?: string;
  /**
   * Where the shown answer came from (a provenance label): added as the last
   * line of `text/plain`, under `text/markdown` and `text/html`, and drawn
   * under the picture.
   */
  caption?: string;
}

/**
 * A value that renders as a rich MIME bundle in a Deno Jupyter notebook and as
 * plain text everywhere else (`console.log`, string templates).
 *
 * The text forms are computed when the value is made, so a bad argument
 * throws where the display is created. A visual value (one made with
 * {@linkcode DisplayParts.draw}) also has a picture: {@linkcode DisplayValue.render}
 * rasterises it to `image/png` the first time it is shown, loading the
 * rasteriser then (so scripts that never show a picture never load it). The
 * same input always gives the same bytes.
 *
 * @example Wrap a hand-made bundle
 * ```ts
 * import assert from "node:assert/strict";
 * import { DisplayValue } from "@hf-workbook/workbook/display";
 *
 * const value = new DisplayValue({ "text/plain": "hello", "text/html": "<b>hello</b>" });
 * assert.equal(String(value), "hello");
 * assert.equal(value.bundle()["text/html"], "<b>hello</b>");
 * ```
 *
 * @example A visual value renders as a PNG with its caption
 * ```ts
 * import assert from "node:assert/strict";
 * import { DisplayValue } from "@hf-workbook/workbook/display";
 *
 * const dot = new DisplayValue({ "text/plain": "a red dot" }, {
 *   draw: () => ({
 *     svg: '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="8" fill="red"/></svg>',
 *     width: 20,
 *     height: 20,
 *   }),
 *   caption: "live · hf-inference",
 * });
 * assert.equal(String(dot), "a red dot\nlive · hf-inference");
 * const shown = await dot.render();
 * assert.ok(shown["image/png"]?.startsWith("iVBORw0KGgo"));
 * assert.equal(shown["text/html"], undefined);
 * ```
 */
export class DisplayValue {
  readonly #bundle: MimeBundle;
  readonly #parts: DisplayParts;
  #rendered?: Promise<MimeBundle>;

  /** Wraps `bundle`, which must at least have `text/plain`, and the picture and caption of `parts`. */
  constructor(bundle: MimeBundle, parts: DisplayParts = {}) {
    this.#bundle = withCaption(bundle, parts.caption);
    this.#parts = { ...parts };
  }

  /** Returns a copy of the text forms (and any image known without rendering). */
  bundle(): MimeBundle {
    return { ...this.#bundle };
  }

  /** Whether the value has a picture that {@linkcode DisplayValue.render} rasterises. */
  get visual(): boolean {
    return this.#parts.draw !== undefined;
  }

  /**
   * The framed SVG of a visual value (title, picture, caption), or
   * `undefined` for a value without a picture.
   */
  async svg(): Promise<string | undefined> {
    if (this.#parts.draw === undefined) return undefined;
    const { framePicture } = await loadPictures();
    return framePicture(await this.#parts.draw(), this.#parts).svg;
  }

  /**
   * The bundle a notebook shows. A visual value gives `image/png` (base64;
   * `image/jpeg` for a picture drawn over a photo) and `text/plain` only: no HTML or Markdown a frontend could prefer to the
   * image and a sanitiser could strip. Any other value gives its text forms.
   */
  render(): Promise<MimeBundle> {
    this.#rendered ??= this.#render();
    return this.#rendered;
  }

  async #render(): Promise<MimeBundle> {
    const { draw } = this.#parts;
    if (draw === undefined) return this.bundle();
    const { framePicture, encodePicture } = await loadPictures();
    const { type, bytes } = encodePicture(framePicture(await draw(), this.#parts));
    return { "text/plain": this.#bundle["text/plain"], [type]: encodeBase64(bytes) };
  }

  /** The bundle the Deno Jupyter kernel renders (it awaits it). */
  [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    return this.render().then((bundle) => ({ ...bundle }));
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

/**
 * The rasteriser, loaded at the first picture. Its WebAssembly and font are
 * imported as bytes, which Deno allows with `"unstable": ["raw-imports"]` in
 * deno.json (this repository has it) or `--unstable-raw-imports`.
 */
async function loadPictures(): Promise<typeof import("./_picture.ts")> {
  try {
    return await import("./_picture.ts");
  } catch (cause) {
    throw new Error(
      "Cannot draw the picture: the rasteriser did not load; pictures import resvg's WebAssembly and their " +
        'font as bytes: add "unstable": ["raw-imports"] to your deno.json, or run with --unstable-raw-imports',
      { cause },
    );
  }
}

const MARKDOWN_SPECIAL = /[\\|*_`[\]#~<>]/g;

/** `text` with Markdown's special characters backslash-escaped (no HTML entities: Markdown shows them as typed). */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, "\\$&");
}

function withCaption(bundle: MimeBundle, caption: string | undefined): MimeBundle {
  if (caption === undefined) return { ...bundle };
  const out: MimeBundle = { ...bundle, "text/plain": `${bundle["text/plain"]}\n${caption}` };
  if (bundle["text/markdown"] !== undefined) {
    out["text/markdown"] = `${bundle["text/markdown"]}\n\n*${escapeMarkdown(caption)}*`;
  }
  if (bundle["text/html"] !== undefined) {
    out["text/html"] = `${bundle["text/html"]}<p class="hf-source" style="color:#666;font-size:0.85em;` +
      `margin:0.3em 0 0"><em>${escapeHtml(caption)}</em></p>`;
  }
  return out;
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
 * import { escapeHtml } from "@hf-workbook/workbook/display";
 *
 * assert.equal(escapeHtml(`<script>alert("x")</script>`), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Base64 text of `bytes`, for data URLs and image entries of a bundle (the workbook's one encoder). */
export const encodeBase64: (bytes: Uint8Array) => string = toBase64;

/** A byte count as `812 B`, `3.2 kB` or `1.4 MB` (decimal units, one decimal from a kilobyte up). */
export function formatBytes(count: number): string {
  return formatSize(count, { fixed: true });
}
