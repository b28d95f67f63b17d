/**
 * Is this model served, by whom, for which task? The Hub's provider-mapping
 * look-up, through the workbook's transport.
 *
 * @module
 */

import { mappingUrl } from "./endpoints.ts";
import { type Provenance, provenanceOfExchange, withProvenance } from "./provenance.ts";
import { createTransport } from "./transport/fetch.ts";
import { type Mode, resolveMode } from "./transport/mode.ts";
import type { RetryOptions } from "./transport/retry.ts";

/** One provider that serves a model. */
export interface ProviderMapping {
  /** The provider, e.g. `hf-inference`. */
  provider: string;
  /** The model's id at that provider. */
  providerId: string;
  /** `live`, or `staging` (test use only). */
  status: string;
  /** The task it is served for (chat models: `conversational`). */
  task: string;
}

/** What the Hub says of a model. */
export interface ModelProviders {
  /** The model id asked about. */
  model: string;
  /** The new id, when the repository was renamed (the Hub answered 307). */
  renamedTo?: string;
  /** Every provider that serves it; empty when none does. */
  providers: ProviderMapping[];
  /** The hf-inference entry, when hf-inference serves it. */
  hfInference?: ProviderMapping;
}

/** Options of {@linkcode modelProviders}. */
export interface ModelProvidersOptions {
  /** Abort the call. */
  signal?: AbortSignal;
  /** Replace the network edge only. */
  fetch?: typeof fetch;
  /** The access token (the look-up works without one). */
  accessToken?: string;
  /** The transport mode. */
  mode?: Mode;
  /** Retries and timeouts of live calls. */
  retry?: RetryOptions;
  /** The recordings folder (as the task helpers' `recordingsDir`). */
  recordingsDir?: string | URL;
}

/**
 * Ask the Hub which Inference Providers serve `model`. A renamed repository is
 * followed once (and reported in `renamedTo`); an unknown one throws an
 * `HfApiError` with status 404.
 *
 * The answer, its `providers` list and each of its entries carry where the
 * look-up was answered (`provenanceOf`): live, or in replay the recording's
 * origin (most recorded look-ups are authored examples of the Hub's shape,
 * so a display of them says so rather than passing them off as the Hub's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelProviders } from "@hf-workbook/workbook";
 *
 * const answer = { inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task: "summarization" } } };
 * const info = await modelProviders("m/x", {
 *   mode: "live",
 *   fetch: () => Promise.resolve(Response.json(answer)),
 * });
 * assert.equal(info.hfInference?.task, "summarization");
 * ```
 *
 * @throws {TypeError} When the model id is malformed.
 * @throws {HfWorkbookError} When the look-up fails (network, status, replay miss).
 */
export async function modelProviders(
  model: string,
  options: ModelProvidersOptions = {},
): Promise<ModelProviders> {
  const { mode, token } = resolveMode({
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
  });
  let answered: Provenance | undefined; // the last answer's: a renamed repository's second look-up
  const transport = createTransport({
    mode,
    recording: "hub",
    onResponse: (exchange) => void (answered = provenanceOfExchange(exchange)),
    ...(options.recordingsDir ? { recordingsDir: options.recordingsDir } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const headers: Record<string, string> = token?.startsWith("hf_")
    ? { Authorization: `Bearer ${token}` }
    : {};
  let url = mappingUrl(model);
  let response = await transport(url, { headers, redirect: "manual" });
  let renamedTo: string | undefined;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location");
    await response.body?.cancel();
    if (location === null) {
      throw new TypeError(`Cannot look up ${model}: the Hub redirected without a location`);
    }
    url = new URL(location, url).href;
    renamedTo = /\/api\/models\/([^?]+)/.exec(new URL(url).pathname)?.[1];
    response = await transport(url, { headers, redirect: "manual" });
  }
  const body = await response.json() as { inferenceProviderMapping?: unknown };
  const providers = normalizeMapping(body.inferenceProviderMapping);
  const hfInference = providers.find((p) => p.provider === "hf-inference");
  const info = {
    model,
    ...(renamedTo ? { renamedTo } : {}),
    providers,
    ...(hfInference ? { hfInference } : {}),
  };
  if (answered === undefined) return info;
  for (const entry of providers) withProvenance(entry, answered);
  withProvenance(providers, answered);
  return withProvenance(info, answered);
}

/** The mapping comes as an object keyed by provider (today) or as a list (older answers). */
function normalizeMapping(mapping: unknown): ProviderMapping[] {
  if (Array.isArray(mapping)) {
    return mapping.map((m) => ({
      provider: String(m.provider),
      providerId: String(m.providerId),
      status: String(m.status),
      task: String(m.task),
    }));
  }
  if (mapping && typeof mapping === "object") {
    return Object.entries(mapping as Record<string, Record<string, unknown>>).map(([provider, m]) => ({
      provider,
      providerId: String(m.providerId),
      status: String(m.status),
      task: String(m.task),
    }));
  }
  return [];
}
