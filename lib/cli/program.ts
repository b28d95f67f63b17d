/**
 * The `hf` program, generated from the task registry: one command per entry
 * of `TASKS`, then `snippet`, `check`, `batch`, `record` and `demo`. Building
 * it loads commander and what it is given: the registry, or for the root
 * `--help` only the registry's names and lines (`_manifest.ts`); each command
 * imports what it needs when it runs.
 *
 * Commander is told how to decide colour and width here (the workbook's own
 * `io`), so it never asks `node:tty`, which reads a handful of environment
 * variables (and so made Deno prompt for them on a terminal).
 *
 * @module
 */

import { Command, InvalidArgumentError, Option } from "npm:@commander-js/extra-typings@^15.1.0";
import config from "../../deno.json" with { type: "json" };
import type { Mode } from "../transport/mode.ts";
import { examplesHelp, HELP_WIDTH, taskHelp, taskList } from "./_help.ts";
import { STREAMING_TASKS } from "./_streaming.ts";
import { type CliIo, processIo, red } from "./io.ts";
import type { TaskEntry } from "./tasks.ts";

/** What the root `--help` needs of a task: its name and its line. */
export interface TaskSummary {
  /** The sub-command. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
}

/** A registry entry, or only its summary (the root `--help` needs no more). */
type Listed = TaskEntry | TaskSummary;

function isEntry(task: Listed): task is TaskEntry {
  return "run" in task;
}

/** A command whose options are read through the registry, not typed flag by flag. */
export type DynamicCommand = Command<unknown[], Record<string, unknown>, Record<string, unknown>>;

/** How batch progress is shown: `auto` picks `bar` on a terminal and `lines` otherwise. */
export type ProgressStyle = "auto" | "bar" | "lines" | "none";

/** Every progress style, for `--help` choices. */
export const PROGRESS_STYLES: readonly ProgressStyle[] = ["auto", "bar", "lines", "none"];

/**
 * The modes, for `--mode` choices: the transport's `MODES`, written here so
 * that `--help` does not load the transport (a test holds them equal).
 */
export const MODE_CHOICES: readonly Mode[] = ["replay", "live", "record", "cache"];

export { STREAMING_TASKS };

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
    }
    return n;
  };
}

/** The options every command that calls a task shares. */
function addCallOptions(command: DynamicCommand, defaultModel?: string): DynamicCommand {
  return command
    .option("-m, --model <id>", `the model id (default: ${defaultModel ?? "the task's default model"})`)
    .option(
      "--provider <name>",
      "an Inference Provider, or auto: the first that serves the model " +
        "(default: hf-inference; chat-completion: auto)",
    )
    .option("--endpoint <url>", "send the call to a dedicated Inference Endpoint instead")
    .option("--bill-to <org>", "bill the call to an organisation you belong to (X-HF-Bill-To)")
    .option("-p, --param <key=value>", "a task parameter (repeatable; listed below)", collect)
    .option("--extra <key=value>", "a parameter beyond the task's spec, sent as given (repeatable)", collect)
    .addOption(
      new Option("--mode <mode>", "where answers come from (default: HF_MODE, else live with a token)")
        .choices(MODE_CHOICES),
    )
    .option("-q, --quiet", "no mode line and no progress on stderr (errors and provenance stay)");
}

/** Commander asks the workbook, not `node:tty`, for colour and width. */
function configure(program: DynamicCommand, io: CliIo, tasks: readonly Listed[]): void {
  const names = new Set(tasks.map((t) => t.name));
  const width = () => Math.min(HELP_WIDTH, io.columns ?? HELP_WIDTH);
  program
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({
      writeErr: (s) => io.err(s.trimEnd()),
      writeOut: (s) => io.out(s.trimEnd()),
      getOutHelpWidth: width,
      getErrHelpWidth: width,
      getOutHasColors: () => false,
      getErrHasColors: () => io.color,
      outputError: (s, write) => write(s.startsWith("error:") ? s.replace("error:", red(io, "error:")) : s),
    })
    .configureHelp({
      // Wrap descriptions on narrow terminals too (commander stops below 40 columns left for them).
      minWidthToWrap: 16,
      // `hf chat-completion [options] [input]`, without its alias.
      commandUsage: (cmd) =>
        [...ancestors(cmd).map((c) => c.name()), cmd.name(), cmd.usage()].filter((s) => s !== "").join(" "),
      // One name per command (the snake_case aliases still work, unlisted); a task's name says it all.
      subcommandTerm: (cmd) =>
        names.has(cmd.name()) ? cmd.name() : [cmd.name(), ...cmd.registeredArguments.map(argTerm)].join(" "),
    });
}

function ancestors(cmd: { parent: unknown }): { name(): string }[] {
  const found: { name(): string; parent: unknown }[] = [];
  for (let at = cmd.parent as { name(): string; parent: unknown } | null; at; at = at.parent as typeof at) {
    found.unshift(at);
  }
  return found;
}

function argTerm(arg: { name(): string; required: boolean; variadic: boolean }): string {
  const name = arg.name() + (arg.variadic ? "..." : "");
  return arg.required ? `<${name}>` : `[${name}]`;
}

