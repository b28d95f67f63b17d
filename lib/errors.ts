/**
 * The workbook's errors. Bad arguments are reported with the built-in
 * `TypeError` / `RangeError` before any request is sent; what comes back from
 * the service (or fails on the way) is one of the classes below, each with the
 * service's own message and a `hint` saying what to do next.
 *
 * No message ever contains an access token: every text that reaches a message
 * passes through {@linkcode redact}.
 *
 * @module
 */

import { redact } from "./env.ts";

/** What went wrong, as a caller (or the batch runner) needs to know it. */
export type HfErrorKind =
  | "bad-request"
  | "unauthorized"
  | "out-of-credits"
  | "forbidden"
  | "gated"
  | "not-found"
  | "gone"
  | "too-large"
  | "unsupported-media"
  | "validation"
  | "generation"
  | "rate-limited"
  | "server"
  | "unavailable"
  | "timeout"
  | "network"
  | "host-not-found"
  | "not-permitted"
  | "output"
  | "not-served"
  | "not-recorded";

/**
 * How a failure should be treated by a retrying caller: `retry` (429, 5xx, a
 * network error: again, a bounded number of times), `retry-few` (503, 424:
 * they may be permanent), `fail` (the same request fails the same way: a bad
 * input), `stop` (every request would fail the same way: a token, a
 * permission, a host that does not exist).
 */
export type RetryClass = "retry" | "retry-few" | "fail" | "stop";

/** The kinds of failure that may pass when the same request is sent again later. */
const PASSING_KINDS: ReadonlySet<string> = new Set<HfErrorKind>([
  "rate-limited",
  "server",
  "unavailable",
  "timeout",
  "network",
  "generation",
]);

/**
 * Whether a failure of this kind may pass when the same request is sent again
 * later (a batch tries such items again when it resumes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mayPass } from "./errors.ts";
 *
 * assert.equal(mayPass("server"), true);
 * assert.equal(mayPass("validation"), false);
 * ```
 */
export function mayPass(kind: string): boolean {
  return PASSING_KINDS.has(kind);
}

/** The base class of every error the workbook throws for a failed call. */
export class HfWorkbookError extends Error {
  /** What went wrong, in one word. */
  readonly kind: HfErrorKind;
  /** What to do next, in one sentence. */
  readonly hint: string;

  /** Build an error; `message` and `hint` are redacted. */
  constructor(kind: HfErrorKind, message: string, hint: string, options?: ErrorOptions) {
    super(redact(message), options);
    this.name = "HfWorkbookError";
    this.kind = kind;
    this.hint = redact(hint);
  }

  /** How a retrying caller treats this error. */
  get retryClass(): RetryClass {
    return "fail";
  }
}

/** What the service answered, kept on an {@linkcode HfApiError}. */
export interface HfErrorResponse {
  /** The HTTP status. */
  status: number;
  /** The service's own message, from whichever envelope it used. */
  message: string;
  /** `error_type` or `error.type` when the body had one. */
  errorType?: string;
  /** `X-Error-Code` when sent (e.g. `GatedRepo`, `RepoNotFound`). */
  errorCode?: string;
  /** `X-Request-Id` when sent: quote it to Hugging Face support. */
  requestId?: string;
  /** The body as text, redacted and cut to 2,000 characters. */
  body: string;
}

/** The service answered with an error status (after any retries). */
export class HfApiError extends HfWorkbookError {
  /** The HTTP status. */
  readonly status: number;
  /** The service's own message. */
  readonly serviceMessage: string;
  /** `error_type` / `error.type` of the body, when present. */
  readonly errorType: string | undefined;
  /** `X-Error-Code` header, when present. */
  readonly errorCode: string | undefined;
  /** `X-Request-Id` header, when present. */
  readonly requestId: string | undefined;
  /** The request, as `METHOD URL` (redacted). */
  readonly request: string;
  /** The body as text, redacted and cut. */
  readonly body: string;
  /** How many attempts were made. */
  readonly attempts: number;

