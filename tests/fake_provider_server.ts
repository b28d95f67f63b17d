/**
 * A scriptable fake of the asynchronous Inference Providers, for tests: a real
 * HTTP server on 127.0.0.1 that answers the Hub's mapping look-up, fal-ai's
 * queue (submit, status polls answering `IN_QUEUE` / `IN_PROGRESS`, then
 * `COMPLETED` or `FAILED`, or never finishing; the result with a link),
 * replicate's predictions, wavespeed's task results, and the provider's
 * storage serving the media. Status answers can carry `Retry-After`, and one
 * poll can hang until the client goes away.
 *
 * Requests reach it through {@linkcode FakeProviders.fetch}, which rewrites any
 * `https://` host to the fake and keeps the host the client meant in a header.
 *
 * @example A fal-ai job done on its second status poll
 * ```ts
 * import assert from "node:assert/strict";
 * import { startFakeProviders } from "./fake_provider_server.ts";
 *
 * await using fake = await startFakeProviders();
 * fake.falQueue("fal-ai/ltx-video", { statuses: ["IN_PROGRESS", "COMPLETED"], result: { video: { url: "https://v3.fal.media/files/a.mp4" } } });
 * const submit = await fake.fetch("https://router.huggingface.co/fal-ai/fal-ai/ltx-video?_subdomain=queue", { method: "POST", body: "{}" });
 * const { response_url } = await submit.json();
 * const status = "https://router.huggingface.co/fal-ai" + new URL(response_url).pathname + "/status?_subdomain=queue";
 * assert.equal((await (await fake.fetch(status)).json()).status, "IN_PROGRESS");
 * assert.equal((await (await fake.fetch(status)).json()).status, "COMPLETED");
 * ```
 *
 * @module
 */

const HOST_HEADER = "x-fake-provider-host";

/** A request the fake saw, with the URL the client meant. */
export interface SeenRequest {
  /** The method. */
  method: string;
  /** The URL the client meant (before rewriting). */
  url: string;
  /** The request's headers. */
  headers: Headers;
  /** The body as text. */
  body: string;
}

/** A scripted job. */
export interface FakeJob {
  /**
   * The statuses successive status polls answer, as the provider spells them
   * (the last one repeats: `["IN_PROGRESS"]` never finishes).
   */
  statuses: string[];
  /** The status the submission answers with. @default {"IN_QUEUE" (fal-ai), "starting" (replicate), "created" (wavespeed)} */
  submitStatus?: string;
  /** The result (fal-ai: the result body; replicate: `output`; wavespeed: `outputs`). */
  result?: unknown;
  /** The error message of a failed job. */
  error?: string;
  /** `Retry-After` sent with every status answer that is not final. */
  retryAfter?: string;
  /** The 1-based status poll that hangs until the client goes away. */
  hangAt?: number;
  /** The HTTP status of fal-ai's result answer (`422` for a failed request). @default {200} */
  resultStatus?: number;
}

type Handler = (request: Request, url: URL) => Response | Promise<Response>;

/** The fake providers; close it with `await using` or {@linkcode FakeProviders.close}. */
export interface FakeProviders extends AsyncDisposable {
  /** A `fetch` that sends every `https://` request to the fake. */
  fetch: typeof fetch;
  /** Every request, in order. */
  requests: SeenRequest[];
  /** Answer the Hub's mapping look-up of `model` with these entries (`provider`, `providerId`, `task`, ...). */
  mapping(model: string, entries: Record<string, unknown>[]): void;
  /** Script a fal-ai queue job for `providerId`. */
  falQueue(providerId: string, job: FakeJob): void;
  /** Script a replicate prediction for `owner/name`. */
  replicate(model: string, job: FakeJob): void;
  /** Script a wavespeed task for `providerId`. */
  wavespeed(providerId: string, job: FakeJob): void;
  /** Serve `bytes` at `url` (the provider's storage). */
  media(url: string, bytes: Uint8Array, contentType: string): void;
  /** Answer `METHOD url` with `handler`. */
  on(method: string, url: string, handler: Handler): void;
  /** How many status polls a job path received. */
  polls(prefix: string): number;
  /** Stop the server (answers any hanging request first). */
  close(): Promise<void>;
}