/** Lazy actions: each command's code is imported when it runs. */
type Action = (...args: unknown[]) => Promise<void>;

function taskAction(entry: TaskEntry, io: CliIo): Action {
  return async (...args) => {
    const { runCall } = await import("./call.ts");
    await runCall(entry, args[0] as string | undefined, args[1] as never, io);
  };
}

/** One command for one registry entry. */
function addTaskCommand(program: DynamicCommand, entry: TaskEntry, io: CliIo): void {
  const snake = entry.name.replaceAll("-", "_");
  const command = program.command(entry.name).description(entry.description) as unknown as DynamicCommand;
  if (snake !== entry.name) command.alias(snake);
  const image = entry.output === "image";
  const output = new Option(
    "-o, --output <file>",
    image ? "write the image here (required)" : "image answers only",
  );
  if (!image) output.hideHelp();
  addCallOptions(command.argument("[input]", entry.input.help) as DynamicCommand, entry.defaultModel)
    .option("-f, --file <path>", "read the input from a file")
    .option("--json", "print the answer as JSON")
    .addOption(output)
    .addOption(new Option("--force", "overwrite --output if it exists").hideHelp(!image));
  const streams = STREAMING_TASKS.includes(entry.name);
  if (streams) {
    command.option("--stream", "print the answer as it is generated (default on a terminal)")
      .option("--no-stream", "print the answer once it is complete");
  }
  if (entry.name === "chat-completion") {
    command.option("--system <text>", "a system message put before the conversation");
  }
  command.addHelpText("after", () => taskHelp(entry, Math.min(HELP_WIDTH, io.columns ?? HELP_WIDTH), streams))
    .action(taskAction(entry, io));
}

function addSnippetCommand(program: DynamicCommand, io: CliIo, tasks: readonly Listed[]): void {
  const command = program.command("snippet")
    .description(
      "the same call as curl, Python (requests, huggingface_hub) and JavaScript " +
        "(fetch, @huggingface/inference)",
    )
    .argument("<task>", "the task (listed below)")
    .argument("[input]", "the input, as the task command takes it") as unknown as DynamicCommand;
  addCallOptions(command)
    .option("-f, --file <path>", "read the input from a file")
    .addOption(
      new Option("--lang <language>", "only this language").choices(["curl", "python", "js", "all"]).default(
        "all",
      ),
    )
    .option("-o, --output <file>", "where an image answer is saved, in the snippets (image tasks only)")
    .option("--json", "print the request and the snippets as JSON")
    .addHelpText("after", () =>
      [
        taskList(tasks),
        examplesHelp([
          ["snippet", "translation", "這是一個很困難的問題"],
          ["snippet", "text-classification", "'I like you.'", "--lang", "python"],
        ]),
      ].join("\n"))
    .action(async (...args: unknown[]) => {
      const { runSnippet } = await import("./snippet.ts");
      await runSnippet(
        args[0] as string,
        args[1] as string | undefined,
        args[2] as never,
        io,
      );
    });
}

function addCheckCommand(program: DynamicCommand, io: CliIo, _tasks: readonly Listed[]): void {
  program.command("check")
    .description("is this model served, by which providers, for which task (the Hub's provider mapping)")
    .argument("<model>", "the model id (owner/name)")
    .option("--provider <name>", "the provider the answer is about, or any", "hf-inference")
    .option("--json", "print what the Hub said as JSON")
    .addOption(
      new Option("--mode <mode>", "where answers come from (default: HF_MODE, else live with a token)")
        .choices(MODE_CHOICES),
    )
    .option("-q, --quiet", "no mode line on stderr")
    .addHelpText(
      "after",
      () =>
        "\nExit code: 0 when served (by --provider), 1 when not served or not found.\n" +
        examplesHelp([["check", "csebuetnlp/mT5_multilingual_XLSum"], [
          "check",
          "google/vit-base-patch16-224",
          "--provider",
          "any",
        ]]),
    )
    .action(async (...args: unknown[]) => {
      const { runCheck } = await import("./check.ts");
      await runCheck(args[0] as string, args[1] as never, io);
    });
}

const BATCH_HELP = [
  "",
  'Input lines: {"id"?, "inputs", "parameters"?} (binary inputs: a path, or {"base64": ...}).',
  "Output lines: {id, output | error: {status, kind, message}, attempts, latency_ms}, as items finish.",
  "Re-run the same command to resume: done items are skipped, failed ones whose error could pass",
  "are tried again. Ctrl-C stops cleanly: a summary, the rest pending (exit 130).",
  "Exit code: 0 when every item is done; 1 while any failed, was bad or is pending.",
].join("\n");

