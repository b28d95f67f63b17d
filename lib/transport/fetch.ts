/**
 * The single road every HTTP request of the workbook takes: a `fetch` that
 * answers from recordings, goes live with bounded retries and timeouts, or
 * both, by mode; and turns every error answer into an
 * {@linkcode HfApiError} that keeps the service's own message.
 *
 * @module
 */

import { redact } from "../env.ts";
import { defaultRecordingsDir } from "./_recordings_dir.ts";
import {
  errorResponse,
  HfApiError,
  HfNetworkError,
  HfOutputError,
  ReplayMissError,
  retryClassOfStatus,
  serviceMessage,
} from "../errors.ts";
import { type Mode, resolveMode } from "./mode.ts";
import {
  type CanonicalBody,
  canonicalBody,
  type Origin,
  RecordingStore,
  type ReplayedResponse,
  requestKey,
  type RequestShape,
  shortDigest,
} from "./recordings.ts";
import {
  attemptsFor,
  failureDetail,
  networkFailure,
  type ResolvedRetry,
  resolveRetry,
  type RetryOptions,
  serverAskedDelay,
  waitToRetry,
} from "./retry.ts";

/** Options of {@linkcode createTransport}. */
export interface TransportOptions {
  /** The mode; else `HF_MODE`, else live with a token and replay without. */
  mode?: Mode;
  /** The recordings file (without `.json`) that record and cache modes write to. @default {"query"} */
  recording?: string;
  /**
   * The recordings folder (a path, relative to the working folder, or a
   * `file:` URL). When not given: HF_RECORDINGS_DIR, else this repository's recordings/ when the library runs from a checkout of it, else `recordings` in the working folder.
   */
  recordingsDir?: string | URL;
  /** The network edge: replaces only the final `fetch` call, as in `@huggingface/inference`. @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** The caller's signal: aborting it ends the call at once, during a wait too. */
  signal?: AbortSignal;
  /** Retries and timeouts of live calls. */
  retry?: RetryOptions;
  /** Told of every final answer (after retries), with its body, before it is returned. */
  onResponse?: (exchange: Exchange) => void;
  /**
   * Treat the same request sent again as the next step of a sequence (a
   * polled job's status: in progress, then done): replay answers it with the
   * next recorded answer, record and cache add it to the recording's `later`
   * answers. Otherwise a request sent again is answered (and re-recorded) as
   * the first time. @default {false}
   */
  sequence?: boolean;
}

/** A final answer, as {@linkcode TransportOptions.onResponse} is told of it. */
export interface Exchange {
  /** The request. */
  method: string;
  /** The request's URL. */
  url: string;
  /** The status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The body; empty for a stream passed through unread. */
  body: Uint8Array;
  /** Where the answer came from. */
  from: "recording" | "network";
  /** How many attempts were made (0 for a recording). */
  attempts: number;
  /** Where the recorded answer came from (recordings only). */
  origin?: Origin;
}

/**
 * The one process-wide cache of the transport: a recording store per folder,
 * keyed by the folder's path (what a store holds is what the folder's files
 * hold, so sharing it changes no answer), emptied by
 * {@linkcode forgetRecordingStores}.
 */
const stores = new Map<string, RecordingStore>();

/**
 * Forget every folder's recording store: the next call reads the recordings
 * files again. For a process that changed them behind the stores' back (a
 * copy restored, a file edited by hand).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forgetRecordingStores, recordingStore } from "@hf-workbook/workbook/transport";
 *
 * const first = recordingStore("recordings");
 * assert.equal(recordingStore("recordings"), first);
 * forgetRecordingStores();
 * assert.notEqual(recordingStore("recordings"), first);
 * ```
 */
export function forgetRecordingStores(): void {
  stores.clear();
}

/**
 * The recording store of a folder (one per folder per process, so the index
 * is read once). Without `dir`: `HF_RECORDINGS_DIR`, else this repository's
 * recordings/ when the library runs from a checkout of it, else `recordings`
 * in the working folder.
 */
export function recordingStore(dir?: string | URL): RecordingStore {
  const chosen = dir ?? defaultRecordingsDir();
  const probe = new RecordingStore(chosen);
  const existing = stores.get(probe.dir);
  if (existing) return existing;
  stores.set(probe.dir, probe);
  return probe;
}

