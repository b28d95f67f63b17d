/**
 * Whether and how long to wait before trying again: what the server asked
 * for (`Retry-After` in seconds or as an HTTP date, the Hub's
 * `RateLimit ... t=`, the legacy `estimated_time`), clamped; otherwise
 * exponential backoff with full jitter and a cap. And what a request that got
 * no answer stands for: a permission the Deno sandbox refused and a host that
 * does not exist are not retried; a refused or reset connection is.
 *
 * @module
 */

import {
  HfHostNotFoundError,
  HfNetworkError,
  HfPermissionError,
  type HfWorkbookError,
  type RetryClass,
} from "../errors.ts";
import { redact } from "../env.ts";

/** Options of the live transport's retries and timeouts. */
export interface RetryOptions {
  /** Attempts in all for retryable failures (429, 5xx, network errors, timeouts). @default {4} */
  maxAttempts?: number;
  /** Attempts in all for 503 and 424, which may be permanent. @default {3} */
  maxUnavailableAttempts?: number;
  /** The first backoff step, in ms. @default {1000} */
  baseDelayMs?: number;
  /** The largest backoff, in ms. @default {30000} */
  maxDelayMs?: number;
  /** The longest wait a server may ask for (Retry-After and the like), in ms. @default {60000} */
  maxRetryAfterMs?: number;
  /** How long one attempt may take, headers and body, in ms. @default {120000} */
  attemptTimeoutMs?: number;
  /** Sleep for `ms`, rejecting at once when `signal` aborts (tests inject a fake clock here). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter. @default {Math.random} */
  random?: () => number;
  /** Told before each wait: what failed, and how long the wait is. */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Look a host name up after a request to it got no answer: rejects with an
   * error whose `code` is `ENOTFOUND` when the name does not exist (tests
   * inject one). When not given: node:dns lookup.
   */
  resolveHost?: (hostname: string) => Promise<unknown>;
}

/** What {@linkcode RetryOptions.onRetry} is told. */
export interface RetryInfo {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  /** The HTTP status, or 0 for a network error or timeout. */
  status: number;
  /** Whether the wait is what the server asked for (not backoff). */
  serverAsked: boolean;
  /** `METHOD URL` of the request. */
  request: string;
}

/** {@linkcode RetryOptions} with every default filled in. */
export type ResolvedRetry = Required<Omit<RetryOptions, "onRetry">> & Pick<RetryOptions, "onRetry">;

/**
 * Fill in the defaults, checking the numbers: the one place attempt counts
 * and delays are checked.
 *
 * @throws {RangeError} when an attempt count is not a whole number of at least 1, or a delay is negative.
 */
export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  const r: ResolvedRetry = {
    maxAttempts: options.maxAttempts ?? 4,
    maxUnavailableAttempts: options.maxUnavailableAttempts ?? 3,
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 120_000,
    sleep: options.sleep ?? abortableSleep,
    random: options.random ?? Math.random,
    resolveHost: options.resolveHost ?? lookupHost,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  };
  for (const name of ["maxAttempts", "maxUnavailableAttempts"] as const) {
    if (!Number.isInteger(r[name]) || r[name] < 1) {
      throw new RangeError(`Cannot retry: "${name}" must be a whole number of at least 1, got ${r[name]}`);
    }
  }
  for (const name of ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs", "attemptTimeoutMs"] as const) {
    if (!Number.isFinite(r[name]) || r[name] < 0) {
      throw new RangeError(`Cannot retry: "${name}" must be a number of milliseconds, got ${r[name]}`);
    }
  }
  return r;
}

/**
 * The wait the server asked for, in ms, or `undefined` when it asked for none:
 * `Retry-After` (seconds or HTTP date), `RateLimit: ...;t=<seconds>`, or a
 * JSON body's `estimated_time` (seconds).
 *
 * @example Retry-After in both forms
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverAskedDelay } from "@hf-workbook/workbook/transport";
 *
 * assert.equal(serverAskedDelay(new Headers({ "retry-after": "7" })), 7000);
 * const now = Date.parse("2026-01-01T00:00:00Z");
 * const date = new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" });
 * assert.equal(serverAskedDelay(date, undefined, now), 30000);
 * ```
 */
export function serverAskedDelay(
  headers: Headers,
  body?: string,
  now: number = Date.now(),
): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const rateLimit = headers.get("ratelimit");
  const t = rateLimit ? /(?:^|[;,\s])t=(\d+(?:\.\d+)?)/.exec(rateLimit)?.[1] : undefined;
  if (t !== undefined) return Math.round(Number(t) * 1000);
  if (body !== undefined && body.includes("estimated_time")) {
    try {
      const estimated = (JSON.parse(body) as { estimated_time?: unknown }).estimated_time;
      if (typeof estimated === "number" && Number.isFinite(estimated) && estimated >= 0) {
        return Math.round(estimated * 1000);
      }
    } catch {
      // not JSON: no estimate
    }
  }
  return undefined;
}

