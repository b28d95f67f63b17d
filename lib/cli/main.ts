/**
 * The `hf` command line: `deno task hf <command>`. One sub-command per task
 * (generated from the registry in `tasks.ts`), plus `snippet`, `check`,
 * `batch`, `record` and `demo`.
 *
 * Exit codes (from the class or `kind` of what was thrown, never its text):
 * 0 ok; 2 the command line is wrong (an option, a parameter, an input, a
 * path), before any request; 1 a failure while running (the service, the
 * network, a recording, the disk), printed with the service's message and the
 * workbook's hint; 130 stopped by Ctrl-C. Results go to stdout, the mode in
 * force and every message to stderr; colours only on a terminal and never
 * with `NO_COLOR`. The token is never printed. No command asks Deno for a
 * permission it was not given.
 *
 * Install it as a command: `deno install -g -n hf --allow-env --allow-read
 * --allow-write --allow-net=router.huggingface.co,huggingface.co
 * --config deno.json lib/cli/main.ts`.
 *
 * @module
 */

import { cachedTasks, currentCache } from "./_manifest.ts";
import { type CliIo, processIo } from "./io.ts";
import type { TaskSummary } from "./program.ts";

export type { CliIo } from "./io.ts";

/** The root `--help`, kept in `_commands.json`: printed as it is when current and the width is 100. */
function keptHelp(args: readonly string[], io: CliIo): boolean {
  if (args.length !== 1 || !["--help", "-h"].includes(args[0]!)) return false;
  if (io.columns !== undefined && io.columns < 100) return false;
  const kept = currentCache();
  if (kept === undefined) return false;
  for (const line of kept.help) io.out(line);
  return true;
}

/** The task whose command `word` names, as commander reads it: its name, or its snake_case alias. */
function commandOf<T extends TaskSummary>(entries: readonly T[], word: string | undefined): T | undefined {
  return entries.find((t) => t.name === word || t.name.replaceAll("-", "_") === word);
}

/**
 * What the program is built from: for the root's own help, version and usage
 * the kept summaries (when current); for a task's command, that task's entry
 * with its contract and the others' summaries (a command runs only its own
 * task, and the root help lists the others by name); for `batch`, every
 * task's summary (it loads its task's contract itself); else the registry.
 */
async function tasksFor(args: readonly string[]): Promise<readonly TaskSummary[]> {
  const rootOnly = args.length === 0 ||
    (args.length === 1 && ["--help", "-h", "--version", "-V"].includes(args[0]!));
  const cached = rootOnly ? cachedTasks() : undefined;
  if (cached !== undefined) return cached;
  const { ENTRIES, withContract } = await import("./_entries.ts");
  const own = commandOf(ENTRIES, args[0]);
  const summary = ({ name, description }: TaskSummary): TaskSummary => ({ name, description });
  if (own !== undefined) {
    return await Promise.all(ENTRIES.map((t) => t === own ? withContract(t) : summary(t)));
  }
  if (args[0] === "batch") return ENTRIES.map(summary);
  return (await import("./tasks.ts")).TASKS;
}

/**
 * The plainest task call, `hf <task> <input>` (no flag, an input that is not
 * one): run straight from the registry, without building the program, as
 * commander would run it (no flags given; a test holds the two equal).
 * Anything else goes through the program.
 */
async function directCall(args: readonly string[], io: CliIo): Promise<boolean> {
  if (args.length !== 2 || args.some((a) => a.startsWith("-"))) return false;
  const { ENTRIES, withContract } = await import("./_entries.ts");
  const found = commandOf(ENTRIES, args[0]);
  if (found === undefined) return false;
  // Its own task's contract only, not the registry's 32 (some 10 ms of modules and JSON Schemas).
  const [entry, { runCall }] = await Promise.all([withContract(found), import("./call.ts")]);
  await runCall(entry, args[1], {}, io);
  return true;
}

/**
 * Run the command line with `args` (without the program name); returns the
 * exit code. Tests pass their own `io`.
 *
 * @example Usage errors exit 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "@hf-workbook/workbook/cli";
 *
 * const lines: string[] = [];
 * const io = {
 *   out: (l: string) => lines.push(l),
 *   err: (l: string) => lines.push(l),
 *   readStdin: () => Promise.resolve(new Uint8Array()),
 *   stdin: () => new ReadableStream<Uint8Array>(),
 *   writeErr: () => {},
 *   errIsTerminal: false,
 *   color: false,
 * };
 * assert.equal(await main(["summarization", "--no-such-option"], io), 2);
 * ```
 */
export async function main(args: string[], io: CliIo = processIo()): Promise<number> {
  try {
    if (keptHelp(args, io) || await directCall(args, io)) return 0;
    const [{ buildProgram }, tasks] = await Promise.all([import("./program.ts"), tasksFor(args)]);
    await buildProgram(tasks, io).parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    const { report } = await import("./exit.ts");
    return await report(error, io);
  }
}

if (import.meta.main) {
  const code = await main(Deno.args);
  if (code !== 0) Deno.exitCode = code;
}
