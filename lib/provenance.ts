/**
 * Where an answer came from: answered live just now, recorded live by this
 * project, printed by the article or the series, recorded by Hugging Face's
 * own client test suites, or authored after a documented shape. Every task
 * helper's returned value carries one ({@linkcode provenanceOf}), and
 * {@linkcode provenanceLabel} says it in one short line.
 *
 * @example A replayed answer says where it came from
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceLabel, provenanceOf, withProvenance } from "@hf-workbook/workbook";
 *
 * const answer = withProvenance([{ translation_text: "This is a very difficult question." }], {
 *   kind: "published",
 *   source: "the series (Ep.2)",
 * });
 * const provenance = provenanceOf(answer);
 * assert.equal(provenance?.kind, "published");
 * assert.equal(provenanceLabel(provenance!), "replayed · published by the series (Ep.2)");
 * ```
 *
 * @module
 */

import { HUB_URL, ROUTER_URL } from "./endpoints.ts";
import type { Exchange } from "./transport/fetch.ts";
import type { Origin } from "./transport/recordings.ts";

/** Where an answer came from. */
export type Provenance =
  | {
    /** Answered over the network just now. */
    kind: "live";
    /** The provider that answered, when known. */
    provider?: string;
  }
  | {
    /** Recorded live by this project (`deno task record`). */
    kind: "recorded";
    /** The day it was recorded, `YYYY-MM-DD`. */
    date: string;
  }
  | {
    /** Printed by the article or the series: a real answer, quoted. */
    kind: "published";
    /** Who printed it, e.g. `the article (【Hugging Face】Ep.8)`. */
    source: string;
  }
  | {
    /** Recorded against the live service by Hugging Face's own client test suites. */
    kind: "upstream";
    /** The repository whose tapes hold it, e.g. `huggingface/huggingface.js`. */
    repository: string;
    /** The commit of that repository the tape was taken from (40 hex digits). */
    commit: string;
    /** The day it was recorded, `YYYY-MM-DD`. */
    date: string;
  }
  | {
    /** Written after a documented shape: not a model's answer. */
    kind: "authored";
    /** The documentation or recording whose shape it follows. */
    after: string;
  };

const attached = new WeakMap<object, Provenance>();

/**
 * What answered the call that returned `value`: `undefined` for a value no
 * call returned, and for a primitive (a string or a number cannot carry one;
 * every task helper returns an object or an array).
 *
 * @example An object returned by a task helper
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOf, withProvenance } from "@hf-workbook/workbook";
 *
 * const answer = withProvenance({ summary_text: "..." }, { kind: "live", provider: "hf-inference" });
 * assert.deepEqual(provenanceOf(answer), { kind: "live", provider: "hf-inference" });
 * assert.equal(provenanceOf({ summary_text: "..." }), undefined);
 * assert.equal(provenanceOf("text"), undefined);
 * ```
 */
export function provenanceOf(value: unknown): Provenance | undefined {
  return isObject(value) ? attached.get(value) : undefined;
}

/**
 * Attach `p` to `value` and return `value` itself (not a copy): objects and
 * arrays keep it in a `WeakMap`, so it never shows in their JSON, keys or
 * equality. A primitive cannot carry one: it is returned as it is.
 *
 * @example Attach, then read it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOf, withProvenance } from "@hf-workbook/workbook";
 *
 * const answer = [{ label: "POSITIVE", score: 0.99 }];
 * assert.equal(withProvenance(answer, { kind: "recorded", date: "2026-12-03" }), answer);
 * assert.deepEqual(provenanceOf(answer), { kind: "recorded", date: "2026-12-03" });
 * assert.equal(JSON.stringify(answer), '[{"label":"POSITIVE","score":0.99}]');
 * ```
 */
export function withProvenance<T>(value: T, p: Provenance): T {
  if (isObject(value)) attached.set(value, p);
  return value;
}

/**
 * Give `to` the provenance of `from` (when it has one) and return `to`: for
 * a value computed from an answer (sorted, picked, reshaped), which says
 * where the answer came from just as the answer does.
 *
 * @example A sorted copy of an answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { carryProvenance, provenanceOf, withProvenance } from "@hf-workbook/workbook";
 *
 * const answer = withProvenance([{ label: "b", score: 0.1 }, { label: "a", score: 0.9 }], { kind: "live" });
 * const sorted = carryProvenance(answer, [...answer].sort((x, y) => y.score - x.score));
 * assert.deepEqual(provenanceOf(sorted), { kind: "live" });
 * ```
 */
export function carryProvenance<T>(from: unknown, to: T): T {
  const p = provenanceOf(from);
  return p ? withProvenance(to, p) : to;
}

