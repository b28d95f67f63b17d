/**
 * A scriptable fake of the Hugging Face router and Hub, for tests.
 *
 * It is a real HTTP server on 127.0.0.1: `Deno.serve` speaks HTTP, behind a small TCP relay that lets a scripted
 * answer drop the connection without any HTTP response (`behaviour: "reset"`). Requests reach it through
 * {@linkcode FakeHfServer.fetch}, which rewrites `https://router.huggingface.co/*`, `https://huggingface.co/*` and
 * any configured endpoint host to the fake, and remembers the URL the client meant.
 *
 * @example A 503 while loading, then an answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { scenarios, startFakeHf } from "./fake_hf_server.ts";
 *
 * await using fake = await startFakeHf();
 * fake.on("/hf-inference/models/facebook/bart-large-cnn", scenarios.loading503, { json: [{ summary_text: "ok" }] });
 * const url = "https://router.huggingface.co/hf-inference/models/facebook/bart-large-cnn";
 * assert.equal((await fake.fetch(url, { method: "POST", body: "{}" })).status, 503);
 * assert.deepEqual(await (await fake.fetch(url, { method: "POST", body: "{}" })).json(), [{ summary_text: "ok" }]);
 * ```
 *
 * @module
 */

import type { Limiter } from "./fake_limiters.ts";

/** Header the fake fetch adds so the server knows the origin the client meant. Never recorded. */
const ORIGIN_HEADER = "x-fake-hf-original-origin";

/** Hosts the fake fetch always redirects to the fake server. */
const HF_HOSTS: readonly string[] = ["router.huggingface.co", "huggingface.co"];

/** One scripted answer. Give at most one of `json`, `text`, `bytes` or `sse`. */
export interface FakeResponse {
  /** HTTP status; default 200 (401 for `behaviour: "echo-auth"`). */
  status?: number;
  /** Response headers; a default `content-type` is added when missing, and an `x-request-id`. */
  headers?: Record<string, string>;
  /** Body sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Body sent as-is; `content-type` defaults to `text/plain; charset=utf-8`. */
  text?: string;
  /** Binary body; `content-type` defaults to `application/octet-stream`. */
  bytes?: Uint8Array;
  /**
   * Server-sent events: each string is sent as one `data: <string>\n\n` event, with `content-type:
   * text/event-stream`, followed by `data: [DONE]\n\n` unless `sseDone` is false or the last string is `[DONE]`.
   */
  sse?: string[];
  /** Whether an `sse` answer ends with a `data: [DONE]` event; default true. */
  sseDone?: boolean;
  /**
   * Misbehaviour:
   * - `hang`: accept the request and never answer (until the client goes away or the server closes);
   * - `stall-body`: send status, headers and the first half of the body (or of the SSE events), then nothing more;
   * - `reset`: close the connection without any HTTP response;
   * - `cut-stream`: send the `sse` events, no final `[DONE]`, then break the connection mid-body;
   * - `echo-auth`: a 401 whose JSON `error` repeats the request's `Authorization` header value.
   */
  behaviour?: "hang" | "stall-body" | "reset" | "cut-stream" | "echo-auth";
  /** Milliseconds to wait before answering (cancelled when the client goes away or the server closes). */
  delayMs?: number;
}

/** A request the fake server received. */
export interface SeenRequest {
  /** HTTP method. */
  method: string;
  /** The URL the client meant (e.g. `https://router.huggingface.co/...`), not the fake server's. */
  url: string;
  /** Path of {@linkcode SeenRequest.url}, without the query. */
  path: string;
  /** Request headers, lower-case names; `host` is the original host. */
  headers: Record<string, string>;
  /** Body decoded as UTF-8 (empty string when there is none). */
  body: string;
  /** Body bytes, exactly as received. */
  bodyBytes: Uint8Array;
  /** `Date.now()` when the request arrived. */
  at: number;
}

/** One provider's entry in a model's `inferenceProviderMapping`. */
export interface FakeProviderMapping {
  /** Whether the provider serves the model for everyone (`live`) or only for tests (`staging`). */
  status: "live" | "staging";
  /** The model id on the provider's side. */
  providerId: string;
  /** Task the provider serves the model for, e.g. `summarization` or `conversational`. */
  task: string;
  /** LoRA adapter kind, when any. */
  adapter?: string;
  /** LoRA weights path, when any. */
  adapterWeightsPath?: string;
}

