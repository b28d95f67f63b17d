/**
 * `deno task bench`: the batch runner's figures against a local fake
 * Inference server (tests/bench/fake_inference_server.ts, its own process on
 * 127.0.0.1) that adds latency L, enforces a rate limit R with 429 +
 * Retry-After, and answers a few 503s. Not a test: it prints figures.
 *
 * 1. `batch` with `--rate R/s`, then without any rate: wall time over the
 *    physical bound `N / min(C/L, R)`, and the share of requests answered 429
 *    (counted by the server);
 * 2. the article's pattern, one `query` after another: the speed-up of `batch`;
 * 3. peak memory (VmHWM) of `batch` over 10,000 and 100,000 small items;
 * 4. start-up: `deno task hf --help` and one replayed call, against `deno run`
 *    of an empty file.
 *
 * ```sh
 * deno task bench                 # N=2000, L=100 ms, R=50/s, C=8
 * deno task bench --quick         # smaller runs, to try it out
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { query } from "../../lib/query.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const args = Deno.args;
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const quick = args.includes("--quick");
const only = (() => {
  const at = args.indexOf("--only");
  return at === -1 ? undefined : args[at + 1]!.split(",");
})();
const N = flag("n", quick ? 400 : 2000);
const L = flag("latency", 100);
const R = flag("rate", 50);
const C = flag("concurrency", 8);
const P503 = flag("p503", 0.005);
const SEQUENTIAL_N = flag("sequential-n", quick ? 100 : N);
const MEMORY_SIZES = quick ? [2_000, 20_000] : [10_000, 100_000];
const RUNS = flag("runs", quick ? 3 : 7);

const work = await Deno.makeTempDir({ prefix: "hf_workbook_bench_" });
const env = {
  HF_TOKEN: "hf_bench_placeholder",
  HF_MODE: "live",
  HF_WORKBOOK_NO_DOTENV: "1",
  NO_COLOR: "1",
};
const CLI = [
  "run",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-net=127.0.0.1",
  `${ROOT}/lib/cli/main.ts`,
];

interface FakeServer {
  url: string;
  stats(): Promise<{ requests: number; ok: number; rateLimited: number; unavailable: number }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function startServer(options: { latency: number; rate: number; p503: number }): Promise<FakeServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      `${ROOT}/tests/bench/fake_inference_server.ts`,
      "--latency",
      String(options.latency),
      "--rate",
      String(options.rate),
      "--p503",
      String(options.p503),
      "--max-seconds",
      "1800",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening (\d+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the fake server did not start");
    text += value;
  }
  const port = /listening (\d+)/.exec(text)![1];
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/models/bench/summarizer`,
    stats: async () => await (await fetch(`${origin}/__stats`)).json(),
    reset: async () => void await (await fetch(`${origin}/__reset`, { method: "POST" })).body?.cancel(),
    close: async () => {
      child.kill("SIGTERM");
      await child.status;
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
    },
  };
}

async function writeItems(path: string, count: number): Promise<void> {
  const file = await Deno.open(path, { create: true, write: true, truncate: true });
  const writer = file.writable.getWriter();
  const encoder = new TextEncoder();
  let chunk = "";
  for (let i = 0; i < count; i++) {
    chunk += `{"id":"item-${i}","inputs":"short news paragraph number ${i} to summarize"}\n`;
    if (chunk.length > 1 << 16) {
      await writer.write(encoder.encode(chunk));
      chunk = "";
    }
  }
  await writer.write(encoder.encode(chunk));
  await writer.close();
}

interface BatchRun {
  wallMs: number;
  summary: {
    done: number;
    failed: number;
    requests: number;
    rateLimited: number;
    rate: { requestsPerSecond?: number };
  };
  peakRssKiB?: number;
}

async function runBatch(
  input: string,
  endpoint: string,
  extra: string[],
  watchMemory = false,
  denoFlags: string[] = [],
): Promise<BatchRun> {
  const output = `${input}.out`;
  await Deno.remove(output).catch(() => {});
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...CLI.slice(0, 1),
      ...denoFlags,
      ...CLI.slice(1),
      "batch",
      "summarization",
      "--input",
      input,
      "--output",
      output,
      "--endpoint",
      endpoint,
      "--progress",
      "none",
      "--json",
      ...extra,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let peak = 0;
  // Deno reads another process's /proc files only with --allow-all; `cat` (--allow-run) reads them as it is.
  // VmHWM is the peak resident set so far, so polling it loses nothing between polls.
  const poll = watchMemory
    ? setInterval(async () => {
      const read = await new Deno.Command("cat", { args: [`/proc/${child.pid}/status`], stderr: "null" })
        .output();
      const status = new TextDecoder().decode(read.stdout);
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    }, 100)
    : undefined;
  const result = await child.output();
  const wallMs = performance.now() - started;
  if (poll !== undefined) clearInterval(poll);
  if (!result.success && result.code !== 1) {
    throw new Error(`batch failed (${result.code}): ${new TextDecoder().decode(result.stderr)}`);
  }
  const summary = JSON.parse(new TextDecoder().decode(result.stdout));
  return { wallMs, summary, ...(watchMemory ? { peakRssKiB: peak } : {}) };
}

async function median(
  runs: number,
  command: string[],
  extraEnv: Record<string, string> = {},
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    const result = await new Deno.Command(Deno.execPath(), {
      args: command,
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      stdout: "null",
      stderr: "null",
    }).output();
    if (!result.success) throw new Error(`${command.join(" ")} failed with ${result.code}`);
    if (i > 0) times.push(performance.now() - started); // the first run warms the caches
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const rows: string[][] = [];
const bound = N / Math.min(C / (L / 1000), R);
const want = (name: string) => only === undefined || only.includes(name);
console.log(`hf-workbook batch benchmark: N=${N}, L=${L} ms, R=${R}/s, C=${C}, 503 share ${P503}`);
console.log(`physical bound N / min(C/L, R) = ${bound.toFixed(1)} s\n`);

try {
  const input = `${work}/items.jsonl`;
  await writeItems(input, N);
  const server = await startServer({ latency: L, rate: R, p503: P503 });
  try {
    let withRate: BatchRun | undefined;
    for (
      const [name, extra, target, budget] of [
        ["rate", ["--concurrency", String(C), "--rate", `${R}/s`], 1.10, 0.01],
        ["adaptive", ["--concurrency", String(C)], 1.25, 0.05],
      ] as const
    ) {
      if (!want(name)) continue;
      await server.reset();
      const run = await runBatch(input, server.url, [...extra]);
      if (name === "rate") withRate = run;
      const stats = await server.stats();
      const ratio = run.wallMs / 1000 / bound;
      const share = stats.rateLimited / Math.max(1, stats.requests);
      const found = run.summary.rate.requestsPerSecond;
      console.log(
        `batch ${extra.join(" ")}: ${(run.wallMs / 1000).toFixed(1)} s, ratio ${
          ratio.toFixed(3)
        } (target ≤ ${target}), ` +
          `${stats.rateLimited}/${stats.requests} answered 429 = ${(share * 100).toFixed(2)}% (budget ${
            budget * 100
          }%), ` +
          `${stats.unavailable} answered 503, done ${run.summary.done}, failed ${run.summary.failed}` +
          (found !== undefined ? `, rate in force at the end ${found.toFixed(1)}/s` : ""),
      );
      rows.push([
        `batch, ${name === "rate" ? `--rate ${R}/s` : "no --rate (adaptive)"}`,
        `${(run.wallMs / 1000).toFixed(1)} s`,
        `${ratio.toFixed(2)} (≤ ${target})`,
        `${(share * 100).toFixed(2)}% (≤ ${budget * 100}%)`,
      ]);
    }

    if (want("sequential")) {
      await server.reset();
      const started = performance.now();
      for (let i = 0; i < SEQUENTIAL_N; i++) {
        await query({ inputs: `short news paragraph number ${i} to summarize` }, {
          endpointUrl: server.url,
          mode: "live",
          accessToken: "hf_bench_placeholder",
        });
      }
      const perItem = (performance.now() - started) / SEQUENTIAL_N;
      const sequentialS = (perItem * N) / 1000;
      const note = SEQUENTIAL_N === N ? "" : ` (measured on ${SEQUENTIAL_N} items, scaled to ${N})`;
      console.log(`one query after another: ${sequentialS.toFixed(1)} s for ${N} items${note}`);
      const reference = withRate ??
        await runBatch(input, server.url, ["--concurrency", String(C), "--rate", `${R}/s`]);
      const speedUp = sequentialS / (reference.wallMs / 1000);
      console.log(`speed-up of batch --rate ${R}/s over one query after another: ${speedUp.toFixed(1)}×\n`);
      rows.push([
        "the article's pattern, one `query` after another",
        `${sequentialS.toFixed(1)} s${note}`,
        `batch is ${speedUp.toFixed(1)}× faster`,
        "",
      ]);
    }
  } finally {
    await server.close();
  }

  if (want("memory")) {
    const fast = await startServer({ latency: 0, rate: 0, p503: 0 });
    try {
      // V8 grows its heap while garbage piles up between collections, so the peak RSS of a long run creeps up
      // even when nothing is kept; with the heap capped, a run that kept anything per item would fail instead.
      for (
        const [label, flags] of [["", []], [", V8 heap capped at 64 MB", [
          "--v8-flags=--max-old-space-size=64",
        ]]] as const
      ) {
        const peaks: string[] = [];
        for (const size of MEMORY_SIZES) {
          const path = `${work}/memory-${size}.jsonl`;
          await writeItems(path, size);
          const run = await runBatch(path, fast.url, ["--concurrency", "16"], true, [...flags]);
          const mib = (run.peakRssKiB ?? 0) / 1024;
          peaks.push(`${size.toLocaleString("en")}: ${mib.toFixed(0)} MiB`);
          console.log(
            `memory${label}: ${size} items in ${(run.wallMs / 1000).toFixed(1)} s, peak RSS ${
              mib.toFixed(1)
            } MiB (done ${run.summary.done})`,
          );
          await Deno.remove(path);
          await Deno.remove(`${path}.out`).catch(() => {});
        }
        rows.push([`peak RSS of \`batch\` (VmHWM)${label}`, peaks.join(", "), "", ""]);
      }
    } finally {
      await fast.close();
    }
  }

  if (want("startup")) {
    const empty = `${work}/empty.ts`;
    await Deno.writeTextFile(empty, "");
    const bare = await median(RUNS, ["run", empty]);
    const help = await median(RUNS, ["task", "hf", "--help"]);
    const article =
      "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
    const replayed = await median(RUNS, ["task", "hf", "summarization", article], { HF_MODE: "replay" });
    console.log(
      `start-up (median of ${RUNS}): deno run empty.ts ${bare.toFixed(0)} ms; deno task hf --help ${
        help.toFixed(0)
      } ms (${(help / bare).toFixed(1)}×); one replayed call ${replayed.toFixed(0)} ms (${
        (replayed / bare).toFixed(1)
      }×)`,
    );
    rows.push([
      "start-up: `deno task hf --help` / one replayed call",
      `${help.toFixed(0)} ms / ${replayed.toFixed(0)} ms`,
      `${(help / bare).toFixed(1)}× / ${(replayed / bare).toFixed(1)}× a bare \`deno run\` (${
        bare.toFixed(0)
      } ms)`,
      "",
    ]);
  }
} finally {
  await Deno.remove(work, { recursive: true }).catch(() => {});
}

console.log("\n| what | time / size | ratio | 429s |\n|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
