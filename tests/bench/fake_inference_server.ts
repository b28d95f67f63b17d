/**
 * A lean fake Inference server for the benchmark, run as its own process on
 * 127.0.0.1 so it does not share an event loop with the runner it measures.
 *
 * Every `POST` is a task call: it answers `[{"summary_text": ...}]` after
 * `--latency` ms. In front of it sits one rate limiter of the shapes in
 * tests/fake_limiters.ts (`--shape '{"kind":"token-bucket","rate":50,"burst":5}'`),
 * which answers `429` at once with its `Retry-After` and a router-like body;
 * a seeded fraction `--p503` of the admitted calls answers `503` at once.
 * `GET /__stats` returns the counts, `POST /__reset` zeroes them (the limiter
 * too), `POST /__shape` replaces the limiter with the JSON body's shape. It
 * prints `listening <port>` and stops by itself after `--max-seconds`.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 tests/bench/fake_inference_server.ts --latency 100 --p503 0.01 \
 *   --shape '{"kind":"sliding-window","limit":50,"windowMs":1000}'
 * ```
 *
 * @module
 */

import { createLimiter, type Limiter, type LimiterShape } from "../fake_limiters.ts";

interface Config {
  latencyMs: number;
  shape: LimiterShape;
  p503: number;
  maxSeconds: number;
  seed: number;
}

function parseArgs(args: string[]): Config {
  const value = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? undefined : args[at + 1];
  };
  return {
    latencyMs: Number(value("latency") ?? 100),
    shape: JSON.parse(value("shape") ?? '{"kind":"none"}') as LimiterShape,
    p503: Number(value("p503") ?? 0),
    maxSeconds: Number(value("max-seconds") ?? 900),
    seed: Number(value("seed") ?? 42),
  };
}

/** A small seeded PRNG (mulberry32), so runs see the same 503s. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const config = parseArgs(Deno.args);
let random = prng(config.seed);
// The clock of a limiter in front of the service: wall time, so fixed windows fall on whole seconds.
const wallClock = () => performance.timeOrigin + performance.now();
let limiter: Limiter = createLimiter(config.shape, wallClock);
const stats = { requests: 0, ok: 0, rateLimited: 0, unavailable: 0, ids: {} as Record<string, number> };
/** Every task call since the last reset: when it arrived (ms after the reset) and how it was answered. */
let arrivals: [number, number][] = [];
let resetAt = performance.now();
const body = JSON.stringify([{ summary_text: "a short summary" }]);
const rejected = JSON.stringify({ error: "Rate limit reached. Please log in or use a HF access token" });

function reset() {
  Object.assign(stats, { requests: 0, ok: 0, rateLimited: 0, unavailable: 0, ids: {} });
  limiter.reset();
  random = prng(config.seed);
  arrivals = [];
  resetAt = performance.now();
}

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
  const url = new URL(request.url);
  if (request.method === "GET" && url.pathname === "/__stats") return Response.json(stats);
  if (request.method === "GET" && url.pathname === "/__arrivals") return Response.json(arrivals);
  if (request.method === "POST" && url.pathname === "/__reset") {
    reset();
    return Response.json(stats);
  }
  if (request.method === "POST" && url.pathname === "/__shape") {
    limiter = createLimiter(await request.json() as LimiterShape, wallClock);
    reset();
    return Response.json(stats);
  }
  // The limiter decides on arrival, before the body is read, as a gateway in front of the service does.
  stats.requests++;
  const retryAfter = limiter.admit();
  const arrival: [number, number] = [Math.round((performance.now() - resetAt) * 100) / 100, 200];
  arrivals.push(arrival);
  if (retryAfter !== undefined) {
    arrival[1] = 429;
    await request.body?.cancel();
    stats.rateLimited++;
    return new Response(rejected, {
      status: 429,
      headers: { "content-type": "application/json", "retry-after": String(retryAfter) },
    });
  }
  const text = await request.text();
  if (config.p503 > 0 && random() < config.p503) {
    stats.unavailable++;
    arrival[1] = 503;
    return new Response("Service Unavailable", { status: 503, headers: { "content-type": "text/plain" } });
  }
  if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));
  stats.ok++;
  // Count the answers per input, so the benchmark sees whether an item was answered twice.
  const key = /number (\d+) /.exec(text)?.[1];
  if (key !== undefined) stats.ids[key] = (stats.ids[key] ?? 0) + 1;
  return new Response(body, { headers: { "content-type": "application/json" } });
});

console.log(`listening ${server.addr.port}`);
setTimeout(() => server.shutdown(), config.maxSeconds * 1000);
await server.finished;