/** Options of {@linkcode startFakeHf}. */
export interface FakeHfOptions {
  /** Serve a live hf-inference mapping for any model id the Hub is asked about; default true. */
  mapping?: boolean;
  /** Extra hosts (e.g. a dedicated Inference Endpoint's, or `api-inference.huggingface.co`) the fetch redirects here. */
  endpointHosts?: string[];
}

/** A running fake; close it with `await fake.close()` or `await using`. */
export interface FakeHfServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** Every request received, in order (recorded once its body has been read). */
  readonly requests: SeenRequest[];
  /**
   * Scripts answers for requests whose original URL matches: a string matches the exact URL, or the end of the
   * URL's path (with or without its query); a RegExp is tested on the full URL. Answers are used in order and the
   * last one repeats. A later `on` takes precedence over earlier ones matching the same request.
   */
  on(match: string | RegExp, ...answers: FakeResponse[]): void;
  /**
   * A `fetch` to inject as `options.fetch`: sends `https://router.huggingface.co/*`, `https://huggingface.co/*`
   * and http(s) URLs on a configured endpoint host (or on {@linkcode FakeHfServer.origin}) to this server,
   * keeping method, headers, body, signal and redirect mode. Any other URL rejects with
   * `TypeError("Fake server: unexpected host ...")` and is not recorded.
   */
  readonly fetch: typeof fetch;
  /** Task of the default hf-inference mapping served for `modelId` (also served when `mapping: false`). */
  setModelTask(modelId: string, task: string): void;
  /**
   * The `inferenceProviderMapping` served for `modelId` (object or array form), or null for a 404
   * `{"error":"Repository not found"}` with `x-error-code: RepoNotFound`.
   */
  setMapping(
    modelId: string,
    mapping: Record<string, FakeProviderMapping> | FakeProviderMapping[] | null,
  ): void;
  /** Adds a host (or the host of a URL) that the fetch redirects to this server. */
  addEndpointHost(hostOrUrl: string): void;
  /**
   * Puts a rate limiter (tests/fake_limiters.ts) in front of the requests whose original URL matches (as in
   * {@linkcode FakeHfServer.on}): a request it rejects is answered 429 with its `Retry-After` and the router's
   * body, before any scripted answer; an admitted one is answered as usual.
   */
  limit(match: string | RegExp, limiter: Limiter): void;
  /** Resolves once at least `count` requests have been recorded, with the requests so far. */
  waitForRequests(count: number): Promise<SeenRequest[]>;
  /** Ends hanging and stalled answers, drops every connection and stops the server. Idempotent. */
  close(): Promise<void>;
}