  /** Build the error for `response` to `method url`. */
  constructor(method: string, url: string, response: HfErrorResponse, attempts = 1) {
    const kind = kindOfStatus(response.status, response);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    super(
      kind,
      `Hugging Face answered ${response.status} to ${method} ${url}${tries}: ${response.message}`,
      hintFor(kind, url, response),
    );
    this.name = "HfApiError";
    this.status = response.status;
    this.serviceMessage = redact(response.message);
    this.errorType = response.errorType;
    this.errorCode = response.errorCode;
    this.requestId = response.requestId;
    this.request = redact(`${method} ${url}`);
    this.body = redact(response.body);
    this.attempts = attempts;
  }

  /** How a retrying caller treats this error: by its status (see {@linkcode retryClassOfStatus}). */
  override get retryClass(): RetryClass {
    return retryClassOfStatus(this.status);
  }
}

/** The request never got an answer: refused, reset, or timed out. */
export class HfNetworkError extends HfWorkbookError {
  /** The request, as `METHOD URL`. */
  readonly request: string;
  /** How many attempts were made. */
  readonly attempts: number;
  /** What failed, without the request and the attempts (`connection refused`). */
  readonly detail: string;

  /** Build the error; `timedOut` selects the `timeout` kind. */
  constructor(
    method: string,
    url: string,
    detail: string,
    attempts: number,
    timedOut: boolean,
    cause?: unknown,
  ) {
    const host = safeHost(url);
    super(
      timedOut ? "timeout" : "network",
      `${
        timedOut ? "No answer from" : "Cannot reach"
      } ${host} for ${method} ${url} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${detail}`,
      timedOut
        ? "The service is slow or stuck; try again later, or raise the timeout (retry.attemptTimeoutMs)"
        : `Check your connection to ${host}; offline, use HF_MODE=replay to answer from recordings/`,
      { cause },
    );
    this.name = "HfNetworkError";
    this.request = redact(`${method} ${url}`);
    this.attempts = attempts;
    this.detail = redact(detail);
  }

  /** How a retrying caller treats this error: a network failure is worth retrying. */
  override get retryClass(): RetryClass {
    return "retry";
  }
}

/** The request's host does not exist (its name does not resolve): not retried, the same call fails the same way. */
export class HfHostNotFoundError extends HfWorkbookError {
  /** The request, as `METHOD URL`. */
  readonly request: string;
  /** The host that does not resolve. */
  readonly host: string;

  /** Build the error for `method url`, whose host name did not resolve. */
  constructor(method: string, url: string, cause?: unknown) {
    const host = safeHost(url);
    super(
      "host-not-found",
      `Cannot reach ${host} for ${method} ${url}: the host name does not resolve (not retried)`,
      `Check the host in the URL (--endpoint, endpointUrl) and your connection; offline, use HF_MODE=replay to answer from recordings/`,
      { cause },
    );
    this.name = "HfHostNotFoundError";
    this.request = redact(`${method} ${url}`);
    this.host = host;
  }

  /** Every request to this host would fail the same way. */
  override get retryClass(): RetryClass {
    return "stop";
  }
}

/**
 * The Deno sandbox refused the request (`Deno.errors.NotCapable`): the process
 * has no net permission for its host. Not a network error: nothing was sent,
 * and nothing is retried.
 */
export class HfPermissionError extends HfWorkbookError {
  /** The request, as `METHOD URL`. */
  readonly request: string;
  /** The host (with its port, when the URL names one) that the process may not reach. */
  readonly host: string;

  /** Build the error for `method url`, which Deno refused to send. */
  constructor(method: string, url: string, cause?: unknown) {
    const host = safeHost(url);
    super(
      "not-permitted",
      `Deno does not allow net access to ${host}, so ${method} ${url} was not sent: run with --allow-net=${host}`,
      `Allow the host: deno run --allow-net=${host},router.huggingface.co,huggingface.co --allow-env --allow-read --allow-write lib/cli/main.ts ... (deno task hf allows only router.huggingface.co and huggingface.co)`,
      { cause },
    );
    this.name = "HfPermissionError";
    this.request = redact(`${method} ${url}`);
    this.host = host;
  }