/**
 * One short line saying where an answer came from, for notebooks, the demo
 * and the CLI (which prints it on stderr).
 *
 * @example Each kind
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceLabel } from "@hf-workbook/workbook";
 *
 * assert.equal(provenanceLabel({ kind: "live", provider: "hf-inference" }), "live · hf-inference");
 * assert.equal(
 *   provenanceLabel({
 *     kind: "upstream",
 *     repository: "huggingface/huggingface.js",
 *     commit: "cd261f4c3f8d5a7a3c8d3e2f0b9f7d1e6a5b4c3d",
 *     date: "2023-03-14",
 *   }),
 *   "replayed · recorded by huggingface/huggingface.js (2023-03-14, cd261f4)",
 * );
 * assert.equal(
 *   provenanceLabel({ kind: "authored", after: "docs/api.md" }),
 *   "replayed · authored example of the shape, not a model's answer: set HF_TOKEN for a real one",
 * );
 * ```
 */
export function provenanceLabel(p: Provenance): string {
  switch (p.kind) {
    case "live":
      return p.provider ? `live · ${p.provider}` : "live";
    case "recorded":
      return `replayed · recorded live on ${p.date}`;
    case "published":
      return `replayed · published by ${shortSource(p.source)}`;
    case "upstream":
      return `replayed · recorded by ${p.repository} (${p.date}, ${p.commit.slice(0, 7)})`;
    case "authored":
      return "replayed · authored example of the shape, not a model's answer: set HF_TOKEN for a real one";
  }
}

/**
 * The provenance of an answer replayed from a recorded interaction with
 * `origin`: its kind and the facts a label needs (notes are left behind; a
 * published source is shortened to who printed it).
 *
 * @example A recorded origin
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOfOrigin } from "@hf-workbook/workbook";
 *
 * assert.deepEqual(
 *   provenanceOfOrigin({
 *     kind: "published",
 *     source: "https://vocus.cc/article/64affcd6fd89780001437d39 (【Hugging Face】Ep.8 專業的標準化推理家(Inference API)): the output its Colab printed",
 *   }),
 *   { kind: "published", source: "the article (【Hugging Face】Ep.8)" },
 * );
 * ```
 */
export function provenanceOfOrigin(origin: Origin): Provenance {
  switch (origin.kind) {
    case "recorded":
      return { kind: "recorded", date: origin.date };
    case "published":
      return { kind: "published", source: shortSource(origin.source) };
    case "upstream":
      return { kind: "upstream", repository: origin.repository, commit: origin.commit, date: origin.date };
    case "authored":
      return { kind: "authored", after: origin.after };
  }
}

/**
 * The provenance of one answer as the transport is told of it: a recording's
 * origin, or live from the provider that answered (the router's
 * `x-inference-provider` header, else the provider in the router URL, else
 * `provider` as asked, unless it is `"auto"`).
 *
 * @example A live answer of the router
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOfExchange } from "@hf-workbook/workbook";
 *
 * const exchange = {
 *   method: "POST",
 *   url: "https://router.huggingface.co/hf-inference/models/Helsinki-NLP/opus-mt-zh-en",
 *   status: 200,
 *   headers: new Headers(),
 *   body: new Uint8Array(),
 *   from: "network" as const,
 *   attempts: 1,
 * };
 * assert.deepEqual(provenanceOfExchange(exchange), { kind: "live", provider: "hf-inference" });
 * ```
 */
export function provenanceOfExchange(exchange: Exchange, provider?: string): Provenance {
  if (exchange.from === "recording") {
    return exchange.origin
      ? provenanceOfOrigin(exchange.origin)
      : { kind: "authored", after: "a recording without an origin" };
  }
  const named = exchange.headers.get("x-inference-provider") ?? providerInUrl(exchange.url) ??
    (provider === "auto" ? undefined : provider);
  return named ? { kind: "live", provider: named } : { kind: "live" };
}

/** Whether `url` is the Hub's model look-up (the provider mapping), not a task's own inference request. */
export function isHubLookup(url: string): boolean {
  return url.startsWith(`${HUB_URL}/api/`);
}

function providerInUrl(url: string): string | undefined {
  if (!url.startsWith(`${ROUTER_URL}/`)) return undefined;
  const first = url.slice(ROUTER_URL.length + 1).split(/[/?#]/, 1)[0];
  return first && first !== "v1" ? first : undefined;
}

/** Who printed a published answer, in a few words: the article (with its episode), the series (Ep.N), or the source as given. */
function shortSource(source: string): string {
  const article = /【Hugging Face】Ep\.\d+/.exec(source);
  if (article) return `the article (${article[0]})`;
  const series = /google-colab-python-learn.*?\b(Ep\.\d+)/.exec(source);
  if (series) return `the series (${series[1]})`;
  return source;
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}