/** Ready-made answers with bodies as the service sends them (see the reference API notes). */
export interface FakeScenarios {
  /** 503 while a model loads (legacy), `estimated_time` 20.0. */
  readonly loading503: FakeResponse;
  /** 429 with `Retry-After: 7`. */
  readonly rateLimit429RetryAfterSeconds: FakeResponse;
  /** 429 whose `Retry-After` is an HTTP date `seconds` (default 3) from now, computed at call time. */
  readonly rateLimit429RetryAfterDate: (seconds?: number) => FakeResponse;
  /** 429 without any hint. */
  readonly rateLimit429: FakeResponse;
  /** 429 `{"error":"Model is overloaded","error_type":"overloaded"}`. */
  readonly overloaded429: FakeResponse;
  /** Hub look-up 429 with `RateLimit: "api";r=0;t=55`. */
  readonly hubRateLimit429: FakeResponse;
  /** 401 `{"error":"Invalid credentials in Authorization header"}`. */
  readonly unauthorized401Json: FakeResponse;
  /** 401 `{"error":"Invalid username or password."}` (JSON, with `x-error-message`). */
  readonly unauthorized401UsernameJson: FakeResponse;
  /** 401 text `Invalid username or password.`. */
  readonly unauthorized401Text: FakeResponse;
  /** 402 out of credits. */
  readonly credits402: FakeResponse;
  /** 403 token without the Inference Providers permission. */
  readonly permission403: FakeResponse;
  /** 403 gated model, `x-error-code: GatedRepo`. */
  readonly gated403: FakeResponse;
  /** 404 `{"error":"Model ... does not exist"}`. */
  readonly notFound404: FakeResponse;
  /** 404 `{"error":"Repository not found"}`, `x-error-code: RepoNotFound`. */
  readonly repoNotFound404: FakeResponse;
  /** 404 text `Not Found`. */
  readonly notFound404Text: FakeResponse;
  /** 410 from the legacy `api-inference.huggingface.co` host. */
  readonly gone410: FakeResponse;
  /** 413 text `Failed to buffer the request body: length limit exceeded`. */
  readonly tooLarge413: FakeResponse;
  /** 422 `{"error":"Input validation error: ...","error_type":"validation"}`. */
  readonly validation422Json: FakeResponse;
  /** 422 plain-text deserialisation error. */
  readonly validation422Text: FakeResponse;
  /** 424 `{"error":"Request failed during generation: ...","error_type":"generation"}`. */
  readonly generation424: FakeResponse;
  /** 400 `{"error":"..."}`. */
  readonly errorString400: FakeResponse;
  /** 400 `{"error":["Error in `inputs`: ..."]}`. */
  readonly errorList400: FakeResponse;
  /** 400 `{"error":{"message":...,"type":"invalid_request_error","code":"model_not_supported"}}`. */
  readonly errorObject400: FakeResponse;
  /** 500 `{"error":"unknown error","warnings":[...]}`. */
  readonly server500WithWarnings: FakeResponse;
  /** 500 `{"error":"Model too busy, unable to get response in less than 120 second(s)"}`. */
  readonly busy500: FakeResponse;
  /** 502 HTML gateway page. */
  readonly badGateway502Html: FakeResponse;
  /** 503 router HTML page `503 Service Temporarily Unavailable`. */
  readonly unavailable503Html: FakeResponse;
  /** 503 text `Service Unavailable`. */
  readonly unavailable503Text: FakeResponse;
  /** 504 HTML gateway page. */
  readonly timeout504Html: FakeResponse;
  /** 200 whose body is `{"error": ...}`. */
  readonly okErrorBody200: FakeResponse;
  /** 200 `application/json` body cut in the middle. */
  readonly truncatedJson200: FakeResponse;
  /** 200 stream whose only event is `{"error": ..., "error_type": "validation"}` (no `[DONE]`). */
  readonly sseErrorEvent: FakeResponse;
  /** 307 to `location` (relative, as the Hub sends for renamed repos). */
  readonly redirect307: (location: string) => FakeResponse;
  /** 200 summarization result `[{"summary_text": ...}]`. */
  readonly summarization200: FakeResponse;
  /** 200 OpenAI-style chat completion. */
  readonly chatCompletion200: FakeResponse;
  /** 200 OpenAI-style chat stream (three chunks, then `[DONE]`). */
  readonly chatStream200: FakeResponse;
  /** The same chunks cut before `[DONE]` (`behaviour: "cut-stream"`). */
  readonly chatStreamCut: FakeResponse;
  /** `behaviour: "hang"`. */
  readonly hang: FakeResponse;
  /** `behaviour: "reset"`. */
  readonly reset: FakeResponse;
  /** `behaviour: "stall-body"` on a JSON summarization body. */
  readonly stallBody: FakeResponse;
  /** `behaviour: "echo-auth"`. */
  readonly echoAuth: FakeResponse;
}

const JSON_TYPE = "application/json";
const HTML_TYPE = "text/html";
const TEXT_TYPE = "text/plain; charset=utf-8";

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function chatChunk(content: string | null, finish: string | null): string {
  return JSON.stringify({
    object: "chat.completion.chunk",
    id: "",
    created: 1742565776,
    model: "meta-llama/Llama-3.1-8B-Instruct",
    system_fingerprint: "3.2.1-native",
    choices: [{
      index: 0,
      delta: content === null ? {} : { role: "assistant", content },
      logprobs: null,
      finish_reason: finish,
    }],
    usage: null,
  });
}

const CHAT_CHUNKS: readonly string[] = [
  chatChunk("Deep", null),
  chatChunk(" learning", null),
  chatChunk(null, "stop"),
];

