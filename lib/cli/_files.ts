/**
 * The files the command line is given, checked before any request: a
 * missing input, a missing output folder, a folder given as a file, an
 * output that exists (kept unless `--force`) or cannot be written. Each is a
 * {@linkcode FileError}: one line naming the path and what to do, exit 2 when
 * the command line names the wrong path, 1 when the system refuses.
 *
 * @module
 */

import { dirname } from "node:path";

/** A file-system problem, said in one line; `code` is the exit code. */
export class FileError extends Error {
  /** The path the problem is about. */
  readonly path: string;
  /** 2: the command line names the wrong path; 1: the system refused (permissions, a full disk). */
  readonly code: 1 | 2;

  /** Build the error. */
  constructor(path: string, message: string, code: 1 | 2, options?: ErrorOptions) {
    super(message, options);
    this.name = "FileError";
    this.path = path;
    this.code = code;
  }
}

/** What a failed file operation means, from the error's class (never its text). */
export function fileError(path: string, error: unknown, doing: "read" | "write"): FileError {
  const what = doing === "read" ? "read" : "write to";
  if (error instanceof Deno.errors.NotFound) {
    return doing === "read"
      ? new FileError(path, `${path} does not exist: check the path`, 2, { cause: error })
      : new FileError(
        path,
        `The folder of ${path} does not exist: create it (mkdir -p ${dirname(path)})`,
        2,
        {
          cause: error,
        },
      );
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new FileError(path, `${path} is a folder: give a file's path`, 2, { cause: error });
  }
  if (error instanceof Deno.errors.AlreadyExists) {
    return new FileError(path, `${path} exists: add --force to overwrite it, or choose another name`, 2, {
      cause: error,
    });
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new FileError(path, `Cannot ${what} ${path}: permission denied (check the file's mode)`, 1, {
      cause: error,
    });
  }
  if (error instanceof Deno.errors.NotCapable) {
    const flag = doing === "read" ? "--allow-read" : "--allow-write";
    return new FileError(path, `Deno does not allow to ${what} ${path}: run with ${flag}=${path}`, 1, {
      cause: error,
    });
  }
  const name = error instanceof Error ? error.name : "an error";
  return new FileError(path, `Cannot ${what} ${path} (${name})`, 1, { cause: error });
}

/** Stat `path`, or undefined when nothing is there. */
async function statOf(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw fileError(path, error, "read");
  }
}

/**
 * An input file: it exists and is a file.
 *
 * @throws {FileError} When the file is missing or not a file.
 */
export async function checkInputFile(path: string): Promise<void> {
  const info = await statOf(path);
  if (info === undefined) throw new FileError(path, `${path} does not exist: check the path`, 2);
  if (info.isDirectory) throw new FileError(path, `${path} is a folder: give a file's path`, 2);
}

/**
 * An output file: its folder exists, it is not a folder, and (unless
 * `append` or `force`) nothing is there yet.
 *
 * @throws {FileError} When the file exists (without --force) or its folder does not.
 */
export async function checkOutputFile(
  path: string,
  options: { force?: boolean; append?: boolean; flag?: string } = {},
): Promise<void> {
  const flag = options.flag ?? "--output";
  const folder = dirname(path);
  const parent = await statOf(folder);
  if (parent === undefined) {
    throw new FileError(
      path,
      `The folder ${folder} does not exist: create it (mkdir -p ${folder}) or choose another ${flag}`,
      2,
    );
  }
  if (!parent.isDirectory) throw new FileError(path, `${folder} is not a folder: choose another ${flag}`, 2);
  const info = await statOf(path);
  if (info?.isDirectory) throw new FileError(path, `${path} is a folder: give a file name for ${flag}`, 2);
  if (info !== undefined && !options.force && !options.append) {
    throw new FileError(path, `${path} exists: add --force to overwrite it, or choose another ${flag}`, 2);
  }
}

/**
 * Write `bytes` to `path`: a new file unless `force`.
 *
 * @throws {FileError} When the file cannot be written (it exists, no permission, no folder).
 */
export async function writeOutputFile(path: string, bytes: Uint8Array, force = false): Promise<void> {
  try {
    await Deno.writeFile(path, bytes, force ? {} : { createNew: true });
  } catch (error) {
    throw fileError(path, error, "write");
  }
}

/**
 * Read a text file the command line was given.
 *
 * @throws {FileError} When the file cannot be read.
 */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw fileError(path, error, "read");
  }
}
