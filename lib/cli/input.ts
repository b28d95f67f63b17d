/**
 * A task's input from the command line: an argument, a file (`--file`), or
 * stdin (`-`); JSON inputs parsed; binary inputs by path (or stdin bytes).
 *
 * @module
 */

import type { CliIo } from "./io.ts";
import { UsageError } from "./params.ts";
import type { InputKind } from "./tasks.ts";

/** An input that does not parse (JSON expected): the command line exits 2, before any request. */
export class InputError extends Error {
  /** Build the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InputError";
  }
}

/** What was read, and the file it came from (for snippets). */
export interface ReadInput {
  /** The value the task helper takes. */
  value: unknown;
  /** The file it came from, when it came from one. */
  path?: string;
}

/** The file helpers, loaded for an input read from a file only (they bring `node:path`, see lib/_paths.ts). */
function files(): Promise<typeof import("./_files.ts")> {
  return import("./_files.ts");
}

/**
 * Read a task's input. `argument` is the positional argument (`-` for stdin),
 * `file` the `--file` option.
 *
 * @throws {UsageError} When the input is missing or given twice.
 * @throws {InputError} When the input cannot be read or parsed.
 */
export async function readInput(
  kind: InputKind,
  argument: string | undefined,
  file: string | undefined,
  io: CliIo,
): Promise<ReadInput> {
  if (argument !== undefined && file !== undefined) {
    throw new UsageError("give the input once: as an argument or with --file, not both");
  }
  if (argument === undefined && file === undefined) {
    throw new UsageError(
      kind === "binary"
        ? "give the input file's path as an argument (or - to read it from stdin)"
        : "give the input as an argument, with --file <path>, or - to read it from stdin",
    );
  }
  if (kind === "binary") {
    if (argument === "-") return { value: await io.readStdin() };
    const path = (file ?? argument)!;
    await (await files()).checkInputFile(path);
    return { value: path, path };
  }
  let text: string;
  let path: string | undefined;
  if (file !== undefined) {
    path = file;
    const { checkInputFile, readTextFile } = await files();
    await checkInputFile(file);
    text = await readTextFile(file);
  } else if (argument === "-") {
    text = new TextDecoder().decode(await io.readStdin());
  } else {
    text = argument!;
  }
  if (file !== undefined || argument === "-") text = text.replace(/\r?\n$/, "");
  if (kind === "text") return { value: text, ...(path ? { path } : {}) };
  try {
    return { value: JSON.parse(text), ...(path ? { path } : {}) };
  } catch (error) {
    throw new InputError(
      `Cannot read the input: it must be JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
}
