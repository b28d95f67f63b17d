/**
 * `deno task bench`: the batch runner's figures against a local fake
 * Inference server (tests/bench/fake_inference_server.ts, its own process on
 * 127.0.0.1) that adds latency L, answers 1 % 503s, and puts one rate limiter
 * shape in front (tests/fake_limiters.ts). Not a test: it prints figures.
 *
 * 1. Every limiter shape, with `--rate R/s` and without (adaptive): wall time
 *    over the physical bound `N / min(C/L, R)`, the share of requests the
 *    server answered 429, and completeness (every id exactly once, none
 *    failed). Shapes: a whole-second fixed window, a sliding window, token
 *    buckets of burst 1, 5 and 50 (all R/s), a quota answered with
 *    `Retry-After` (see {@linkcode QUOTA}) and no limit at all.
 * 2. kill -9 in the middle of a run, then the same command again: every id
 *    exactly once.
 * 3. The client's ceiling: no latency, no limit, the batch process pinned to
 *    one core (the server on the other): items per second and CPU ms per item.
 * 4. Start-up: `deno task hf --help` and one replayed call against a script
 *    that only imports `@huggingface/inference`.
 * 5. Peak memory of `batch` over many small items; the article's pattern (one
 *    `query` after another) for the speed-up.
 *
 * ```sh
 * deno task bench                      # N=1000, L=100 ms, R=50/s, C=8 (about 8 minutes)
 * deno task bench --quick              # N=300 and fewer runs (about 3 minutes)
 * deno task bench --only shapes,kill   # sections: shapes, kill, ceiling, startup, memory, sequential
 * deno task bench --shapes tb1,tb5     # some shapes only: fixed, sliding, tb1, tb5, tb50, quota, none
 * deno task bench --root /other/tree   # run another checkout's command line against the same servers
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type LimiterShape, shapeName } from "../fake_limiters.ts";

const HERE = fileURLToPath(new URL("../..", import.meta.url));
const args = Deno.args;
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const flag = (name: string, fallback: number) => Number(option(name) ?? fallback);
const quick = args.includes("--quick");
const ROOT = option("root") ?? HERE;
const only = option("only")?.split(",");
const N = flag("n", quick ? 300 : 1000);
const L = flag("latency", 100);
const R = flag("rate", 50);
const C = flag("concurrency", 8);
const P503 = flag("p503", 0.01);
const RUNS = flag("runs", quick ? 3 : 7);
const want = (name: string) => only === undefined || only.includes(name);

/**
 * The quota shape, scaled in time: a service's per-minute quota answered with `Retry-After: 30` becomes a
 * quota per 20 s answered with `Retry-After: 10` (every time divided by 3), so that a run is half a minute,
 * not several; the quota is 20 s of R/5 (the long-run rate R/5) and N/3 items make it 1.5 windows' worth.
 */
const QUOTA = { windowMs: 20_000, retryAfterS: 10, rate: R / 5, items: Math.round(N / 3) };

interface Case {
  key: string;
  shape: LimiterShape;
  /** The service's long-run rate (what `--rate` is set to). */
  rate: number;
  items: number;
}

const CASES: Case[] = [
  { key: "fixed", shape: { kind: "fixed-window", limit: R, windowMs: 1000 }, rate: R, items: N },
  { key: "sliding", shape: { kind: "sliding-window", limit: R, windowMs: 1000 }, rate: R, items: N },
  ...[1, 5, 50].map((burst) => ({
    key: `tb${burst}`,
    shape: { kind: "token-bucket" as const, rate: R, burst },
    rate: R,
    items: N,
  })),
  {
    key: "quota",
    shape: {
      kind: "fixed-window",
      limit: (QUOTA.rate * QUOTA.windowMs) / 1000,
      windowMs: QUOTA.windowMs,
      retryAfterS: QUOTA.retryAfterS,
    },
    rate: QUOTA.rate,
    items: QUOTA.items,
  },
  { key: "none", shape: { kind: "none" }, rate: R, items: N },
];