/**
 * A `fetch` for `@huggingface/inference` (or anything else) that takes the
 * workbook's road: by mode, with retries, timeouts, recording and error
 * mapping. Error answers (non-2xx, or a 2xx `{"error": ...}` body) are thrown
 * as workbook errors; a successful answer is returned as a `Response`.
 *
 * @example Replaying without a network
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTransport } from "@hf-workbook/workbook/transport";
 *
 * const transport = createTransport({
 *   mode: "replay",
 *   fetch: () => Promise.reject(new Error("replay must not touch the network")),
 * });
 * const url = "https://huggingface.co/api/models/csebuetnlp/mT5_multilingual_XLSum?expand[]=inferenceProviderMapping";
 * const response = await transport(url);
 * assert.equal(response.status, 200);
 * ```
 */
export function createTransport(options: TransportOptions = {}): typeof fetch {
  const road: Road = {
    options,
    mode: options.mode ?? resolveMode().mode,
    store: recordingStore(options.recordingsDir),
    retry: resolveRetry(options.retry),
    edge: options.fetch ?? globalThis.fetch,
    recording: options.recording ?? "query",
    repeats: new Map(),
  };
  return (input: RequestInfo | URL, init?: RequestInit) => travel(road, input, init);
}

/** What one transport keeps for every request it takes: its settings, its store, its sequence counts. */
interface Road {
  options: TransportOptions;
  mode: Mode;
  store: RecordingStore;
  retry: ResolvedRetry;
  edge: typeof fetch;
  recording: string;
  /** How often each recorded request was sent: a polled job's sequence. */
  repeats: Map<string, number>;
}

/** One request on the road: a recording when the mode allows one, else the network. */
async function travel(road: Road, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const { options, mode, store } = road;
  const request = await shapeOf(input, init);
  const signal = anySignal(options.signal, init?.signal ?? undefined);
  signal?.throwIfAborted();
  // The canonical body and the key are for recordings only: a live call computes neither (no digest per call).
  const canonical = mode === "live" ? undefined : await canonicalBody(request.body);
  const key = canonical && await requestKey(request.method, request.url, canonical.canonical);
  const repeat = key === undefined || !options.sequence ? 0 : road.repeats.get(key) ?? 0;
  if (key !== undefined && options.sequence) road.repeats.set(key, repeat + 1);

  if (key !== undefined && (mode === "replay" || mode === "cache")) {
    const found = await store.find(key, repeat, road.recording);
    if (found) return await replayed(road, request, found);
    if (mode === "replay" && canonical) {
      throw new ReplayMissError(
        request.method,
        request.url,
        await shortDigest(canonical.canonical),
        store.dir,
      );
    }
  }

  const answer = await sendLive(road.edge, request, init, signal, road.retry);
  if (canonical && (mode === "record" || (mode === "cache" && worthCaching(answer.status)))) {
    await saveAnswer(store, road.recording, request, canonical, answer, repeat);
  }
  options.onResponse?.({
    method: request.method,
    url: request.url,
    status: answer.status,
    headers: answer.headers,
    body: answer.body,
    from: "network",
    attempts: answer.attempts,
  });
  checkAnswer(request, answer.status, answer.headers, answer.body, answer.attempts);
  if (answer.stream) return answer.stream;
  return new Response(nullBodyStatus(answer.status) ? null : answer.body as Uint8Array<ArrayBuffer>, {
    status: answer.status,
    statusText: answer.statusText,
    headers: answer.headers,
  });
}

/** The recorded answer to a request, told to `onResponse` and checked as a live one is. */
async function replayed(road: Road, request: RequestShape, found: ReplayedResponse): Promise<Response> {
  const r = found.response;
  const body = await road.store.bodyOf(r);
  const headers = new Headers(r.headers);
  road.options.onResponse?.({
    method: request.method,
    url: request.url,
    status: r.status,
    headers,
    body,
    from: "recording",
    attempts: 0,
    origin: found.interaction.origin,
  });
  checkAnswer(request, r.status, headers, body, 1);
  return new Response(nullBodyStatus(r.status) ? null : body as Uint8Array<ArrayBuffer>, {
    status: r.status,
    headers,
  });
}

interface LiveAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  body: Uint8Array;
  attempts: number;
  /** A successful event stream, passed through unread (live mode only). */
  stream?: Response;
}

