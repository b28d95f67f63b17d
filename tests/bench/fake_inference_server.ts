/**
 * A lean fake Inference server for the benchmark, run as its own process on
 * 127.0.0.1 so it does not share an event loop with the runner it measures.
 *
 * Every `POST` is a task call: it answers `[{"summary_text": ...}]` after
 * `--latency` ms; over `--rate` accepted requests in any sliding second it
 * answers `429` at once with `Retry-After` (whole seconds until a slot frees,
 * as HTTP says, at least 1); a seeded fraction `--p503` of calls answers
 * `503` at once. `GET /__stats` returns the counts, `POST /__reset` zeroes
 * them. It prints `listening <port>` and stops by itself after
 * `--max-seconds`.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 tests/bench/fake_inference_server.ts --latency 100 --rate 50 --p503 0.005
 * ```
 *
 * @module
 */

interface Config {
  latencyMs: number;
  rate: number;
  p503: number;
  maxSeconds: number;
  seed: number;
}

function parseArgs(args: string[]): Config {
  const value = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? fallback : Number(args[at + 1]);
  };
  return {
    latencyMs: value("latency", 100),
    rate: value("rate", 0),
    p503: value("p503", 0),
    maxSeconds: value("max-seconds", 900),
    seed: value("seed", 42),
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
const random = prng(config.seed);
const stats = { requests: 0, ok: 0, rateLimited: 0, unavailable: 0, first: 0, last: 0 };
/** Arrival times (ms) of the requests accepted in the last second. */
let accepted: number[] = [];
const body = JSON.stringify([{ summary_text: "a short summary" }]);

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
  const now = performance.now(); // the arrival, as a rate limiter in front of the service sees it
  const url = new URL(request.url);
  if (request.method === "GET" && url.pathname === "/__stats") return Response.json(stats);
  if (request.method === "POST" && url.pathname === "/__reset") {
    Object.assign(stats, { requests: 0, ok: 0, rateLimited: 0, unavailable: 0, first: 0, last: 0 });
    accepted = [];
    return Response.json(stats);
  }
  await request.arrayBuffer();
  stats.requests++;
  if (stats.first === 0) stats.first = Date.now();
  stats.last = Date.now();
  if (config.rate > 0) {
    let drop = 0;
    while (drop < accepted.length && accepted[drop]! <= now - 1000) drop++;
    if (drop > 0) accepted = accepted.slice(drop);
    if (accepted.length >= config.rate) {
      stats.rateLimited++;
      const wait = Math.max(1, Math.ceil((accepted[0]! + 1000 - now) / 1000));
      return Response.json(
        { error: "Rate limit reached. Please log in or use a HF access token" },
        { status: 429, headers: { "retry-after": String(wait) } },
      );
    }
    accepted.push(now);
  }
  if (config.p503 > 0 && random() < config.p503) {
    stats.unavailable++;
    return new Response("Service Unavailable", { status: 503, headers: { "content-type": "text/plain" } });
  }
  if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));
  stats.ok++;
  return new Response(body, { headers: { "content-type": "application/json" } });
});

console.log(`listening ${server.addr.port}`);
setTimeout(() => server.shutdown(), config.maxSeconds * 1000);
await server.finished;
