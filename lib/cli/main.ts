/**
 * The `hf` command line: `deno task hf <command>`. One sub-command per task
 * (from the registry in `tasks.ts`), plus `snippet`, `check`, `batch`,
 * `record` and `demo`.
 *
 * Exit codes: 0 ok; 2 a usage error (an unknown option, a bad `--param`);
 * 1 a service or input error, printed with the service's message and the
 * workbook's hint. Results go to stdout, the mode in force and every message
 * to stderr; colours only on a terminal and never with `NO_COLOR`. The token
 * is never printed.
 *
 * Install it as a command: `deno install -g -n hf --allow-env --allow-read
 * --allow-write --allow-net=router.huggingface.co,huggingface.co
 * --config deno.json lib/cli/main.ts`.
 *
 * @module
 */

import type { InferenceProviderOrPolicy } from "@huggingface/inference";
import { Command, CommanderError, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { HfWorkbookError } from "../errors.ts";
import { findToken } from "../env.ts";
import { describeMode, type Mode, type ModeInfo, MODES, resolveMode } from "../transport/mode.ts";
import { runBatchCommand } from "./batch.ts";
import { checkModel } from "./check.ts";
import { InputError, readInput } from "./input.ts";
import { type CliIo, dim, processIo, red, yellow } from "./io.ts";
import { describeParams, parseParams, UsageError } from "./params.ts";
import { PROGRESS_STYLES, type ProgressStyle } from "./progress.ts";
import { findTask, type TaskEntry, TASKS } from "./tasks.ts";
import type { TaskOptions } from "../tasks/_run.ts";

/** The options every task-calling command shares. */
interface CallFlags {
  model?: string;
  provider?: string;
  endpoint?: string;
  param?: string[];
  mode?: Mode;
}

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

/** A command whose arguments and options are read through the registry, not typed flag by flag. */
type DynamicCommand = Command<unknown[], Record<string, unknown>, Record<string, unknown>>;

function addCallOptions(command: DynamicCommand): DynamicCommand {
  return command
    .option("-m, --model <id>", "the model id (default: the task's model)")
    .option(
      "--provider <name>",
      "the Inference Provider (default: hf-inference, chat-completion: auto; auto: the first that serves it)",
    )
    .option("--endpoint <url>", "send the call to a dedicated Inference Endpoint instead")
    .option("-p, --param <key=value>", "a task parameter (repeatable; see the list below)", collect)
    .addOption(
      new Option("--mode <mode>", "replay, live, record or cache (default: HF_MODE, else live with a token)")
        .choices(MODES),
    );
}

/** The mode in force, told on stderr. */
function announceMode(mode: Mode | undefined, io: CliIo): ModeInfo {
  const info = resolveMode(mode ? { mode } : {});
  io.err(dim(io, describeMode(info)));
  return info;
}

function callOptions(entry: TaskEntry, flags: CallFlags, io: CliIo) {
  const parameters = parseParams(entry.parameters, flags.param ?? []);
  const info = announceMode(flags.mode, io);
  return {
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(flags.provider !== undefined ? { provider: flags.provider as InferenceProviderOrPolicy } : {}),
    ...(flags.endpoint !== undefined ? { endpointUrl: flags.endpoint } : {}),
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    mode: info.mode,
    ...(info.token ? { accessToken: info.token } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  };
}

function taskHelp(entry: TaskEntry): string {
  const input = {
    text: "the text as an argument, --file <path>, or - for stdin",
    json: "JSON as an argument, --file <path>, or - for stdin",
    binary: "a file path as the argument, or - for stdin",
  }[entry.input.kind];
  const output = entry.output === "image"
    ? "Output: the image, written to --output <file> (required); stdout says what was written (--json: as JSON)."
    : "Output: the answer on stdout (--json: as JSON); save it with > file (--output is only for image answers).";
  return [
    "",
    `Input: ${entry.input.help} (${input}).`,
    output,
    describeParams(entry.parameters),
    "",
    `Example: deno task hf ${entry.name} ${entry.example.map(shellWord).join(" ")}`,
    "(a call recorded in recordings/: it replays without a token)",
  ].join("\n");
}

/** A word as a POSIX shell reads it back: bare when it is safe, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w./@:,=+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function taskCommand(program: Command, entry: TaskEntry, io: CliIo): void {
  const snake = entry.name.replaceAll("-", "_");
  const command = program.command(entry.name).description(entry.description);
  if (snake !== entry.name) command.alias(snake);
  const image = entry.output === "image";
  // Only an image answer is written to a file; elsewhere --output is refused (hidden from help), not ignored.
  const output = new Option(
    "-o, --output <file>",
    image ? "write the image here (required)" : "image answers only",
  );
  if (!image) output.hideHelp();
  addCallOptions(command.argument("[input]", entry.input.help) as unknown as DynamicCommand)
    .option("-f, --file <path>", "read the input from a file")
    .option("--json", "print the answer as JSON")
    .addOption(output)
    .addHelpText("after", taskHelp(entry))
    .action(async (...args: unknown[]) => {
      const [input, flags] = args as [
        string | undefined,
        CallFlags & { file?: string; json?: boolean; output?: string },
      ];
      const f = flags;
      if (image && f.output === undefined) {
        throw new UsageError(`${entry.name} answers with an image: give --output <file> to save it`);
      }
      if (!image && f.output !== undefined) throw refusedOutput(entry, f.output);
      const read = await readInput(entry.input.kind, input, flags.file, io);
      const options = callOptions(entry, f, io);
      const output = await entry.run(read.value, options).catch((error) => {
        throw asUsageError(entry, error);
      });
      if (entry.output === "image") {
        const { bytes, mediaType } = imageOf(output);
        await Deno.writeFile(f.output!, bytes);
        const said = { file: f.output, mediaType, bytes: bytes.length };
        io.out(
          f.json ? JSON.stringify(said, null, 2) : `wrote ${f.output} (${mediaType}, ${bytes.length} bytes)`,
        );
        return;
      }
      io.out(f.json ? JSON.stringify(output, null, 2) : entry.print(output, read.value));
    });
}

/** `--output` on a task that answers with text or JSON: a usage error, so nothing is silently not written. */
function refusedOutput(entry: TaskEntry, file: string, snippet = false): UsageError {
  return new UsageError(
    `--output is only for tasks that answer with an image; ${entry.name} ` +
      (snippet
        ? "snippets print the answer, not a file"
        : `prints its answer on stdout: redirect it instead (> ${file})`),
  );
}

function imageOf(output: unknown): { bytes: Uint8Array; mediaType: string } {
  const o = output as { bytes?: unknown; mediaType?: unknown };
  if (o?.bytes instanceof Uint8Array) return { bytes: o.bytes, mediaType: String(o.mediaType ?? "image") };
  if (output instanceof Uint8Array) return { bytes: output, mediaType: "image" };
  throw new TypeError("Cannot save the image: the task answered with no bytes");
}

/**
 * A helper's input check that names one of the task's parameters is a bad (or missing) `--param`: a usage
 * error. Anything else is passed on as it is.
 */
function asUsageError(entry: TaskEntry, error: unknown): unknown {
  if (!(error instanceof TypeError || error instanceof RangeError) || !error.message.startsWith("Cannot ")) {
    return error;
  }
  const names = new Set(entry.parameters.map((p) => p.name.split(".")[0]!));
  const quoted = [...error.message.matchAll(/"([\w.]+)"/g)].map((m) =>
    m[1]!.replace(/^parameters\./, "").split(".")[0]!
  );
  return quoted.some((name) => names.has(name) || name === "parameters")
    ? new UsageError(error.message)
    : error;
}

/** Task options as the registry's helpers take them. */
function asTaskOptions(options: unknown): TaskOptions<Record<string, unknown>> {
  return (options ?? {}) as TaskOptions<Record<string, unknown>>;
}

function mustFindTask(name: string): TaskEntry {
  const entry = findTask(name);
  if (!entry) {
    throw new UsageError(`unknown task "${name}"; known: ${TASKS.map((t) => t.name).join(", ")}`);
  }
  return entry;
}

/** Build the program; tests call {@linkcode main} with an argument array instead. */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command("hf")
    .description(
      "hf-workbook: the Hugging Face Inference API from the shell.\n" +
        "The mode (replay without a token, live with HF_TOKEN) is shown on stderr; results go to stdout.",
    )
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({
      writeErr: (s) => io.err(s.trimEnd()),
      writeOut: (s) => io.out(s.trimEnd()),
      outputError: (s, write) => write(s.startsWith("error:") ? s.replace("error:", red(io, "error:")) : s),
    });

  for (const entry of TASKS) taskCommand(program as unknown as Command, entry, io);

  addCallOptions(
    program.command("snippet")
      .description("the same call as curl, Python (requests) and JavaScript (fetch, @huggingface/inference)")
      .argument("<task>", "the task (see the task commands)")
      .argument("[input]", "the input, as the task command takes it") as unknown as DynamicCommand,
  )
    .option("-f, --file <path>", "read the input from a file")
    .addOption(
      new Option("--lang <language>", "only this language").choices(["curl", "python", "js", "all"])
        .default("all"),
    )
    .option("-o, --output <file>", "where an image answer is saved, in the snippets (image tasks only)")
    .option("--json", "print the request and the snippets as JSON")
    .action(async (...args: unknown[]) => {
      const [taskName, input, flags] = args as [
        string,
        string | undefined,
        CallFlags & {
          file?: string;
          lang: "curl" | "python" | "js" | "all";
          output?: string;
          json?: boolean;
        },
      ];
      const entry = mustFindTask(taskName);
      if (entry.output !== "image" && flags.output !== undefined) {
        throw refusedOutput(entry, flags.output, true);
      }
      const parameters = parseParams(entry.parameters, flags.param ?? []);
      const read = await readInput(entry.input.kind, input, flags.file, io);
      const { inferenceSnippets } = await import("../snippets.ts");
      const snippets = await inferenceSnippets(
        (value: unknown, options) => entry.run(value, asTaskOptions(options)),
        read.value,
        {
          hubTask: entry.hubTask,
          method: entry.method,
          ...(flags.model !== undefined ? { model: flags.model } : {}),
          ...(flags.provider !== undefined ? { provider: flags.provider as InferenceProviderOrPolicy } : {}),
          ...(flags.endpoint !== undefined ? { endpointUrl: flags.endpoint } : {}),
          ...(Object.keys(parameters).length > 0 ? { parameters: parameters as never } : {}),
          ...(read.path !== undefined && entry.input.kind === "binary" ? { inputPath: read.path } : {}),
          ...(entry.output === "image" ? { outputPath: flags.output ?? "output.png" } : {}),
          ...(io.fetch ? { fetch: io.fetch } : {}),
        },
      );
      if (flags.json) {
        const { request, ...code } = snippets;
        const body = request.body instanceof Uint8Array ? { binaryBytes: request.body.length } : request.body;
        io.out(JSON.stringify({ request: { ...request, body }, ...code }, null, 2));
        return;
      }
      const sections: [string, string, string | undefined][] = [
        ["curl", "# curl", snippets.curl],
        ["python", "# Python (requests), like the article's query(payload)", snippets.python],
        ["js", "// JavaScript (fetch)", snippets.javascript],
        ["js", "// JavaScript (@huggingface/inference)", snippets.huggingfaceJs],
      ];
      io.out(
        sections.filter(([lang, , code]) =>
          code !== undefined && (flags.lang === "all" || flags.lang === lang)
        )
          .map(([, title, code]) => `${title}\n${code}`).join("\n\n"),
      );
    });

  program.command("check")
    .description("is this model served, by which providers, for which task (the Hub's provider mapping)")
    .argument("<model>", "the model id (owner/name)")
    .option("--provider <name>", "the provider the answer is about, or any", "hf-inference")
    .option("--json", "print what the Hub said as JSON")
    .addOption(new Option("--mode <mode>", "replay, live, record or cache").choices(MODES))
    .addHelpText("after", "\nExit code: 0 when served (by --provider), 1 when not served or not found.")
    .action(async (model, flags) => {
      const info = announceMode(flags.mode as Mode | undefined, io);
      const answer = await checkModel(model, {
        provider: flags.provider,
        mode: info.mode,
        ...(info.token ? { accessToken: info.token } : {}),
        ...(io.fetch ? { fetch: io.fetch } : {}),
      });
      if (flags.json) {
        io.out(JSON.stringify({ model, verdict: answer.verdict, ...answer.providers }, null, 2));
      } else for (const line of answer.lines) io.out(line);
      if (answer.verdict !== "served") throw new ExitCode(1);
    });

  addCallOptions(
    program.command("batch")
      .description('run a task over a JSONL file ({"id"?, "inputs", "parameters"?} per line), resumable')
      .argument("<task>", "the task (see the task commands)") as unknown as DynamicCommand,
  )
    .requiredOption("-i, --input <file>", "the JSONL input, or - for stdin")
    .requiredOption("-o, --output <file>", "the JSONL output (appended to; items already in it are skipped)")
    .option("-c, --concurrency <n>", "requests in flight at once", positiveInteger("--concurrency"), 4)
    .option(
      "-r, --rate <rate>",
      "requests per second, e.g. 50/s or 3000/min (default: found from the service's 429s)",
    )
    .option(
      "--max-attempts <n>",
      "attempts per item for 429, 5xx and network errors",
      positiveInteger("--max-attempts"),
      5,
    )
    .option("--retry-failed", "drop the failed items from the output first, so they are tried again")
    .addOption(
      new Option("--progress <style>", "progress on stderr: a bar on a terminal, lines otherwise")
        .choices(PROGRESS_STYLES).default("auto"),
    )
    .option("--json", "print the summary as JSON on stdout")
    .addHelpText(
      "after",
      "\nOutput lines: {id, output | error: {status, kind, message}, attempts, latency_ms}, written as items finish." +
        "\nRe-run the same command to resume. Exit code 0 when every item is done; 1 when some failed, were bad," +
        "\nor are pending (stopped on 401/402/403, or interrupted).",
    )
    .action(async (...args: unknown[]) => {
      const [taskName, flags] = args as [
        string,
        CallFlags & {
          input: string;
          output: string;
          concurrency: number;
          rate?: string;
          maxAttempts: number;
          retryFailed?: boolean;
          progress: ProgressStyle;
          json?: boolean;
        },
      ];
      const entry = mustFindTask(taskName);
      const parameters = parseParams(entry.parameters, flags.param ?? []);
      if (flags.rate !== undefined) {
        const { parseRate } = await import("../batch/_rate.ts");
        try {
          parseRate(flags.rate);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      }
      const info = announceMode(flags.mode, io);
      const interrupt = new AbortController();
      // The first Ctrl-C stops the batch cleanly (a summary, the rest pending); a second one ends the process.
      const onSignal = () => interrupt.signal.aborted ? Deno.exit(130) : interrupt.abort();
      const listening = io === defaultIo && addSignal(onSignal);
      try {
        const code = await runBatchCommand(
          entry,
          {
            input: flags.input,
            output: flags.output,
            parameters,
            concurrency: flags.concurrency,
            ...(flags.rate !== undefined ? { rate: flags.rate } : {}),
            maxAttempts: flags.maxAttempts,
            ...(flags.retryFailed ? { retryFailed: true } : {}),
            ...(flags.model !== undefined ? { model: flags.model } : {}),
            ...(flags.provider !== undefined ? { provider: flags.provider } : {}),
            ...(flags.endpoint !== undefined ? { endpoint: flags.endpoint } : {}),
            progress: flags.progress,
            ...(flags.json ? { json: true } : {}),
            signal: interrupt.signal,
          },
          info,
          io,
        );
        if (code !== 0) throw new ExitCode(code);
      } finally {
        if (listening) Deno.removeSignalListener("SIGINT", onSignal);
      }
    });

  program.command("record")
    .description("re-record every recording live with your token (HF_TOKEN) and report what changed")
    .option("--only <tasks...>", "only these recordings files (task names)")
    .action(async (options) => {
      const found = findToken();
      if (!found) {
        throw new UsageError(
          'HF_TOKEN is not set: put a token with the "Make calls to Inference Providers" permission in .env or the environment',
        );
      }
      const { recordAll } = await import("./record.ts");
      const report = await recordAll({
        token: found.token,
        print: (line) => io.out(line),
        ...(options.only ? { only: options.only } : {}),
        ...(io.fetch ? { fetch: io.fetch } : {}),
      });
      if (report.failed > 0) throw new ExitCode(1);
    });

  program.command("demo")
    .description("the article's example end to end (replay without a token, live with HF_TOKEN)")
    .action(async () => {
      const { runDemo } = await import("./demo.ts");
      await runDemo(resolveMode(), {
        print: (line) => io.out(line),
        ...(io.fetch ? { fetch: io.fetch } : {}),
      });
    });

  return program as unknown as Command;
}

/** Ends a command with an exit code and nothing more to say. */
class ExitCode extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

const defaultIo: CliIo = processIo();

function addSignal(handler: () => void): boolean {
  try {
    Deno.addSignalListener("SIGINT", handler);
    return true;
  } catch {
    return false;
  }
}

/**
 * Run the command line with `args` (without the program name); returns the
 * exit code. Tests pass their own `io`.
 *
 * @example Usage errors exit 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./main.ts";
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
export async function main(args: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    return report(error, io);
  }
}

/** Print an error the way the command line does, and return its exit code. */
function report(error: unknown, io: CliIo): number {
  if (error instanceof ExitCode) return error.code;
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  const say = (message: string, hint?: string) => {
    io.err(`${red(io, "error:")} ${message}`);
    if (hint) io.err(`${yellow(io, "hint:")} ${hint}`);
  };
  if (error instanceof UsageError) {
    say(error.message, "see --help");
    return 2;
  }
  if (error instanceof HfWorkbookError) {
    say(error.message, error.hint);
    return 1;
  }
  if (error instanceof InputError) {
    say(error.message);
    return 1;
  }
  if ((error instanceof TypeError || error instanceof RangeError) && error.message.startsWith("Cannot ")) {
    // The helpers' input checks: a bad parameter or option is a usage error, a bad input an input error.
    const usage = /"(parameters\b[^"]*|model|endpointUrl|provider|rate|concurrency)"|\bHF_MODE\b/.test(
      error.message,
    );
    say(error.message, usage ? "see --help" : undefined);
    return usage ? 2 : 1;
  }
  throw error;
}

if (import.meta.main) {
  const code = await main(Deno.args);
  if (code !== 0) Deno.exitCode = code;
}