/** Ready-made {@linkcode FakeResponse} values (frozen: spread them to change a field). */
export const scenarios: FakeScenarios = deepFreeze<FakeScenarios>({
  loading503: {
    status: 503,
    headers: { "content-type": JSON_TYPE },
    text: '{"error":"Model facebook/bart-large-cnn is currently loading","estimated_time":20.0}',
  },
  rateLimit429RetryAfterSeconds: {
    status: 429,
    headers: { "retry-after": "7" },
    json: { error: "Rate limit reached. Please log in or use a HF access token" },
  },
  rateLimit429RetryAfterDate: (seconds = 3): FakeResponse => ({
    status: 429,
    headers: { "retry-after": new Date(Date.now() + seconds * 1000).toUTCString() },
    json: { error: "Rate limit reached. Please log in or use a HF access token" },
  }),
  rateLimit429: {
    status: 429,
    json: { error: "Rate limit reached. Please log in or use a HF access token" },
  },
  overloaded429: { status: 429, json: { error: "Model is overloaded", error_type: "overloaded" } },
  hubRateLimit429: {
    status: 429,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "ratelimit": '"api";r=0;t=55',
      "ratelimit-policy": '"fixed window";"api";q=1000;w=300',
    },
    json: {
      error: "We had to rate limit you, you hit the quota of 1000 api requests per 5 minutes period. " +
        "Upgrade to a PRO user or Team/Enterprise organization account (https://hf.co/pricing) to get higher " +
        "limits. See https://huggingface.co/docs/hub/rate-limits",
    },
  },
  unauthorized401Json: { status: 401, json: { error: "Invalid credentials in Authorization header" } },
  unauthorized401UsernameJson: {
    status: 401,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-error-message": "Invalid username or password.",
    },
    json: { error: "Invalid username or password." },
  },
  unauthorized401Text: { status: 401, text: "Invalid username or password." },
  credits402: {
    status: 402,
    json: {
      error: "You have exceeded your monthly included credits for Inference Providers. " +
        "Subscribe to PRO to get 20x more monthly included credits.",
    },
  },
  permission403: {
    status: 403,
    json: {
      error: "This authentication method does not have sufficient permissions to call Inference Providers " +
        "on behalf of user fake-user",
    },
  },
  gated403: {
    status: 403,
    headers: {
      "x-error-code": "GatedRepo",
      "x-error-message":
        "Access to model meta-llama/Llama-3.1-8B-Instruct is restricted and you are not in the " +
        "authorized list. Visit https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct to ask for access.",
    },
    json: {
      error:
        "Access to model meta-llama/Llama-3.1-8B-Instruct is restricted and you are not in the authorized " +
        "list. Visit https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct to ask for access.",
    },
  },
  notFound404: { status: 404, json: { error: "Model this-model/does-not-exist-123 does not exist" } },
  repoNotFound404: {
    status: 404,
    headers: { "x-error-code": "RepoNotFound", "x-error-message": "Repository not found" },
    json: { error: "Repository not found" },
  },
  notFound404Text: { status: 404, text: "Not Found" },
  gone410: {
    status: 410,
    json: {
      error: "https://api-inference.huggingface.co is no longer supported. " +
        "Please use https://router.huggingface.co instead.",
    },
  },
  tooLarge413: { status: 413, text: "Failed to buffer the request body: length limit exceeded" },
  validation422Json: {
    status: 422,
    json: {
      error: "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. " +
        "Given: 17 `inputs` tokens and 10000 `max_new_tokens`",
      error_type: "validation",
    },
  },
  validation422Text: {
    status: 422,
    text:
      "Failed to deserialize the JSON body into the target type: missing field `inputs` at line 1 column 158",
  },
  generation424: {
    status: 424,
    json: {
      error: "Request failed during generation: Server error: the fake model failed to generate",
      error_type: "generation",
    },
  },
  errorString400: { status: 400, json: { error: "Malformed soundfile" } },
  errorList400: { status: 400, json: { error: ["Error in `inputs`: Invalid image: {}"] } },
  errorObject400: {
    status: 400,
    json: {
      error: {
        message:
          "The requested model 'fake-org/unsupported-model' is not supported by any provider you have enabled.",
        type: "invalid_request_error",
        code: "model_not_supported",
      },
    },
  },
  server500WithWarnings: {
    status: 500,
    json: {
      error: "unknown error",
      warnings: ['There was an inference error: unknown error: can only concatenate str (not "dict") to str'],
    },
  },
  busy500: {
    status: 500,
    json: { error: "Model too busy, unable to get response in less than 120 second(s)" },
  },
  badGateway502Html: {
    status: 502,
    headers: { "content-type": HTML_TYPE },
    text: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
      "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
  },
  unavailable503Html: {
    status: 503,
    headers: { "content-type": HTML_TYPE },
    text: "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n" +
      "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n",
  },
  unavailable503Text: { status: 503, text: "Service Unavailable" },
  timeout504Html: {
    status: 504,
    headers: { "content-type": HTML_TYPE },
    text: "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n" +
      "<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n",
  },
  okErrorBody200: { status: 200, json: { error: "unknown error" } },
  truncatedJson200: {
    status: 200,
    headers: { "content-type": JSON_TYPE },
    text: '[{"summary_text":"The tower is 324 metres (1,063 ft) tall, about the same height as an 81-sto',
  },
  sseErrorEvent: {
    status: 200,
    sse: [JSON.stringify({
      error: "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. " +
        "Given: 17 `inputs` tokens and 10000 `max_new_tokens`",
      error_type: "validation",
    })],
    sseDone: false,
  },
  redirect307: (location: string): FakeResponse => ({
    status: 307,
    headers: { location },
    text: `Temporary Redirect. Redirecting to ${location}`,
  }),
  summarization200: {
    json: [{
      summary_text:
        "The tower is 324 metres (1,063 ft) tall, about the same height as an 81-storey building.",
    }],
  },
  chatCompletion200: {
    json: {
      object: "chat.completion",
      id: "",
      created: 1742565776,
      model: "meta-llama/Llama-3.1-8B-Instruct",
      system_fingerprint: "3.2.1-native",
      choices: [{
        index: 0,
        message: { role: "assistant", content: "Deep learning" },
        logprobs: null,
        finish_reason: "stop",
      }],
      usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
    },
  },
  chatStream200: { sse: [...CHAT_CHUNKS] },
  chatStreamCut: { sse: [...CHAT_CHUNKS.slice(0, 2)], behaviour: "cut-stream" },
  hang: { behaviour: "hang" },
  reset: { behaviour: "reset" },
  stallBody: {
    behaviour: "stall-body",
    json: [{ summary_text: "The tower is 324 metres (1,063 ft) tall." }],
  },
  echoAuth: { behaviour: "echo-auth" },
});