  /** Every request to this host would be refused the same way. */
  override get retryClass(): RetryClass {
    return "stop";
  }
}

/** A 2xx answer that is not what the task returns: an `{"error"}` body, the wrong shape, or broken JSON. */
export class HfOutputError extends HfWorkbookError {
  /** The body as received, redacted and cut to 2,000 characters. */
  readonly body: string;

  /** Build the error; `body` is what the service sent. */
  constructor(message: string, body: string, options?: ErrorOptions) {
    super(
      "output",
      message,
      "The service answered, but not as this task answers; check that the model is meant for this task (deno task hf check <model>)",
      options,
    );
    this.name = "HfOutputError";
    this.body = cut(redact(body));
  }
}

/** The model is not served by the chosen provider (or not for this task). */
export class HfNotServedError extends HfWorkbookError {
  /** The model id. */
  readonly model: string;

  /** Build the error for `model`, with the library's `detail`. */
  constructor(model: string, detail: string, options?: ErrorOptions) {
    super(
      "not-served",
      `Model ${model} is not served here: ${detail}`,
      `See who serves it: https://huggingface.co/api/models/${model}?expand[]=inferenceProviderMapping, pick a served model (https://huggingface.co/models?inference_provider=hf-inference) or pass endpointUrl for your own Inference Endpoint`,
      options,
    );
    this.name = "HfNotServedError";
    this.model = model;
  }
}

/** Replay mode met a request that recordings/ does not hold. */
export class ReplayMissError extends HfWorkbookError {
  /** The request, as `METHOD URL`. */
  readonly request: string;
  /** A short digest of the canonical request body. */
  readonly bodyDigest: string;

  /** Build the error for the request that was not found. */
  constructor(method: string, url: string, bodyDigest: string, recordingsDir: string) {
    super(
      "not-recorded",
      `Request not recorded: ${method} ${url} (body ${bodyDigest}) is not in ${recordingsDir}`,
      `Replay mode answers only recorded requests. Set HF_TOKEN (environment or .env) for a live answer, or record it: run the call once with HF_TOKEN=hf_... and HF_MODE=record (or HF_MODE=cache), which writes it to ${recordingsDir} (another folder: the recordingsDir option or HF_RECORDINGS_DIR); in the workbook's repository, \`deno task record\` re-records every recording`,
    );
    this.name = "ReplayMissError";
    this.request = redact(`${method} ${url}`);
    this.bodyDigest = bodyDigest;
  }
}

/** Read the service's message out of whichever error envelope it used. */
export function serviceMessage(bodyText: string, contentType: string | null): {
  message: string;
  errorType?: string;
} {
  const text = bodyText.trim();
  if (contentType?.includes("json") || text.startsWith("{")) {
    try {
      return messageOfJson(JSON.parse(text));
    } catch {
      // not JSON after all: fall through to text
    }
  }
  if (/^<!doctype html|^<html/i.test(text) || contentType?.includes("html")) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1>([^<]*)<\/h1>/i.exec(text)?.[1];
    return { message: (title ?? "an HTML error page").trim() };
  }
  return { message: text === "" ? "(empty body)" : cut(text, 500) };
}

function messageOfJson(body: unknown): { message: string; errorType?: string } {
  if (body === null || typeof body !== "object") return { message: JSON.stringify(body) };
  const b = body as Record<string, unknown>;
  const errorType = typeof b.error_type === "string" ? b.error_type : undefined;
  const e = b.error ?? b.detail ?? b.message;
  if (typeof e === "string") {
    const warnings = Array.isArray(b.warnings) && b.warnings.length > 0
      ? ` (warnings: ${b.warnings.map(String).join("; ")})`
      : "";
    return { message: e + warnings, ...(errorType ? { errorType } : {}) };
  }
  if (Array.isArray(e)) {
    const parts = e.map(itemMessage);
    return { message: parts.join("; "), ...(errorType ? { errorType } : {}) };
  }
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    const message = typeof o.message === "string" ? o.message : JSON.stringify(o);
    const type = typeof o.type === "string" ? o.type : errorType;
    const code = typeof o.code === "string" ? ` (${o.code})` : "";
    return { message: message + code, ...(type ? { errorType: type } : {}) };
  }
  return { message: cut(JSON.stringify(body), 500) };
}

