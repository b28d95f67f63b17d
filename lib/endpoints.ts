/**
 * Where requests go: the router today, the article's legacy host then, and the
 * Hub's provider-mapping look-up.
 *
 * @module
 */

/** The router that serves every Inference Provider, hf-inference included. */
export const ROUTER_URL = "https://router.huggingface.co";

/** The Hub API. */
export const HUB_URL = "https://huggingface.co";

/** The article's host: it answers 410 Gone now. */
export const LEGACY_URL = "https://api-inference.huggingface.co";

/** Tasks served under `/models/<id>/pipeline/<task>` on hf-inference. */
const PIPELINE_TASKS = ["feature-extraction", "sentence-similarity"];

/**
 * The URL of a model on hf-inference today.
 *
 * @example The article's model, today
 * ```ts
 * import assert from "node:assert/strict";
 * import { routerUrl } from "@hf-workbook/workbook";
 *
 * assert.equal(
 *   routerUrl("csebuetnlp/mT5_multilingual_XLSum"),
 *   "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum",
 * );
 * ```
 */
export function routerUrl(model: string, task?: string): string {
  checkModelId(model, "get the endpoint");
  const pipeline = task !== undefined && PIPELINE_TASKS.includes(task) ? `/pipeline/${task}` : "";
  return `${ROUTER_URL}/hf-inference/models/${model}${pipeline}`;
}

/** The URL the article used (`api-inference.huggingface.co/models/<id>`): gone, kept to explain the change. */
export function legacyUrl(model: string): string {
  checkModelId(model, "get the legacy endpoint");
  return `${LEGACY_URL}/models/${model}`;
}

/** The Hub look-up that says which providers serve a model, for which task. */
export function mappingUrl(model: string): string {
  checkModelId(model, "look up the providers");
  return `${HUB_URL}/api/models/${model}?expand[]=inferenceProviderMapping`;
}

/**
 * Check a model id before any request: a non-empty `owner/name` (or `name`)
 * without spaces, and not a URL (a URL belongs in `endpointUrl`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkModelId } from "@hf-workbook/workbook";
 *
 * assert.throws(() => checkModelId("https://my-endpoint.example/", "summarize"), /endpointUrl/);
 * ```
 *
 * @throws {TypeError} When the model id is not `owner/name` (or `name`).
 */
export function checkModelId(model: unknown, verb: string): asserts model is string {
  if (typeof model !== "string") {
    throw new TypeError(`Cannot ${verb}: "model" must be a model id string, got ${typeof model}`);
  }
  if (/^https?:\/\//i.test(model)) {
    throw new TypeError(
      `Cannot ${verb}: "model" must be a model id like "owner/name", got a URL: pass it as "endpointUrl" instead`,
    );
  }
  if (!/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(model)) {
    throw new TypeError(`Cannot ${verb}: "model" must be a model id like "owner/name", got "${model}"`);
  }
}