const TASK_GUESSES: ReadonlyArray<readonly [RegExp, string]> = [
  [/instruct|chat|-it$|zephyr|llama|mistral|qwen|gemma|phi-|deepseek|gpt-oss/i, "conversational"],
  [/whisper|wav2vec|speech-?recognition|asr/i, "automatic-speech-recognition"],
  [/sentence-transformers\/|minilm|mpnet|bge-|e5-|gte-|embed/i, "feature-extraction"],
  [/stable-diffusion|flux|sdxl|text-to-image/i, "text-to-image"],
  [/tapas/i, "table-question-answering"],
  [/squad|question/i, "question-answering"],
  [/mnli|zero-shot|nli/i, "zero-shot-classification"],
  [/ner\b|-ner|conll|token-classification/i, "token-classification"],
  [/sst-2|sentiment|emotion|text-classification|toxic/i, "text-classification"],
  [/opus-mt|translat|nllb|m2m|\bt5-/i, "translation"],
  [/detr|yolo|object-detection/i, "object-detection"],
  [/segformer|mask2former|panoptic|segment/i, "image-segmentation"],
  [/vit-|resnet|convnext|image-classification/i, "image-classification"],
  [/bart-large-cnn|pegasus|summar|xlsum/i, "summarization"],
  [/^(google-bert\/)?bert-|roberta-base$|roberta-large$|distilbert-base-uncased$|fill-mask/i, "fill-mask"],
];

/** The task the default mapping reports for `modelId`, guessed from its name; `summarization` when nothing fits. */
export function guessModelTask(modelId: string): string {
  for (const [pattern, task] of TASK_GUESSES) if (pattern.test(modelId)) return task;
  return "summarization";
}

function fakeObjectId(modelId: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193, h3 = 0x9e3779b9;
  for (let i = 0; i < modelId.length; i++) {
    const c = modelId.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x85ebca6b) >>> 0;
    h3 = Math.imul(h3 ^ c, 0xc2b2ae35) >>> 0;
  }
  return [h1, h2, h3].map((h) => h.toString(16).padStart(8, "0")).join("");
}

function hostOf(hostOrUrl: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(hostOrUrl) ? new URL(hostOrUrl).host : hostOrUrl.toLowerCase();
}

function matches(match: string | RegExp, url: URL): boolean {
  if (match instanceof RegExp) {
    match.lastIndex = 0;
    return match.test(url.href);
  }
  if (match === url.href) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(match)) {
    try {
      return new URL(match).href === url.href;
    } catch {
      return false;
    }
  }
  return url.pathname.endsWith(match) || (url.pathname + url.search).endsWith(match);
}