const work = await Deno.makeTempDir({ prefix: "hf_workbook_bench_" });
const env = { HF_TOKEN: "hf_bench_placeholder", HF_MODE: "live", HF_WORKBOOK_NO_DOTENV: "1", NO_COLOR: "1" };
const CLI_FLAGS = ["--allow-env", "--allow-read", "--allow-write", "--allow-net=127.0.0.1"];

interface ServerStats {
  requests: number;
  ok: number;
  rateLimited: number;
  unavailable: number;
}

interface FakeServer {
  url: string;
  stats(): Promise<ServerStats>;
  /** Every task call since the last reset: when it arrived (ms after the reset) and its status. */
  arrivals(): Promise<[number, number][]>;
  shape(shape: LimiterShape): Promise<void>;
  close(): Promise<void>;
}

async function startServer(latency: number, p503: number, pin?: string): Promise<FakeServer> {
  const deno = [
    "run",
    "--allow-net=127.0.0.1",
    `${HERE}/tests/bench/fake_inference_server.ts`,
    ...["--latency", String(latency), "--p503", String(p503), "--max-seconds", "3600"],
  ];
  const [command, commandArgs] = pin ? ["taskset", ["-c", pin, Deno.execPath(), ...deno]] : [
    Deno.execPath(),
    deno,
  ];
  const child = new Deno.Command(command as string, { args: commandArgs as string[], stdout: "piped" })
    .spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening (\d+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the fake server did not start");
    text += value;
  }
  const origin = `http://127.0.0.1:${/listening (\d+)/.exec(text)![1]}`;
  return {
    url: `${origin}/models/bench/summarizer`,
    stats: async () => await (await fetch(`${origin}/__stats`)).json(),
    arrivals: async () => await (await fetch(`${origin}/__arrivals`)).json(),
    shape: async (shape) =>
      void await (await fetch(`${origin}/__shape`, { method: "POST", body: JSON.stringify(shape) })).body
        ?.cancel(),
    close: async () => {
      child.kill("SIGTERM");
      await child.status;
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
    },
  };
}

async function writeItems(path: string, count: number): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(`{"id":"item-${i}","inputs":"short news paragraph number ${i} to summarize"}\n`);
  }
  await Deno.writeTextFile(path, lines.join(""));
}

interface BatchRun {
  wallMs: number;
  code: number;
  summary?: { done: number; failed: number; requests: number; rateLimited: number; stopped?: unknown };
  cpuMs?: number;
  peakRssKiB?: number;
}

interface RunOptions {
  extra?: string[];
  denoFlags?: string[];
  /** Poll /proc for peak RSS and CPU time. */
  watch?: boolean;
  /** Pin the batch process to these CPUs (taskset). */
  pin?: string;
  /** Kill -9 the process once the output has this many lines. */
  killAfterLines?: number;
  /** Keep the output file (resume). */
  keepOutput?: boolean;
}

function batchArgs(input: string, endpoint: string, options: RunOptions): string[] {
  const deno = [
    "run",
    ...(options.denoFlags ?? []),
    ...CLI_FLAGS,
    `${ROOT}/lib/cli/main.ts`,
    "batch",
    "summarization",
    ...["--input", input, "--output", `${input}.out`, "--endpoint", endpoint],
    ...["--progress", "none", "--json", ...(options.extra ?? [])],
  ];
  return options.pin ? ["-c", options.pin, Deno.execPath(), ...deno] : deno;
}

/** Peak RSS (KiB) and CPU time (ms) of `pid` so far, read with `cat` (Deno reads other processes' /proc only with -A). */
async function procFigures(pid: number): Promise<{ rss: number; cpuMs: number } | undefined> {
  const read = await new Deno.Command("cat", {
    args: [`/proc/${pid}/status`, `/proc/${pid}/stat`],
    stderr: "null",
  }).output();
  const text = new TextDecoder().decode(read.stdout);
  const stat = /\) \S+ (.*)$/m.exec(text)?.[1]?.split(" ");
  if (!stat) return undefined;
  // Fields 14 and 15 of /proc/pid/stat (utime, stime), in clock ticks of 10 ms; the split starts at field 4.
  const cpuMs = (Number(stat[10]) + Number(stat[11])) * 10;
  return { rss: Number(/VmHWM:\s+(\d+)/.exec(text)?.[1] ?? 0), cpuMs };
}

