/**
 * hf-workbook: a typed Deno workbook for the Hugging Face Inference API.
 *
 * One async function per task, named as `@huggingface/inference` names them,
 * each taking `(input, options?)`; `query` for the article's raw call; and the
 * transport every request takes (replay, live, record, cache).
 *
 * @example The article's summarization, answered from recordings/
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarization } from "./mod.ts";
 *
 * const paragraph =
 *   "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
 * const { summary_text } = await summarization(paragraph, { mode: "replay" });
 * assert.match(summary_text, /微軟/);
 * ```
 *
 * @module
 */

export {
  summarization,
  SUMMARIZATION_MODEL,
  type SummarizationOptions,
  type SummarizationParameters,
} from "./tasks/summarization.ts";
export type { GenerateParameters, TruncationStrategy } from "./tasks/_generation.ts";
// tasks: one export line (or block) per task file below, kept in alphabetical order
export type { TaskOptions } from "./tasks/_run.ts";
export { query, type QueryOptions, type QueryPayload } from "./query.ts";
export {
  type ModelProviders,
  modelProviders,
  type ModelProvidersOptions,
  type ProviderMapping,
} from "./hub.ts";
export {
  checkModelId,
  HUB_URL,
  LEGACY_URL,
  legacyUrl,
  mappingUrl,
  ROUTER_URL,
  routerUrl,
} from "./endpoints.ts";
export {
  HfApiError,
  type HfErrorKind,
  HfNetworkError,
  HfNotServedError,
  HfOutputError,
  HfWorkbookError,
  ReplayMissError,
  type RetryClass,
} from "./errors.ts";
export { findToken, type FoundToken, loadDotEnv, redact } from "./env.ts";
export * from "./transport/mod.ts";
export * from "./display/mod.ts";