function validateAnswer(answer: FakeResponse): void {
  const bodies = (["json", "text", "bytes", "sse"] as const).filter((key) => answer[key] !== undefined);
  if (bodies.length > 1) {
    throw new TypeError(`Fake server: a FakeResponse takes one body, got ${bodies.join(" and ")}`);
  }
  if (answer.behaviour === "cut-stream" && answer.sse === undefined) {
    throw new TypeError('Fake server: behaviour "cut-stream" needs `sse` events');
  }
  if (answer.delayMs !== undefined && !(answer.delayMs >= 0)) {
    throw new TypeError(`Fake server: delayMs must be >= 0, got ${answer.delayMs}`);
  }
}

/** Body bytes and default content type of an answer (SSE events without `[DONE]`). */
function encodeBody(answer: FakeResponse): { bytes: Uint8Array<ArrayBuffer>; type: string | null } {
  const encoder = new TextEncoder();
  if (answer.json !== undefined) {
    return { bytes: encoder.encode(JSON.stringify(answer.json)), type: JSON_TYPE };
  }
  if (answer.text !== undefined) return { bytes: encoder.encode(answer.text), type: TEXT_TYPE };
  if (answer.bytes !== undefined) {
    return { bytes: Uint8Array.from(answer.bytes), type: "application/octet-stream" };
  }
  if (answer.sse !== undefined) {
    const events = answer.sse.map((data) => `data: ${data}\n\n`).join("");
    return { bytes: encoder.encode(events), type: "text/event-stream" };
  }
  return { bytes: new Uint8Array(0), type: null };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** Marks a response body broken on purpose (so it is not reported as a fake server bug). */
class IntentionalCut extends Error {
  override name = "IntentionalCut";
}

function tryClose(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}

/** Copies bytes from one connection to the other until either side ends. */
async function pump(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(16 * 1024);
  while (true) {
    let n: number | null;
    try {
      n = await from.read(buffer);
    } catch {
      return;
    }
    if (n === null) return;
    let written = 0;
    while (written < n) {
      try {
        written += await to.write(buffer.subarray(written, n));
      } catch {
        return;
      }
    }
  }
}

interface Relay {
  client: Deno.Conn;
  upstream: Deno.Conn;
  /** Aborted when the connection ends (the client went away, was reset, or the server closed). */
  ended: AbortController;
}

interface Rule {
  match: string | RegExp;
  answers: FakeResponse[];
  used: number;
}

class FakeHf implements FakeHfServer {
  readonly origin: string;
  readonly requests: SeenRequest[] = [];
  readonly fetch: typeof fetch;

  readonly #listener: Deno.TcpListener;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #backendPort: number;
  readonly #relays = new Map<number, Relay>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #closing = new AbortController();
  readonly #rules: Rule[] = [];
  readonly #limits: { match: string | RegExp; limiter: Limiter }[] = [];
  readonly #hosts: Set<string>;
  readonly #mappingByDefault: boolean;
  readonly #tasksByModel = new Map<string, string>();
  readonly #mappings = new Map<string, Record<string, FakeProviderMapping> | FakeProviderMapping[] | null>();
  readonly #waiters: { count: number; resolve: (requests: SeenRequest[]) => void }[] = [];
  #closed: Promise<void> | undefined;
  #requestCount = 0;

  constructor(options: FakeHfOptions) {
    this.#mappingByDefault = options.mapping ?? true;
    this.#hosts = new Set([...HF_HOSTS, ...(options.endpointHosts ?? []).map(hostOf)]);
    this.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
      onError: (error) => {
        if (!(error instanceof IntentionalCut)) console.error("Fake HF server error:", error);
        return new Response(`Fake server error: ${error}`, { status: 500 });
      },
    }, (request, info) => this.#handle(request, info));
    this.#backendPort = this.#server.addr.port;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.origin = `http://127.0.0.1:${this.#listener.addr.port}`;
    this.fetch = (input, init) => this.#fetch(input, init);
    this.#track(this.#acceptLoop());
  }

  on(match: string | RegExp, ...answers: FakeResponse[]): void {
    if (answers.length === 0) throw new TypeError("Fake server: on() needs at least one answer");
    answers.forEach(validateAnswer);
    this.#rules.push({ match, answers, used: 0 });
  }

  limit(match: string | RegExp, limiter: Limiter): void {
    this.#limits.push({ match, limiter });
  }

  setModelTask(modelId: string, task: string): void {
    this.#tasksByModel.set(modelId, task);
  }

  setMapping(
    modelId: string,
    mapping: Record<string, FakeProviderMapping> | FakeProviderMapping[] | null,
  ): void {
    this.#mappings.set(modelId, mapping);
  }

  addEndpointHost(hostOrUrl: string): void {
    this.#hosts.add(hostOf(hostOrUrl));
  }

  waitForRequests(count: number): Promise<SeenRequest[]> {
    if (this.requests.length >= count) return Promise.resolve([...this.requests]);
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    // Drop the connections first, so that answers released below reach no client.
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const relay of this.#relays.values()) {
      tryClose(relay.client);
      tryClose(relay.upstream);
    }
    this.#closing.abort();
    await this.#server.shutdown();
    while (this.#tasks.size > 0) await Promise.all([...this.#tasks]);
  }

  #track(task: Promise<void>): void {
    this.#tasks.add(task);
    task.finally(() => this.#tasks.delete(task));
  }

  async #acceptLoop(): Promise<void> {
    while (true) {
      let client: Deno.TcpConn;
      try {
        client = await this.#listener.accept();
      } catch {
        return; // listener closed
      }
      this.#track(this.#relay(client));
    }
  }

  /** Relays one client connection to the Deno.serve backend, byte for byte. */
  async #relay(client: Deno.TcpConn): Promise<void> {
    let upstream: Deno.TcpConn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: this.#backendPort });
    } catch {
      tryClose(client);
      return;
    }
    if (this.#closing.signal.aborted) {
      tryClose(client);
      tryClose(upstream);
      return;
    }
    const key = upstream.localAddr.port;
    const relay: Relay = { client, upstream, ended: new AbortController() };
    this.#relays.set(key, relay);
    const end = () => {
      tryClose(client);
      tryClose(upstream);
      relay.ended.abort();
    };
    await Promise.all([pump(client, upstream).finally(end), pump(upstream, client).finally(end)]);
    this.#relays.delete(key);
  }

  async #fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const ours = url.origin === this.origin;
    if (!ours && (!/^https?:$/.test(url.protocol) || !this.#hosts.has(url.host))) {
      throw new TypeError(`Fake server: unexpected host ${url.host} (${url.href})`);
    }
    if (this.#closed) throw new TypeError(`Fake server: already closed (${url.href})`);
    const headers = new Headers(request.headers);
    if (!ours) headers.set(ORIGIN_HEADER, url.origin);
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    return await fetch(`${this.origin}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body,
      signal: request.signal,
      redirect: request.redirect,
    });
  }

  async #handle(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    const at = Date.now();
    let bodyBytes: Uint8Array;
    try {
      bodyBytes = new Uint8Array(await request.arrayBuffer());
    } catch {
      return new Response(null, { status: 400 }); // the client went away mid-body
    }
    const local = new URL(request.url);
    const originalOrigin = request.headers.get(ORIGIN_HEADER) ?? this.origin;
    const url = new URL(local.pathname + local.search, originalOrigin);
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) {
      if (name !== ORIGIN_HEADER) headers[name] = value;
    }
    headers.host = url.host;
    const seen: SeenRequest = {
      method: request.method,
      url: url.href,
      path: url.pathname,
      headers,
      body: new TextDecoder().decode(bodyBytes),
      bodyBytes,
      at,
    };
    this.requests.push(seen);
    for (const waiter of this.#waiters.filter((w) => this.requests.length >= w.count)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve([...this.requests]);
    }
    const answer = this.#limited(url) ?? this.#scripted(url) ?? this.#fallback(request.method, url);
    // Not `request.signal`: Deno.serve warns about its legacy abort-on-success behaviour. The relay knows when
    // the client's connection ends.
    const relay = this.#relays.get(info.remoteAddr.port);
    const stop = relay ? AbortSignal.any([relay.ended.signal, this.#closing.signal]) : this.#closing.signal;
    return await this.#respond(answer, seen, stop, relay);
  }

  /** A 429 when a limiter in front of `url` rejects the request. */
  #limited(url: URL): FakeResponse | undefined {
    for (const { match, limiter } of this.#limits) {
      if (!matches(match, url)) continue;
      const retryAfter = limiter.admit();
      if (retryAfter !== undefined) {
        return { ...scenarios.rateLimit429, headers: { "retry-after": String(retryAfter) } };
      }
    }
    return undefined;
  }

  #scripted(url: URL): FakeResponse | undefined {
    for (let i = this.#rules.length - 1; i >= 0; i--) {
      const rule = this.#rules[i]!;
      if (!matches(rule.match, url)) continue;
      const answer = rule.answers[Math.min(rule.used, rule.answers.length - 1)]!;
      rule.used++;
      return answer;
    }
    return undefined;
  }

  #fallback(method: string, url: URL): FakeResponse {
    const model = /^\/api\/models\/([^/]+(?:\/[^/]+)?)$/.exec(url.pathname);
    if (method === "GET" && url.host === "huggingface.co" && model) {
      const id = decodeURIComponent(model[1]!);
      const mapping = this.#mappings.get(id);
      if (mapping === null) return scenarios.repoNotFound404;
      const task = this.#tasksByModel.get(id);
      if (mapping !== undefined || task !== undefined || this.#mappingByDefault) {
        const inferenceProviderMapping = mapping ??
          { "hf-inference": { status: "live", providerId: id, task: task ?? guessModelTask(id) } };
        return {
          headers: { "content-type": "application/json; charset=utf-8" },
          json: { _id: fakeObjectId(id), id, inferenceProviderMapping },
        };
      }
    }
    return scenarios.notFound404Text;
  }

  async #respond(
    answer: FakeResponse,
    seen: SeenRequest,
    stop: AbortSignal,
    relay: Relay | undefined,
  ): Promise<Response> {
    const gone = () => new Response(null, { status: 499 }); // nobody will read it
    if (answer.delayMs && !(await sleep(answer.delayMs, stop))) return gone();
    const { bytes, type } = encodeBody(answer);
    const headers = new Headers(answer.headers ?? {});
    if (type !== null && !headers.has("content-type")) headers.set("content-type", type);
    if (!headers.has("x-request-id")) headers.set("x-request-id", `fake-${++this.#requestCount}`);
    const status = answer.status ?? (answer.behaviour === "echo-auth" ? 401 : 200);

    switch (answer.behaviour) {
      case "hang":
        await untilAborted(stop);
        return gone();
      case "reset":
        if (!relay) return new Response("Fake server: cannot reset an unrelayed connection", { status: 500 });
        tryClose(relay.client);
        tryClose(relay.upstream);
        return gone();
      case "echo-auth": {
        const auth = seen.headers["authorization"] ?? "(none)";
        headers.set("content-type", JSON_TYPE);
        return new Response(
          JSON.stringify({ error: `Invalid credentials in Authorization header: ${auth}` }),
          {
            status,
            headers,
          },
        );
      }
      case "stall-body": {
        const partial = bytes.subarray(0, Math.max(1, Math.ceil(bytes.length / 2)));
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            if (partial.length > 0) controller.enqueue(partial);
            stop.addEventListener("abort", () => {
              try {
                controller.error(new IntentionalCut("stalled body ended"));
              } catch {
                // already cancelled
              }
            }, { once: true });
          },
        });
        return new Response(body, { status, headers });
      }
      case "cut-stream": {
        const chunks = (answer.sse ?? []).map((data) => new TextEncoder().encode(`data: ${data}\n\n`));
        let next = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const chunk = chunks[next++];
            if (chunk) {
              controller.enqueue(chunk);
              return;
            }
            // Every event has been handed over; give the relay a moment to pass it on, then break the stream.
            await sleep(20, stop);
            controller.error(new IntentionalCut("stream cut"));
          },
        }, { highWaterMark: 0 });
        return new Response(body, { status, headers });
      }
      case undefined:
        break;
      default:
        return new Response(`Fake server: unknown behaviour ${String(answer.behaviour)}`, { status: 500 });
    }

    if (answer.sse !== undefined) {
      const done = answer.sseDone !== false && answer.sse.at(-1) !== "[DONE]";
      const events = done
        ? new Uint8Array([...bytes, ...new TextEncoder().encode("data: [DONE]\n\n")])
        : bytes;
      return new Response(events, { status, headers });
    }
    const hasBody = type !== null && status !== 204 && status !== 304 && seen.method !== "HEAD";
    return new Response(hasBody ? bytes : null, { status, headers });
  }
}

/**
 * Starts a fake Hugging Face router + Hub on 127.0.0.1 (random port).
 *
 * Unscripted requests get: for `GET https://huggingface.co/api/models/<id>`, a live hf-inference mapping for `<id>`
 * (task from {@linkcode FakeHfServer.setModelTask} or {@linkcode guessModelTask}) unless `mapping` is false; for
 * anything else, 404 text `Not Found`. Every request is recorded.
 */
export function startFakeHf(options: FakeHfOptions = {}): Promise<FakeHfServer> {
  return Promise.resolve(new FakeHf(options));
}