function addBatchCommand(program: DynamicCommand, io: CliIo, tasks: readonly Listed[]): void {
  const command = program.command("batch")
    .description('run a task over a JSONL file ({"id"?, "inputs", "parameters"?} per line), resumable')
    .argument("<task>", "the task (listed below)") as unknown as DynamicCommand;
  addCallOptions(command)
    .requiredOption("-i, --input <file>", "the JSONL input, or - for stdin")
    .requiredOption("-o, --output <file>", "the JSONL output (appended to; items already in it are skipped)")
    .option("-c, --concurrency <n>", "requests in flight at once", positiveInteger("--concurrency"), 4)
    .option("-r, --rate <rate>", "requests per second, e.g. 50/s or 3000/min (default: found from 429s)")
    .option(
      "--burst <n>",
      "requests that may leave back to back after a quiet spell",
      positiveInteger("--burst"),
      1,
    )
    .option(
      "--max-attempts <n>",
      "attempts per item for 429, 5xx and network errors",
      positiveInteger("--max-attempts"),
    )
    .option("--retry-failed", "try every failed item again, not only those whose error could pass")
    .addOption(
      new Option("--progress <style>", "progress on stderr: a bar on a terminal, lines otherwise")
        .choices(PROGRESS_STYLES).default("auto"),
    )
    .option("--json", "print the summary as JSON on stdout")
    .addHelpText("after", () =>
      [
        BATCH_HELP,
        taskList(tasks),
        examplesHelp([
          ["batch", "translation", "-i", "items.jsonl", "-o", "out.jsonl"],
          ["batch", "text-classification", "-i", "reviews.jsonl", "-o", "labels.jsonl", "--rate", "5/s"],
        ]),
      ].join("\n"))
    .action(async (...args: unknown[]) => {
      const { batchAction } = await import("./batch.ts");
      await batchAction(args[0] as string, args[1] as never, io);
    });
}

function addRecordCommand(program: DynamicCommand, io: CliIo, _tasks: readonly Listed[]): void {
  program.command("record")
    .description("re-record every recording live with your token (HF_TOKEN) and report what changed")
    .option("--only <tasks...>", "only these recordings files (task names)")
    .addHelpText(
      "after",
      () =>
        examplesHelp(
          [["record"], ["record", "--only", "summarization", "translation"]],
          HELP_WIDTH,
          "HF_TOKEN=hf_... deno task",
        ),
    )
    .action(async (...args: unknown[]) => {
      const { recordAction } = await import("./record.ts");
      await recordAction(args[0] as never, io);
    });
}

function addDemoCommand(program: DynamicCommand, io: CliIo, _tasks: readonly Listed[]): void {
  program.command("demo")
    .description("the article's example end to end (replay without a token, live with HF_TOKEN)")
    .addHelpText("after", () => examplesHelp([["demo"]], HELP_WIDTH, "deno task"))
    .action(async () => {
      const [{ runDemo }, { resolveMode }] = await Promise.all([
        import("./demo.ts"),
        import("../transport/mode.ts"),
      ]);
      await runDemo(resolveMode(), {
        print: (line) => io.out(line),
        ...(io.fetch ? { fetch: io.fetch } : {}),
      });
    });
}

const ROOT_EXAMPLES: readonly (readonly string[])[] = [
  ["translation", "這是一個很困難的問題"],
  ["summarization", "--file", "lib/cli/examples/summarization.txt", "--json"],
  [
    "text-generation",
    "'The answer to the universe is'",
    "-m",
    "openai-community/gpt2",
    "-p",
    "max_new_tokens=40",
    "-p",
    "temperature=0.7",
    "-p",
    "seed=42",
    "--stream",
  ],
  ["batch", "translation", "-i", "items.jsonl", "-o", "out.jsonl"],
  ["snippet", "translation", "這是一個很困難的問題", "--lang", "python"],
];

/**
 * Build the program from the task registry (or, for the root `--help`, from
 * the registry's summaries); tests call `main` with an argument array instead.
 *
 * @example Every registry entry is a command
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildProgram } from "./program.ts";
 * import { TASKS } from "./tasks.ts";
 *
 * const names = buildProgram(TASKS).commands.map((c) => c.name());
 * for (const task of TASKS) assert.ok(names.includes(task.name), task.name);
 * ```
 */
export function buildProgram(tasks: readonly Listed[], io: CliIo = processIo()): Command {
  const program = new Command("hf")
    .description(
      "hf-workbook: the Hugging Face Inference API from the shell. Without HF_TOKEN answers are replayed " +
        "from recordings/ (and say so); with it, calls go live. The mode is shown on stderr, results on stdout.",
    )
    .version(config.version, "-V, --version", "print the version") as unknown as DynamicCommand;
  configure(program, io, tasks);
  program.helpCommand(false);
  program.commandsGroup("Tasks (each with --help: input, model, parameters, example):");
  for (const task of tasks) {
    if (isEntry(task)) addTaskCommand(program, task, io);
    else program.command(task.name).description(task.description); // the root --help only lists it
  }
  program.commandsGroup("Other commands:");
  for (const add of [addSnippetCommand, addCheckCommand, addBatchCommand, addRecordCommand, addDemoCommand]) {
    add(program, io, tasks);
  }
  program.addHelpText(
    "after",
    () =>
      examplesHelp(ROOT_EXAMPLES.map((w) => w.map((x) => x)), Math.min(HELP_WIDTH, io.columns ?? HELP_WIDTH)),
  );
  return program as unknown as Command;
}