async function sendLive(
  edge: typeof fetch,
  request: RequestShape,
  init: RequestInit | undefined,
  signal: AbortSignal | undefined,
  retry: ResolvedRetry,
): Promise<LiveAnswer> {
  const what = `${request.method} ${redact(request.url)}`;
  for (let attempt = 1;; attempt++) {
    const attemptController = new AbortController();
    const timeout = timeoutOf(retry.attemptTimeoutMs); // made only when it fires: a DOMException captures a stack
    const timer = setTimeout(() => attemptController.abort(timeout()), retry.attemptTimeoutMs);
    const onAbort = () => attemptController.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    let answer: LiveAnswer;
    let streaming = false;
    try {
      const response = await edge(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body.length > 0 ? request.body as Uint8Array<ArrayBuffer> : null,
        signal: attemptController.signal,
        redirect: init?.redirect ?? "follow",
      });
      answer = await answerOf(response, {
        request,
        attempt,
        idleMs: retry.attemptTimeoutMs,
        attemptController,
        timeout,
        release: () => signal?.removeEventListener("abort", onAbort),
        signal,
      });
      streaming = answer.stream !== undefined; // the caller's abort must still end the stream: the guard keeps the listener
      if (streaming) return answer;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const timedOut = timeout.made !== undefined && attemptController.signal.reason === timeout.made;
      // By class, never by text: a refused permission or a host that does not exist is not retried.
      const failure = await networkFailure(error, request.method, request.url, attempt, timedOut, retry);
      if (attempt >= attemptsFor(failure.retryClass, retry)) throw failure;
      await waitToRetry(attempt, 0, undefined, retry, what, signal);
      continue;
    } finally {
      clearTimeout(timer);
      if (!streaming) signal?.removeEventListener("abort", onAbort);
    }
    const retryClass = answer.status >= 400 ? retryClassOfStatus(answer.status) : "fail";
    if (attempt >= attemptsFor(retryClass, retry)) return answer;
    const asked = serverAskedDelay(answer.headers, new TextDecoder().decode(answer.body));
    await waitToRetry(attempt, answer.status, asked, retry, what, signal);
  }
}

/** One attempt's answer: a successful event stream passed through, guarded (live mode); anything else read whole. */
async function answerOf(response: Response, guard: StreamGuard): Promise<LiveAnswer> {
  const head = {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    attempts: guard.attempt,
  };
  const type = response.headers.get("content-type") ?? "";
  if (response.ok && type.startsWith("text/event-stream") && response.body) {
    return { ...head, body: new Uint8Array(), stream: guardStream(response, response.body, guard) };
  }
  return { ...head, body: new Uint8Array(await response.arrayBuffer()) };
}

/** The timeout error of an attempt, made on first use (then always the same one, as `made`). */
interface LazyTimeout {
  (): DOMException;
  made?: DOMException;
}

function timeoutOf(ms: number): LazyTimeout {
  const timeout: LazyTimeout =
    () => (timeout.made ??= new DOMException(`no answer within ${ms} ms`, "TimeoutError"));
  return timeout;
}

/** What {@linkcode guardStream} needs to know of the attempt that got the stream. */
interface StreamGuard {
  request: RequestShape;
  attempt: number;
  /** The longest wait for the next bytes of the stream. */
  idleMs: number;
  attemptController: AbortController;
  timeout: LazyTimeout;
  /** Lets go of the caller's signal. */
  release: () => void;
  signal: AbortSignal | undefined;
}

/**
 * A successful event stream, passed through as it arrives but guarded: when
 * no bytes come for `idleMs` (the per-attempt timeout, counted from the last
 * bytes) or the connection breaks mid-body, reading it fails with an
 * {@linkcode HfNetworkError}; the caller's abort ends it at once with the
 * abort reason. It is never retried: part of it has been handed over.
 */