/**
 * The wait before attempt `attempt + 1`: the server's ask clamped to
 * `maxRetryAfterMs`, else full jitter: a random wait in
 * `[0, min(maxDelayMs, baseDelayMs · 2^(attempt-1)))`.
 */
export function backoffDelay(attempt: number, retry: ResolvedRetry, asked?: number): number {
  if (asked !== undefined) return Math.min(asked, retry.maxRetryAfterMs);
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(retry.random() * ceiling);
}

/**
 * How many attempts in all a failure of `retryClass` gets: `maxAttempts` for
 * `retry`, `maxUnavailableAttempts` (at most `maxAttempts`) for `retry-few`,
 * one for the others.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { attemptsFor } from "./retry.ts";
 * import { resolveRetry } from "@hf-workbook/workbook/transport";
 *
 * assert.equal(attemptsFor("retry", resolveRetry()), 4);
 * assert.equal(attemptsFor("retry-few", resolveRetry()), 3);
 * assert.equal(attemptsFor("stop", resolveRetry()), 1);
 * ```
 */
export function attemptsFor(retryClass: RetryClass, retry: ResolvedRetry): number {
  if (retryClass === "retry") return retry.maxAttempts;
  if (retryClass === "retry-few") return Math.min(retry.maxUnavailableAttempts, retry.maxAttempts);
  return 1;
}

/**
 * Wait before attempt `attempt + 1`: what the server `asked` (clamped), else
 * backoff; tells `onRetry` first. Rejects at once when `signal` aborts.
 */
export async function waitToRetry(
  attempt: number,
  status: number,
  asked: number | undefined,
  retry: ResolvedRetry,
  request: string,
  signal?: AbortSignal,
): Promise<void> {
  const delayMs = backoffDelay(attempt, retry, asked);
  retry.onRetry?.({ attempt, delayMs, status, serverAsked: asked !== undefined, request });
  await retry.sleep(delayMs, signal);
}

/** Sleep `ms`, rejecting with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The host name lookup of {@linkcode RetryOptions.resolveHost}: the system's resolver, loaded when first needed. */
async function lookupHost(hostname: string): Promise<unknown> {
  const { lookup } = await import("node:dns/promises");
  return await lookup(hostname);
}

/** How long a look-up after a failure may take before the failure counts as a plain network error, in ms. */
const LOOKUP_TIMEOUT_MS = 2000;

/** Whether `url`'s host name does not exist, asked of `resolve` (an IP address or localhost always exists). */
async function hostNotFound(url: string, resolve: ResolvedRetry["resolveHost"]): Promise<boolean> {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return false;
  }
  if (hostname === "localhost" || /^[\d.]+$|^\[.*\]$/.test(hostname)) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((
    done,
  ) => (timer = setTimeout(() => done("timeout"), LOOKUP_TIMEOUT_MS)));
  try {
    await Promise.race([resolve(hostname), timeout]);
    return false;
  } catch (error) {
    return (error as { code?: unknown })?.code === "ENOTFOUND";
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The workbook error of a request that got no answer, by the class of what
 * was thrown (never its text): `Deno.errors.NotCapable` is a permission the
 * sandbox refused ({@linkcode HfPermissionError}); a host name that does not
 * resolve is {@linkcode HfHostNotFoundError}; anything else, a timeout
 * included, is an {@linkcode HfNetworkError} (retried).
 *
 * @example A refused permission is not a network error
 * ```ts
 * import assert from "node:assert/strict";
 * import { networkFailure } from "./retry.ts";
 * import { resolveRetry } from "@hf-workbook/workbook/transport";
 *
 * const refused = new Deno.errors.NotCapable('Requires net access to "127.0.0.1:8123"');
 * const error = await networkFailure(refused, "POST", "http://127.0.0.1:8123/", 1, false, resolveRetry());
 * assert.equal(error.kind, "not-permitted");
 * assert.equal(error.retryClass, "stop");
 * ```
 */
export async function networkFailure(
  error: unknown,
  method: string,
  url: string,
  attempt: number,
  timedOut: boolean,
  retry: ResolvedRetry,
): Promise<HfWorkbookError> {
  if (error instanceof Deno.errors.NotCapable) return new HfPermissionError(method, url, error);
  if (!timedOut && error instanceof TypeError && await hostNotFound(url, retry.resolveHost)) {
    return new HfHostNotFoundError(method, url, error);
  }
  return new HfNetworkError(method, url, failureDetail(error, timedOut), attempt, timedOut, error);
}

/** What failed, in a few words: the timeout, else the innermost cause's message (redacted). */
export function failureDetail(error: unknown, timedOut: boolean): string {
  if (timedOut) return error instanceof DOMException ? error.message : "timed out";
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return redact(inner instanceof Error ? inner.message : String(inner));
}