/** One item of an error list: a string, or a FastAPI-style `{loc, msg}` (`body.height: Field required`). */
function itemMessage(item: unknown): string {
  if (typeof item === "string") return item;
  const { msg, loc } = (item ?? {}) as { msg?: unknown; loc?: unknown };
  if (typeof msg !== "string") return JSON.stringify(item);
  return Array.isArray(loc) && loc.length > 0 ? `${loc.join(".")}: ${msg}` : msg;
}

/** Build the {@linkcode HfErrorResponse} of an error answer. */
export function errorResponse(status: number, headers: Headers, bodyText: string): HfErrorResponse {
  const { message, errorType } = serviceMessage(bodyText, headers.get("content-type"));
  const errorCode = headers.get("x-error-code") ?? undefined;
  const requestId = headers.get("x-request-id") ?? undefined;
  return {
    status,
    message: redact(message),
    body: cut(redact(bodyText)),
    ...(errorType ? { errorType } : {}),
    ...(errorCode ? { errorCode } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

/** How a retrying caller treats an HTTP status (see {@linkcode RetryClass}). */
export function retryClassOfStatus(status: number): RetryClass {
  if ([408, 429, 500, 502, 504].includes(status)) return "retry";
  if (status === 503 || status === 424) return "retry-few";
  if (status === 401 || status === 402 || status === 403) return "stop";
  return "fail";
}

function kindOfStatus(status: number, r: HfErrorResponse): HfErrorKind {
  switch (status) {
    case 401:
      return "unauthorized";
    case 402:
      return "out-of-credits";
    case 403:
      return r.errorCode === "GatedRepo" || /gated/i.test(r.message) ? "gated" : "forbidden";
    case 404:
      return "not-found";
    case 408:
      return "timeout";
    case 410:
      return "gone";
    case 413:
      return "too-large";
    case 415:
      return "unsupported-media";
    case 422:
      return "validation";
    case 424:
      return "generation";
    case 429:
      return "rate-limited";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "server" : "bad-request";
  }
}

function hintFor(kind: HfErrorKind, url: string, r: HfErrorResponse): string {
  switch (kind) {
    case "unauthorized":
      return "Set HF_TOKEN (environment or .env) to a valid access token from https://huggingface.co/settings/tokens";
    case "out-of-credits":
      return "Your monthly included credits are used up: wait for next month, add credits or PRO (https://huggingface.co/settings/billing), or use your own Inference Endpoint (endpointUrl)";
    case "forbidden":
      return 'Give your fine-grained token the "Make calls to Inference Providers" permission (https://huggingface.co/settings/tokens)';
    case "gated":
      return "This model is gated: accept its conditions on its model page with the account of your token";
    case "not-found":
      return r.errorCode === "RepoNotFound" || /does not exist|not found/i.test(r.message)
        ? "Check the model id (case matters); renamed models answer 307 on the Hub: deno task hf check <model>"
        : "Check the model id and the task's route";
    case "gone":
      return /api-inference\.huggingface\.co/.test(url + r.message)
        ? "The legacy host api-inference.huggingface.co is gone: call https://router.huggingface.co/hf-inference/models/<model> instead (the workbook does)"
        : "This route is gone; use https://router.huggingface.co";
    case "too-large":
      return "The request body is too large: send a smaller input (shorter text, a smaller or compressed file)";
    case "validation":
    case "bad-request":
      return "The service rejected the input or parameters: check them against the task's documented parameters";
    case "generation":
      return "Generation failed on the server: try again, or with other parameters";
    case "rate-limited":
      return "You are sending too fast for your plan: slow down (batch --rate) or try again later";
    case "unavailable":
      return "The model may not be served (a permanent 503 is common for undeployed models): check with deno task hf check <model>, or try later";
    case "server":
      return "The service failed; try again later or with another model";
    default:
      return "See the service's message above";
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the service";
  }
}

function cut(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