/** Start the fake on a free port of 127.0.0.1. */
export function startFakeProviders(): Promise<FakeProviders> {
  const routes = new Map<string, Handler>();
  const requests: SeenRequest[] = [];
  const hangs = new Set<() => void>();
  const key = (method: string, url: URL) => `${method.toUpperCase()} ${url.host}${url.pathname}${url.search}`;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const local = new URL(request.url);
    const meant = new URL(`https://${request.headers.get(HOST_HEADER)}${local.pathname}${local.search}`);
    const handler = routes.get(key(request.method, meant));
    if (!handler) {
      return Response.json({ error: `fake: no route for ${request.method} ${meant.href}` }, { status: 404 });
    }
    return await handler(request, meant);
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const on = (method: string, url: string, handler: Handler) =>
    routes.set(key(method, new URL(url)), handler);
  const hang = (request: Request) =>
    new Promise<Response>((resolve) => {
      const done = () => resolve(new Response("gone", { status: 499 }));
      hangs.add(done);
      request.signal.addEventListener("abort", done, { once: true });
    });
  const pollCounts = new Map<string, number>();
  const statusAnswer = (job: FakeJob, path: string, request: Request, body: (status: string) => unknown) => {
    const n = (pollCounts.get(path) ?? 0) + 1;
    pollCounts.set(path, n);
    if (job.hangAt === n) return hang(request);
    const status = job.statuses[Math.min(n, job.statuses.length) - 1] ?? "IN_PROGRESS";
    const final = ["COMPLETED", "FAILED", "succeeded", "failed", "canceled", "completed"].includes(status);
    const headers: Record<string, string> = !final && job.retryAfter ? { "retry-after": job.retryAfter } : {};
    return Response.json(body(status), { headers });
  };
  let ids = 0;

  const fake: FakeProviders = {
    requests,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const body = request.body ? await request.clone().text() : "";
      requests.push({ method: request.method, url: url.href, headers: request.headers, body });
      const headers = new Headers(request.headers);
      headers.set(HOST_HEADER, url.host);
      return await fetch(`${origin}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        ...(body ? { body } : {}),
        signal: request.signal,
      });
    },
    mapping(model, entries) {
      on(
        "GET",
        `https://huggingface.co/api/models/${model}?expand[]=inferenceProviderMapping`,
        () =>
          Response.json({
            id: model,
            inferenceProviderMapping: entries.map((e) => ({ hfModelId: model, status: "live", ...e })),
          }),
      );
    },
    falQueue(providerId, job) {
      const id = `req-${++ids}`;
      const path = `/${providerId}/requests/${id}`;
      on("POST", `https://router.huggingface.co/fal-ai/${providerId}?_subdomain=queue`, () =>
        Response.json({
          request_id: id,
          status: job.submitStatus ?? "IN_QUEUE",
          response_url: `https://queue.fal.run${path}`,
          status_url: `https://queue.fal.run${path}/status`,
          cancel_url: `https://queue.fal.run${path}/cancel`,
        }));
      on(
        "GET",
        `https://router.huggingface.co/fal-ai${path}/status?_subdomain=queue`,
        (request) =>
          statusAnswer(job, path, request, (status) => ({
            status,
            request_id: id,
            ...(status === "FAILED" ? { error: job.error ?? "failed" } : {}),
          })),
      );
      on(
        "GET",
        `https://router.huggingface.co/fal-ai${path}?_subdomain=queue`,
        () => Response.json(job.result ?? {}, { status: job.resultStatus ?? 200 }),
      );
    },
    replicate(model, job) {
      const id = `pred-${++ids}`;
      const prediction = (status: string) => ({
        id,
        model,
        status,
        output: status === "succeeded" ? job.result : null,
        error: status === "failed" ? job.error ?? "failed" : null,
        urls: { get: `https://api.replicate.com/v1/predictions/${id}` },
      });
      on(
        "POST",
        `https://router.huggingface.co/replicate/v1/models/${model}/predictions`,
        () => Response.json(prediction(job.submitStatus ?? "starting"), { status: 201 }),
      );
      on(
        "GET",
        `https://router.huggingface.co/replicate/v1/predictions/${id}`,
        (request) => statusAnswer(job, id, request, prediction),
      );
    },
    wavespeed(providerId, job) {
      const id = `ws-${++ids}`;
      const get = `https://api.wavespeed.ai/api/v3/predictions/${id}/result`;
      const data = (status: string) => ({
        code: 200,
        message: "success",
        data: {
          id,
          status,
          urls: { get },
          outputs: status === "completed" ? job.result : [],
          ...(status === "failed" ? { error: job.error ?? "failed" } : {}),
        },
      });
      on(
        "POST",
        `https://router.huggingface.co/wavespeed/api/v3/${providerId}`,
        () => Response.json(data(job.submitStatus ?? "created")),
      );
      on(
        "GET",
        `https://router.huggingface.co/wavespeed/api/v3/predictions/${id}/result`,
        (request) => statusAnswer(job, id, request, data),
      );
    },
    media(url, bytes, contentType) {
      on(
        "GET",
        url,
        () => new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }),
      );
    },
    on,
    polls: (prefix) => [...pollCounts].filter(([k]) => k.includes(prefix)).reduce((sum, [, n]) => sum + n, 0),
    async close() {
      for (const done of hangs) done();
      await server.shutdown();
    },
    [Symbol.asyncDispose]() {
      return fake.close();
    },
  };
  return Promise.resolve(fake);
}