function guardStream(response: Response, upstream: ReadableStream<Uint8Array>, guard: StreamGuard): Response {
  const reader = upstream.getReader();
  const { request, attempt, idleMs, attemptController, timeout } = guard;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = () => {
    clearTimeout(timer);
    guard.release();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      timer = setTimeout(() => attemptController.abort(timeout()), idleMs);
      try {
        const { done, value } = await reader.read();
        clearTimeout(timer);
        if (done) {
          finish();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        finish();
        if (guard.signal?.aborted) {
          controller.error(guard.signal.reason);
          return;
        }
        const timedOut = timeout.made !== undefined && attemptController.signal.reason === timeout.made;
        const detail = timedOut
          ? `the event stream stalled: no data within ${idleMs} ms`
          : `the event stream broke off before its end: ${failureDetail(error, false)}`;
        controller.error(new HfNetworkError(request.method, request.url, detail, attempt, timedOut, error));
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function saveAnswer(
  store: RecordingStore,
  recording: string,
  request: RequestShape,
  canonical: CanonicalBody,
  answer: LiveAnswer,
  repeat: number,
): Promise<void> {
  if (answer.stream) {
    const [forRecording, forCaller] = answer.stream.body?.tee() ?? [null, null];
    answer.body = forRecording
      ? new Uint8Array(await new Response(forRecording).arrayBuffer())
      : new Uint8Array();
    answer.stream = undefined;
    void forCaller?.cancel();
  }
  const origin: Origin = { kind: "recorded", date: new Date().toISOString().slice(0, 10) };
  await store.save(recording, request, canonical, answer, origin, repeat);
}

/**
 * Whether cache mode keeps an answer: a success, or a rejection of the input
 * that the same request will meet again (400, 404, 422, ...). A failure that
 * may pass (401/402/403 until the token is fixed, 429, 5xx, 503) is not kept,
 * or the cache would replay it for ever. Record mode keeps everything.
 */
function worthCaching(status: number): boolean {
  return status < 400 || retryClassOfStatus(status) === "fail";
}

/**
 * Throw the workbook error an answer stands for: an error status, a 2xx
 * `{"error": ...}` body, or a 2xx JSON body that does not parse.
 */
function checkAnswer(
  request: RequestShape,
  status: number,
  headers: Headers,
  body: Uint8Array,
  attempts: number,
) {
  if (status >= 300 && status < 400) return;
  const text = () => new TextDecoder().decode(body);
  if (status >= 400 || status < 200) {
    throw new HfApiError(request.method, request.url, errorResponse(status, headers, text()), attempts);
  }
  const type = headers.get("content-type") ?? "";
  if (!type.includes("json") || body.length === 0) return;
  let value: unknown;
  try {
    value = JSON.parse(text());
  } catch (error) {
    throw new HfOutputError(
      `Hugging Face answered ${status} to ${request.method} ${request.url} with JSON that does not parse: ${
        (error as Error).message
      }`,
      text(),
      { cause: error },
    );
  }
  if (isErrorEnvelope(value)) {
    throw new HfOutputError(
      `Hugging Face answered ${status} to ${request.method} ${request.url} with an error: ${
        serviceMessage(text(), type).message
      }`,
      text(),
    );
  }
}

function isErrorEnvelope(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.includes("error") &&
    keys.every((k) => ["error", "error_type", "warnings", "estimated_time"].includes(k));
}

/** Methods a request can have and a body with (`GET` and `HEAD` cannot), as `new Request` checks them. */
const PLAIN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The request as the transport keeps it. A URL with no body, a text or a
 * bytes body (what `@huggingface/inference` sends) is read as it is, as `new
 * Request` would read it: the class costs a replayed call some 1.5 ms, Deno
 * loading it on its first use. Anything else goes through `Request`.
 */
async function shapeOf(input: RequestInfo | URL, init?: RequestInit): Promise<RequestShape> {
  const given = init?.body ?? null;
  const method = (init?.method ?? "GET").toUpperCase();
  const plain = (typeof input === "string" || input instanceof URL) && PLAIN_METHODS.has(method) &&
    (given === null ||
      ((typeof given === "string" || given instanceof Uint8Array || given instanceof ArrayBuffer) &&
        method !== "GET" && method !== "HEAD"));
  if (plain) {
    const headers = new Headers(init?.headers);
    if (typeof given === "string" && !headers.has("content-type")) {
      headers.set("content-type", "text/plain;charset=UTF-8");
    }
    const body = typeof given === "string"
      ? new TextEncoder().encode(given)
      : given === null
      ? new Uint8Array()
      : given instanceof ArrayBuffer
      ? new Uint8Array(given.slice(0))
      : new Uint8Array(given); // a copy, as Request takes one
    return { method, url: new URL(input).href, body, contentType: headers.get("content-type"), headers };
  }
  const req = new Request(input, init);
  const body = req.body ? new Uint8Array(await req.arrayBuffer()) : new Uint8Array();
  return {
    method: req.method.toUpperCase(),
    url: req.url,
    body,
    contentType: req.headers.get("content-type"),
    headers: req.headers,
  };
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}
