/**
 * `hf <task> [input]`: one call of one task, its answer on stdout (streamed
 * as it is generated for chat-completion and text-generation on a terminal),
 * the mode and the answer's provenance on stderr, an image answer written to
 * `--output` (never over an existing file without `--force`).
 *
 * @module
 */

import { interruptOnSigint } from "./_interrupt.ts";
import { explainMiss } from "./_miss.ts";
import { type CallFlags, callOptions } from "./_options.ts";
import { streamAnswer, withSystem } from "./_stream_answer.ts";
import { CliError, ExitCode } from "./exit.ts";
import { readInput } from "./input.ts";
import { type CliIo, dim } from "./io.ts";
import { UsageError } from "./params.ts";
import { STREAMING_TASKS } from "./_streaming.ts";
import type { TaskEntry } from "./tasks.ts";

/** The flags of a task command. */
export interface TaskFlags extends CallFlags {
  /** `--file`: read the input from this file. */
  file?: string;
  /** `--json`: print the answer as JSON. */
  json?: boolean;
  /** `--output`: where an image answer is written. */
  output?: string;
  /** `--force`: overwrite `--output`. */
  force?: boolean;
  /** `--stream` / `--no-stream`; undefined: streamed on a terminal when live. */
  stream?: boolean;
  /** `--system`: a system message before the conversation (chat-completion). */
  system?: string;
}

/** Flags that only some tasks take, checked before anything is read. */
function checkTaskFlags(entry: TaskEntry, flags: TaskFlags): void {
  const image = entry.output === "image";
  if (image && flags.output === undefined) {
    throw new UsageError(`${entry.name} answers with an image: give --output <file> to save it`);
  }
  if (!image && flags.output !== undefined) {
    throw new UsageError(
      `--output is only for tasks that answer with an image; ${entry.name} prints its answer on stdout: ` +
        `redirect it instead (> ${flags.output})`,
    );
  }
  if (flags.stream && flags.json) throw new UsageError("--stream prints text as it comes: leave out --json");
}

/**
 * Run `entry` on the command line's input and print its answer.
 *
 * @throws {ExitCode} When the call fails: the exit code to end with.
 */
export async function runCall(
  entry: TaskEntry,
  argument: string | undefined,
  flags: TaskFlags,
  io: CliIo,
): Promise<void> {
  checkTaskFlags(entry, flags);
  if (flags.output !== undefined) {
    // Loaded for --output only: the file helpers bring node:path (see lib/_paths.ts).
    const { checkOutputFile } = await import("./_files.ts");
    await checkOutputFile(flags.output, { force: flags.force ?? false });
  }
  const read = await readInput(entry.input.kind, argument, flags.file, io);
  const input = flags.system !== undefined ? withSystem(read.value, flags.system) : read.value;
  const { options } = await callOptions(entry, flags, io);
  // Streamed by default on a terminal, when live: a replayed answer prints whole, with who recorded it.
  const streaming = STREAMING_TASKS.includes(entry.name) &&
    (flags.stream ?? (io.outIsTerminal === true && !flags.json && options.mode !== "replay"));
  using interrupt = interruptOnSigint(io);
  options.signal = interrupt.signal;
  try {
    const output = streaming
      ? await streamAnswer(entry, input, options, io)
      : await printAnswer(entry, input, await entry.run(input, options), flags, io);
    await tellProvenance(output, io, flags.quiet ?? false);
  } catch (error) {
    if (interrupt.interrupted) {
      io.err("stopped (Ctrl-C)");
      throw new ExitCode(130);
    }
    throw await explainMiss(error, entry, { input, options, io });
  }
}

/** Print (or save) the answer; returns it, for its provenance. */
async function printAnswer(
  entry: TaskEntry,
  input: unknown,
  output: unknown,
  flags: TaskFlags,
  io: CliIo,
): Promise<unknown> {
  if (entry.output !== "image") {
    io.out(flags.json ? JSON.stringify(output, null, 2) : entry.print(output, input));
    return output;
  }
  const { bytes, mediaType } = imageOf(output);
  const { writeOutputFile } = await import("./_files.ts");
  await writeOutputFile(flags.output!, bytes, flags.force ?? false);
  const said = { file: flags.output, mediaType, bytes: bytes.length };
  io.out(
    flags.json
      ? JSON.stringify(said, null, 2)
      : `wrote ${flags.output} (${mediaType}, ${bytes.length} bytes)`,
  );
  return output;
}

function imageOf(output: unknown): { bytes: Uint8Array; mediaType: string } {
  const o = output as { bytes?: unknown; mediaType?: unknown };
  if (o?.bytes instanceof Uint8Array) return { bytes: o.bytes, mediaType: String(o.mediaType ?? "image") };
  if (output instanceof Uint8Array) return { bytes: output, mediaType: "image" };
  throw new CliError(
    "Cannot save the image: the task answered with no bytes",
    "check that the model draws images (deno task hf check <model>)",
    1,
  );
}

/** Where the answer came from, on stderr: always for a replayed one (it is not a live answer). */
export async function tellProvenance(output: unknown, io: CliIo, quiet: boolean): Promise<void> {
  const { provenanceLabel, provenanceOf } = await import("../provenance.ts");
  const provenance = provenanceOf(output);
  if (provenance === undefined || (quiet && provenance.kind === "live")) return;
  io.err(dim(io, provenanceLabel(provenance)));
}
