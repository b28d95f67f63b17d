/**
 * `deno task demo`: the article's example end to end, in the article's order.
 *
 * @module
 */

import { legacyUrl, routerUrl } from "../endpoints.ts";
import { query } from "../query.ts";
import { summarization, SUMMARIZATION_MODEL } from "../tasks/summarization.ts";
import { provenanceLabel, provenanceOf, provenanceOfExchange } from "../provenance.ts";
import type { Exchange } from "../transport/fetch.ts";
import { describeMode, type ModeInfo } from "../transport/mode.ts";

/** The article's news paragraph (iThome, https://www.ithome.com.tw/news/157763). */
export const ARTICLE_PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /** Where lines go. @default {console.log} */
  print?: (line: string) => void;
  /** Replace the network edge only (tests). */
  fetch?: typeof fetch;
}

/**
 * Print, in order: the mode and why, the endpoint today next to the article's,
 * the input, the raw JSON as the service returns it, and the typed summary,
 * each answer followed by where it came from (its provenance label).
 */
export async function runDemo(info: ModeInfo, options: DemoOptions = {}): Promise<void> {
  const print = options.print ?? console.log;
  const model = SUMMARIZATION_MODEL;
  const call = {
    mode: info.mode,
    ...(info.token ? { accessToken: info.token } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  print(describeMode(info));
  print("");
  print(`endpoint today:   POST ${routerUrl(model)}`);
  print(`article's (2023): POST ${legacyUrl(model)}`);
  print("  api-inference.huggingface.co is gone (410 Gone): the free serverless API is now the");
  print("  hf-inference provider behind router.huggingface.co; same body, same Bearer header.");
  print("");
  print("input:");
  print(`  ${ARTICLE_PARAGRAPH}`);
  print("");
  let source = "";
  const raw = await query({ inputs: ARTICLE_PARAGRAPH }, {
    ...call,
    model,
    onResponse: (exchange) => (source = describeSource(exchange)),
  });
  print(`raw JSON, as the service returns it (query; ${source}):`);
  print(`  ${JSON.stringify(raw)}`);
  print("");
  const summary = await summarization(ARTICLE_PARAGRAPH, { ...call, model });
  const provenance = provenanceOf(summary);
  print("typed summary (summarization → SummarizationOutput.summary_text):");
  print(`  ${summary.summary_text}`);
  if (provenance) print(`  (${provenanceLabel(provenance)})`);
}

/**
 * Say where an answer came from, as its provenance label; a live answer adds
 * how many attempts it took.
 *
 * @example A replayed and a live answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeSource } from "./demo.ts";
 *
 * const exchange = {
 *   method: "POST",
 *   url: "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum",
 *   status: 200,
 *   headers: new Headers(),
 *   body: new Uint8Array(),
 * };
 * assert.equal(
 *   describeSource({ ...exchange, from: "recording", attempts: 0, origin: { kind: "recorded", date: "2026-01-02" } }),
 *   "replayed · recorded live on 2026-01-02",
 * );
 * assert.equal(describeSource({ ...exchange, from: "network", attempts: 2 }), "live · hf-inference, 2 attempts");
 * ```
 */
export function describeSource(exchange: Exchange): string {
  const label = provenanceLabel(provenanceOfExchange(exchange));
  if (exchange.from === "recording") return label;
  return `${label}, ${exchange.attempts} attempt${exchange.attempts === 1 ? "" : "s"}`;
}
