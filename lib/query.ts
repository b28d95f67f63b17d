/**
 * The article's `query(payload)`, in TypeScript: one POST of a JSON payload to
 * a model's endpoint, the answer parsed as it came. It takes the workbook's
 * transport like every helper (modes, retries, recordings, error mapping) but
 * leaves the payload and the answer untouched: use it to see the raw JSON, and
 * the typed task helpers for everything else.
 *
 * @module
 */

import { checkModelId, routerUrl } from "./endpoints.ts";
import { createTransport, type Exchange } from "./transport/fetch.ts";
import { type Mode, resolveMode } from "./transport/mode.ts";
import type { RetryOptions } from "./transport/retry.ts";
import { checkObject } from "./tasks/_check.ts";
import { type Provenance, provenanceOfExchange, withProvenance } from "./provenance.ts";

/** What the article sends: `{"inputs": ..., "parameters"?: ...}`. */
export interface QueryPayload {
  /** The task's inputs. */
  inputs: unknown;
  /** The task's parameters. */
  parameters?: Record<string, unknown>;
}

/** Options of {@linkcode query}. */
export interface QueryOptions {
  /** The model id; the request goes to `https://router.huggingface.co/hf-inference/models/<model>`. */
  model?: string;
  /** The hf-inference pipeline route, for `feature-extraction` and `sentence-similarity` models. */
  pipeline?: "feature-extraction" | "sentence-similarity";
  /** Send the payload to this URL instead (a dedicated Inference Endpoint). */
  endpointUrl?: string;
  /** Abort the call. */
  signal?: AbortSignal;
  /** Replace the network edge only. */
  fetch?: typeof fetch;
  /** The access token. When not given: HF_TOKEN from the environment, else from .env. */
  accessToken?: string;
  /** The transport mode. When not given: HF_MODE, else live with a token and replay without. */
  mode?: Mode;
  /** Retries and timeouts of live calls. */
  retry?: RetryOptions;
  /**
   * The recordings folder. When not given: HF_RECORDINGS_DIR, else this repository's recordings/ when the library runs from a checkout of it, else `recordings` in the working folder.
   */
  recordingsDir?: string | URL;
  /** Told of the final answer: status, headers, where it came from (a recording's `origin` too). */
  onResponse?: (exchange: Exchange) => void;
}

/**
 * POST `payload` to a model and return the answer as the service sent it:
 * parsed JSON, text, or bytes. One of `model` and `endpointUrl` is required.
 * A JSON or bytes answer carries where it came from (`provenanceOf`); a text
 * answer is a string and cannot: use `onResponse` for it.
 *
 * @example The article's call
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOf, query } from "@hf-workbook/workbook";
 *
 * const output = await query({ inputs: "今天的天氣很好" }, {
 *   model: "m/x",
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: () => Promise.resolve(Response.json([{ summary_text: "天氣好" }])),
 * });
 * assert.deepEqual(output, [{ summary_text: "天氣好" }]);
 * assert.deepEqual(provenanceOf(output), { kind: "live", provider: "hf-inference" });
 * ```
 *
 * @throws {TypeError} When the payload or the model id is malformed.
 * @throws {HfWorkbookError} When the call fails (network, status, replay miss).
 */
export async function query<T = unknown>(payload: QueryPayload, options: QueryOptions = {}): Promise<T> {
  const verb = "query";
  checkObject(payload, "payload", verb);
  if (!("inputs" in payload) || payload.inputs === undefined) {
    throw new TypeError(`Cannot ${verb}: "payload.inputs" is required`);
  }
  let url: string;
  if (options.endpointUrl !== undefined) {
    if (!/^https?:\/\/\S+$/i.test(options.endpointUrl)) {
      throw new TypeError(
        `Cannot ${verb}: "endpointUrl" must be an http(s) URL, got ${JSON.stringify(options.endpointUrl)}`,
      );
    }
    url = options.endpointUrl;
  } else {
    if (options.model === undefined) {
      throw new TypeError(`Cannot ${verb}: give "model" (a model id) or "endpointUrl"`);
    }
    checkModelId(options.model, verb);
    url = routerUrl(options.model, options.pipeline);
  }
  const { mode, token } = resolveMode({
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
  });
  let answered: Provenance | undefined;
  const transport = createTransport({
    mode,
    recording: "query",
    ...(options.recordingsDir ? { recordingsDir: options.recordingsDir } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    onResponse: (exchange) => {
      answered = provenanceOfExchange(exchange, options.endpointUrl ? undefined : "hf-inference");
      options.onResponse?.(exchange);
    },
  });
  const response = await transport(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(payload),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const type = response.headers.get("content-type") ?? "";
  const output: unknown = type.includes("json")
    ? await response.json()
    : type.startsWith("text/")
    ? await response.text()
    : new Uint8Array(await response.arrayBuffer());
  return (answered ? withProvenance(output, answered) : output) as T;
}
