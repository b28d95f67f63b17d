/**
 * Start-up of the command line against a script that only imports
 * `@huggingface/inference` (tests/bench/only_inference.ts), measured in one
 * run, interleaved (one of each per round, so a busy machine slows them
 * alike): `deno task hf --help`, one replayed call through `deno task hf`
 * (no token, `HF_MODE=replay`), and the same call through
 * `deno run -A lib/cli/main.ts` (without the task runner). Not a test: it
 * prints figures and ratios; the target (issue 10) is 1.3× the import-only
 * script. Each command runs once before the rounds (caches warmed).
 *
 * ```sh
 * deno run -A tests/bench/startup.ts              # 15 rounds
 * deno run -A tests/bench/startup.ts --runs 30 --json
 * ```
 *
 * @module
 */

/** One measured command. */
export interface StartupFigure {
  /** What it is. */
  name: string;
  /** The command line. */
  command: string;
  /** The median wall time, in ms. */
  medianMs: number;
  /** The fastest run, in ms. */
  minMs: number;
  /** The median over the import-only script's median. */
  ratio: number;
}

/** The Ep.2 sentence: the call `--help` shows and recordings/translation.json holds. */
const SENTENCE = "這是一個很困難的問題";

const ROOT = new URL("../..", import.meta.url).pathname;

/** The commands, the import-only baseline first. */
const COMMANDS: readonly { name: string; args: string[] }[] = [
  { name: "import-only script", args: ["run", "-A", "tests/bench/only_inference.ts"] },
  { name: "deno task hf --help", args: ["task", "hf", "--help"] },
  { name: "deno task hf translation (replayed)", args: ["task", "hf", "translation", SENTENCE] },
  {
    name: "deno run -A lib/cli/main.ts translation (replayed)",
    args: ["run", "-A", "lib/cli/main.ts", "translation", SENTENCE],
  },
  {
    name: "the official client alone, from a recording (floor)",
    args: ["run", "--allow-read", "tests/bench/only_client_replay.ts"],
  },
];

/** The environment of every run: no token, replay mode. */
function replayEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.HF_TOKEN;
  return { ...env, HF_MODE: "replay", NO_COLOR: "1" };
}

async function timeOnce(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  const elapsed = performance.now() - started;
  if (!result.success) {
    throw new Error(
      `deno ${args.join(" ")} failed (${result.code}): ${new TextDecoder().decode(result.stderr)}`,
    );
  }
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Measure every command `runs` times, interleaved; the ratios are over the
 * import-only script's median.
 */
export async function measureStartup(runs = 15): Promise<StartupFigure[]> {
  const env = replayEnv();
  const times = COMMANDS.map(() => [] as number[]);
  for (const { args } of COMMANDS) await timeOnce(args, env); // warm the caches
  for (let round = 0; round < runs; round++) {
    for (const [i, { args }] of COMMANDS.entries()) times[i]!.push(await timeOnce(args, env));
  }
  const base = median(times[0]!);
  return COMMANDS.map(({ name, args }, i) => ({
    name,
    command: `deno ${args.join(" ")}`,
    medianMs: median(times[i]!),
    minMs: Math.min(...times[i]!),
    ratio: median(times[i]!) / base,
  }));
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--runs");
  const runs = at === -1 ? 15 : Number(Deno.args[at + 1]);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(
      `Cannot measure: "--runs" must be a whole number of at least 1, got ${Deno.args[at + 1]}`,
    );
  }
  const figures = await measureStartup(runs);
  if (Deno.args.includes("--json")) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    const load = await Deno.readTextFile("/proc/loadavg").then(
      (t) => t.split(" ").slice(0, 3).join(" "),
      () => "?",
    );
    console.log(
      `start-up, median of ${runs} interleaved runs (load ${load}; target: at most 1.30× the import-only script)`,
    );
    for (const f of figures) {
      console.log(
        `${f.name.padEnd(52)} ${f.medianMs.toFixed(0).padStart(5)} ms  (min ${
          f.minMs.toFixed(0).padStart(4)
        })  ${f.ratio.toFixed(2)}×`,
      );
    }
  }
}