async function lineCount(path: string): Promise<number> {
  return (await Deno.readTextFile(path).catch(() => "")).split("\n").length - 1;
}

async function runBatch(input: string, endpoint: string, options: RunOptions = {}): Promise<BatchRun> {
  if (!options.keepOutput) await Deno.remove(`${input}.out`).catch(() => {});
  const started = performance.now();
  const child = new Deno.Command(options.pin ? "taskset" : Deno.execPath(), {
    args: batchArgs(input, endpoint, options),
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  let peak = 0;
  let cpuMs = 0;
  let running = true;
  void output.finally(() => (running = false));
  while (running && (options.watch || options.killAfterLines !== undefined)) {
    await new Promise((resolve) => setTimeout(resolve, options.watch ? 100 : 20));
    if (options.watch) {
      const figures = await procFigures(child.pid);
      if (figures) [peak, cpuMs] = [Math.max(peak, figures.rss), figures.cpuMs];
    }
    if (options.killAfterLines !== undefined && await lineCount(`${input}.out`) >= options.killAfterLines) {
      child.kill("SIGKILL");
      break;
    }
  }
  const result = await output;
  const wallMs = performance.now() - started;
  const text = new TextDecoder().decode(result.stdout);
  if (!result.success && result.code !== 1 && options.killAfterLines === undefined) {
    throw new Error(`batch failed (${result.code}): ${new TextDecoder().decode(result.stderr)}`);
  }
  return {
    wallMs,
    code: result.code,
    ...(text.trim().startsWith("{") ? { summary: JSON.parse(text) } : {}),
    ...(options.watch ? { peakRssKiB: peak, cpuMs } : {}),
  };
}

/** Whether every id of the input is in the output exactly once, answered. */
async function completeness(input: string, count: number): Promise<{ ok: boolean; text: string }> {
  const seen = new Map<string, number>();
  let failed = 0;
  for (const line of (await Deno.readTextFile(`${input}.out`).catch(() => "")).split("\n")) {
    if (line.trim() === "") continue;
    const { id, error } = JSON.parse(line) as { id: string; error?: unknown };
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (error !== undefined) failed++;
  }
  const twice = [...seen.values()].filter((n) => n > 1).length;
  const missing = count - seen.size;
  const ok = twice === 0 && missing === 0 && failed === 0;
  return {
    ok,
    text: ok ? `all ${count} once` : `${missing} missing, ${twice} twice, ${failed} failed`,
  };
}

const rows: string[][] = [];
/** Where each shape run's wall time went, from the server's arrivals. */
const spans: string[][] = [];
const failures: string[] = [];
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

async function shapeRuns(server: FakeServer): Promise<void> {
  const keys = option("shapes")?.split(",");
  for (const c of CASES.filter((c) => keys === undefined || keys.includes(c.key))) {
    const input = `${work}/${c.key}.jsonl`;
    await writeItems(input, c.items);
    for (const rated of [true, false]) {
      await server.shape(c.shape);
      const run = await runBatch(input, server.url, {
        extra: ["--concurrency", String(C), ...(rated ? ["--rate", `${c.rate}/s`] : [])],
      });
      const stats = await server.stats();
      const limit = c.shape.kind === "none" && !rated ? Infinity : c.rate;
      const bound = c.items / Math.min(C / (L / 1000), limit);
      const ratio = run.wallMs / 1000 / bound;
      const share = stats.rateLimited / Math.max(1, stats.requests);
      const whole = await completeness(input, c.items);
      const [ratioTarget, shareTarget] = rated ? [1.1, 0.01] : [1.25, 0.05];
      const met = ratio <= ratioTarget && share <= shareTarget && whole.ok;
      if (!met) failures.push(`${shapeName(c.shape)}, ${rated ? "--rate" : "adaptive"}`);
      const row = [
        shapeName(c.shape),
        rated ? `--rate ${c.rate}/s` : "adaptive",
        `${(run.wallMs / 1000).toFixed(1)} s / ${bound.toFixed(1)} s = **${ratio.toFixed(2)}**`,
        `${pct(share)} (${stats.rateLimited}/${stats.requests})`,
        whole.text,
        met ? "met" : `MISSED (≤ ${ratioTarget}, ≤ ${shareTarget * 100} %)`,
      ];
      console.log(row.join(" | "));
      rows.push(row);
      spans.push([shapeName(c.shape), row[1]!, ...whereTheWallGoes(await server.arrivals(), run.wallMs, c)]);
    }
  }
}

/**
 * A shape run's wall time in its parts, read from the server's arrivals: the
 * start (process start-up to the first request's arrival), the sending (the
 * mean time between arrivals, as a multiple of 1/R), the requests beyond one
 * per item (429s and 503s sent again), and the tail (the last arrival to the
 * process's exit: the last answers, the summary).
 */
function whereTheWallGoes(arrivals: readonly [number, number][], wallMs: number, c: Case): string[] {
  if (arrivals.length < 2) return ["", "", "", ""];
  const first = arrivals[0]![0];
  const last = arrivals.at(-1)![0];
  const spacing = (last - first) / (arrivals.length - 1);
  return [
    `${(first / 1000).toFixed(2)} s`,
    `${spacing.toFixed(2)} ms = ${(spacing / (1000 / c.rate)).toFixed(3)} × 1/R`,
    `${arrivals.length - c.items} (${pct(arrivals.length / c.items - 1)})`,
    `${((wallMs - last) / 1000).toFixed(2)} s`,
  ];
}

async function killRuns(server: FakeServer): Promise<void> {
  const c = CASES.find((c) => c.key === "tb5")!;
  for (const rated of quick ? [false] : [true, false]) {
    const input = `${work}/kill-${rated}.jsonl`;
    await writeItems(input, c.items);
    await server.shape(c.shape);
    const extra = ["--concurrency", String(C), ...(rated ? ["--rate", `${c.rate}/s`] : [])];
    const first = await runBatch(input, server.url, { extra, killAfterLines: Math.round(c.items * 0.4) });
    const before = await lineCount(`${input}.out`);
    const second = await runBatch(input, server.url, { extra, keepOutput: true });
    const whole = await completeness(input, c.items);
    if (!whole.ok) failures.push(`kill -9 and resume, ${rated ? "--rate" : "adaptive"}`);
    const row = [
      `kill -9 after ${before} of ${c.items} lines (${shapeName(c.shape)}), then resume`,
      rated ? `--rate ${c.rate}/s` : "adaptive",
      `${((first.wallMs + second.wallMs) / 1000).toFixed(1)} s in all`,
      "",
      whole.text,
      whole.ok ? "met" : "MISSED",
    ];
    console.log(row.join(" | "));
    rows.push(row);
  }
}

async function ceilingRun(): Promise<void> {
  const items = quick ? 5_000 : 20_000;
  const server = await startServer(0, 0, "0");
  try {
    const input = `${work}/ceiling.jsonl`;
    await writeItems(input, items);
    const run = await runBatch(input, server.url, { extra: ["--concurrency", "32"], watch: true, pin: "1" });
    const perSecond = (run.summary?.done ?? 0) / (run.wallMs / 1000);
    const cpuPerItem = (run.cpuMs ?? 0) / Math.max(1, run.summary?.done ?? 0);
    const text = `${perSecond.toFixed(0)} items/s on one core, ${
      cpuPerItem.toFixed(2)
    } ms CPU per item (${items} items, concurrency 32, start-up included)`;
    console.log(`ceiling: ${text}`);
    rows.push(["the client's ceiling: loopback, no latency, no limit", "--concurrency 32", text, "", "", ""]);
  } finally {
    await server.close();
  }
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

async function startupRuns(): Promise<void> {
  const bare = await median(RUNS, [
    "run",
    "--allow-env",
    "--allow-read",
    `${HERE}/tests/bench/only_inference.ts`,
  ]);
  const help = await median(RUNS, ["task", "hf", "--help"]);
  const article =
    "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
  const replayed = await median(RUNS, ["task", "hf", "summarization", article], { HF_MODE: "replay" });
  // Not a target: the same answer through the official client alone, what a replayed call cannot go below.
  const floor = await median(RUNS, [
    "run",
    "--allow-read",
    `${HERE}/tests/bench/only_client_replay.ts`,
    article,
  ]);
  const text =
    `${help.toFixed(0)} ms (${(help / bare).toFixed(2)}×) / ${replayed.toFixed(0)} ms (${
      (replayed / bare).toFixed(2)
    }×) against ${
      bare.toFixed(0)
    } ms for a script that only imports @huggingface/inference; the same answer ` +
    `through the official client alone (no workbook): ${floor.toFixed(0)} ms (${(floor / bare).toFixed(2)}×)`;
  // Issue 10's target: both within 1.3× the import-only script.
  const timed: [string, number][] = [["--help", help], ["a replayed call", replayed]];
  const missed = timed.filter(([, ms]) => ms / bare > 1.3);
  for (const [what] of missed) failures.push(`start-up of ${what} (≤ 1.3× the import-only script)`);
  console.log(`start-up (median of ${RUNS}): deno task hf --help / one replayed call: ${text}`);
  const verdict = missed.length === 0 ? "met" : `MISSED (≤ 1.3×: ${missed.map(([what]) => what).join(", ")})`;
  rows.push(["start-up: `deno task hf --help` / one replayed call", "", text, "", "", verdict]);
}

async function memoryRuns(): Promise<void> {
  const fast = await startServer(0, 0);
  try {
    const peaks: string[] = [];
    for (const size of quick ? [2_000, 20_000] : [10_000, 100_000]) {
      const path = `${work}/memory-${size}.jsonl`;
      await writeItems(path, size);
      const run = await runBatch(path, fast.url, { extra: ["--concurrency", "16"], watch: true });
      peaks.push(`${size.toLocaleString("en")}: ${((run.peakRssKiB ?? 0) / 1024).toFixed(0)} MiB`);
      console.log(`memory: ${size} items in ${(run.wallMs / 1000).toFixed(1)} s, ${peaks.at(-1)}`);
      await Deno.remove(path);
      await Deno.remove(`${path}.out`).catch(() => {});
    }
    rows.push(["peak RSS of `batch` (VmHWM)", "", peaks.join(", "), "", "", ""]);
  } finally {
    await fast.close();
  }
}

async function sequentialRun(server: FakeServer): Promise<void> {
  const { query } = await import(`${ROOT}/lib/query.ts`);
  await server.shape({ kind: "none" });
  const sample = quick ? 30 : 100;
  const started = performance.now();
  for (let i = 0; i < sample; i++) {
    await query({ inputs: `short news paragraph number ${i} to summarize` }, {
      endpointUrl: server.url,
      mode: "live",
      accessToken: "hf_bench_placeholder",
    });
  }
  const total = ((performance.now() - started) / sample) * N / 1000;
  const text = `${total.toFixed(1)} s for ${N} items (measured on ${sample}), ${
    (total / (N / Math.min(C / (L / 1000), R))).toFixed(1)
  }× the bound of batch`;
  console.log(`one query after another: ${text}`);
  rows.push(["the article's pattern, one `query` after another", "", text, "", "", ""]);
}

console.log(
  `hf-workbook batch benchmark: N=${N}, L=${L} ms, R=${R}/s, C=${C}, 503 share ${P503}, command line of ${ROOT}`,
);
try {
  const server = await startServer(L, P503);
  try {
    if (want("shapes")) await shapeRuns(server);
    if (want("kill")) await killRuns(server);
    if (want("sequential")) await sequentialRun(server);
  } finally {
    await server.close();
  }
  if (want("ceiling")) await ceilingRun();
  if (want("startup")) await startupRuns();
  if (want("memory")) await memoryRuns();
} finally {
  await Deno.remove(work, { recursive: true }).catch(() => {});
}

console.log(
  "\n| limiter | pacing | wall / bound | answered 429 | completeness | target |\n|---|---|---|---|---|---|",
);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
if (spans.length > 0) {
  console.log(
    "\nWhere the wall time went (the server's arrivals):\n\n" +
      "| limiter | pacing | start (first arrival) | between arrivals | requests beyond one per item | tail |\n" +
      "|---|---|---|---|---|---|",
  );
  for (const span of spans) console.log(`| ${span.join(" | ")} |`);
}
console.log(failures.length === 0 ? "\nevery target met" : `\ntargets missed: ${failures.join("; ")}`);
