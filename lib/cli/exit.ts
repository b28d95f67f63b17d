/**
 * Exit codes, decided by the class (or the `kind`) of what was thrown, never
 * by its message: 0 ok; 2 the command line is wrong (an option, a parameter,
 * an input, a path), refused before any request; 1 something failed while
 * running (the service, the network, a recording, the disk); 130 stopped by
 * Ctrl-C. Every error is one `error:` line and a `hint:` line, no stack.
 *
 * @module
 */

import { commandLead, HF_HOSTS } from "./_invocation.ts";
import { type CliIo, red, yellow } from "./io.ts";

/** Ends a command with an exit code and nothing more to say. */
export class ExitCode extends Error {
  /** The exit code. */
  readonly code: number;

  /** Build it. */
  constructor(code: number) {
    super(`exit ${code}`);
    this.name = "ExitCode";
    this.code = code;
  }
}

/** An error the command line phrased itself (its own flags in the hint), with its exit code. */
export class CliError extends Error {
  /** What to do next. */
  readonly hint: string;
  /** The exit code. */
  readonly code: number;

  /** Build it. */
  constructor(message: string, hint: string, code: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "CliError";
    this.hint = hint;
    this.code = code;
  }
}

/** An error the command line says, with its exit code and its hint. */
interface Said {
  code: number;
  message?: string;
  hint?: string | undefined;
}

/** A workbook error as the hints need it: its kind, and the host when it names one. */
interface KindError {
  kind: string;
  hint: string;
  host?: string;
}

/**
 * The command line's own hints, by kind, where the library's name its options (`endpointUrl`, `HF_MODE=`);
 * `lead` is how this command line is run (`deno task hf`, or `deno run ... main.ts`).
 */
function cliHint(error: KindError, lead: (hosts?: string) => string): string {
  switch (error.kind) {
    case "not-served":
      return `See who serves it: ${lead()} check <model> --provider any; pass --provider, or --endpoint ` +
        "<url> for your own Inference Endpoint";
    case "host-not-found":
      return `Check the host ${
        error.host ?? ""
      } (the URL of --endpoint, if you gave one) and your connection; ` +
        "offline, --mode replay answers from recordings/";
    case "not-permitted":
      return `Allow the host: ${lead(`${error.host},${HF_HOSTS}`)} ... (deno task hf may reach only ` +
        `${HF_HOSTS.replace(",", " and ")})`;
    case "network":
      return "Check your connection; offline, --mode replay answers from recordings/";
    case "out-of-credits":
      return "Your monthly included credits are used up: wait for next month, add credits or PRO " +
        "(https://huggingface.co/settings/billing), or use your own Inference Endpoint (--endpoint <url>)";
    case "not-recorded":
      return "Replay answers only recorded calls. Record this one with your token: HF_TOKEN=hf_... and " +
        `--mode record (or --mode cache), then run it again; ${lead()} record re-records every file`;
    default:
      return error.hint;
  }
}

/**
 * The exit code of a workbook error of `kind`: 2 for a permission the Deno
 * sandbox refuses (the command was run without the flag it needs; nothing
 * was sent), 1 for every other failure while running.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exitCodeOfKind } from "./exit.ts";
 *
 * assert.equal(exitCodeOfKind("not-permitted"), 2);
 * assert.equal(exitCodeOfKind("host-not-found"), 1);
 * ```
 */
export function exitCodeOfKind(kind: string): number {
  return kind === "not-permitted" ? 2 : 1;
}

/** The file-system errors said in one line wherever they come from. */
const FILE_ERRORS = [
  Deno.errors.NotFound,
  Deno.errors.PermissionDenied,
  Deno.errors.NotCapable,
  Deno.errors.IsADirectory,
  Deno.errors.AlreadyExists,
  Deno.errors.NotADirectory,
];

/** What to say for `error`, and the exit code; undefined for what is not the command line's to say (a bug). */
async function said(error: unknown): Promise<Said | undefined> {
  if (error instanceof ExitCode) return { code: error.code };
  if (error instanceof CliError) return { code: error.code, message: error.message, hint: error.hint };
  // Loaded only now: `--help` never pays for them.
  const [{ UsageError }, { HfWorkbookError }, { FileError }, { InputError }] = await Promise.all([
    import("./params.ts"),
    import("../errors.ts"),
    import("./_files.ts"),
    import("./input.ts"),
  ]);
  if (error instanceof UsageError) return { code: 2, message: error.message, hint: "see --help" };
  if (error instanceof HfWorkbookError) {
    const hint = cliHint(error as KindError, (hosts) => commandLead(hosts ? { hosts } : {}));
    return { code: exitCodeOfKind(error.kind), message: error.message, hint };
  }
  if (error instanceof FileError) return { code: error.code, message: error.message };
  if (error instanceof InputError) return { code: 2, message: error.message };
  // The helpers' argument checks (a TypeError or RangeError, "Cannot ..."): refused before any request.
  if (error instanceof TypeError || error instanceof RangeError) {
    return { code: 2, message: error.message, hint: "see --help" };
  }
  if (error instanceof Deno.errors.BrokenPipe) return { code: 0 };
  // A file problem met further in (the batch runner's own files): Deno's message names the path.
  if (FILE_ERRORS.some((kind) => error instanceof kind)) {
    return {
      code: 1,
      message: (error as Error).message,
      hint: "check the path, its folder and its permissions",
    };
  }
  // Loaded last: a task call that never built the program (main's direct call) does not load commander for this.
  const { CommanderError } = await import("npm:@commander-js/extra-typings@^15.1.0");
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2 };
  return undefined;
}

/**
 * Print `error` the way the command line does and return its exit code;
 * anything that is not the command line's to say (a bug) is thrown on.
 *
 * @throws {unknown} `error` itself, when it is not the command line's to say.
 */
export async function report(error: unknown, io: CliIo): Promise<number> {
  const answer = await said(error);
  if (answer === undefined) throw error;
  if (answer.message !== undefined) io.err(`${red(io, "error:")} ${answer.message}`);
  if (answer.hint) io.err(`${yellow(io, "hint:")} ${answer.hint}`);
  return answer.code;
}
