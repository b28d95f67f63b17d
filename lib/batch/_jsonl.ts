/**
 * JSON Lines, streamed: read a file (or any byte stream) line by line without
 * loading it whole, append lines to a file one `write` at a time (so a killed
 * process loses nothing that was written), and repair a file whose last line
 * was cut by a crash.
 *
 * @module
 */

/** One line of a JSONL source. */
export interface NumberedLine {
  /** The line number, from 1. */
  line: number;
  /** The text, without the line break (a trailing `\r` is dropped too). */
  text: string;
}

/**
 * The lines of `source`, numbered from 1, decoded as UTF-8 as they arrive:
 * only one chunk and one line are held at a time.
 */
export async function* readLines(source: ReadableStream<Uint8Array>): AsyncGenerator<NumberedLine> {
  let rest = "";
  let line = 0;
  // Typed as lib.dom has it, whichever typings of TextDecoderStream the program also loads (node's differ).
  const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
  for await (const chunk of source.pipeThrough(decoder)) {
    const text = rest + chunk;
    let from = 0;
    let at: number;
    while ((at = text.indexOf("\n", from)) !== -1) {
      line++;
      yield { line, text: stripCr(text.slice(from, at)) };
      from = at + 1;
    }
    rest = text.slice(from);
  }
  if (rest !== "") yield { line: line + 1, text: stripCr(rest) };
}

function stripCr(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

/** Open `path` and stream its lines; the file is closed when the loop ends. */
export async function* readFileLines(path: string | URL): AsyncGenerator<NumberedLine> {
  const file = await Deno.open(path, { read: true });
  yield* readLines(file.readable);
}

/** How many non-blank lines `path` has, counted in one streamed pass. */
export async function countLines(path: string | URL): Promise<number> {
  let count = 0;
  for await (const { text } of readFileLines(path)) {
    if (text.trim() !== "") count++;
  }
  return count;
}

/**
 * Make sure `path` ends with a line break: a process killed in the middle of a
 * write leaves a cut last line, which is removed (returns its length in
 * bytes, 0 when there was nothing to cut). A missing file is fine.
 *
 * @throws {Deno.errors.PermissionDenied} When the file may not be opened for writing (any other error opening it too).
 */
export async function repairLastLine(path: string | URL): Promise<number> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    if (size === 0) return 0;
    const block = 64 * 1024;
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - block);
      const buffer = new Uint8Array(end - start);
      await file.seek(start, Deno.SeekMode.Start);
      await readFull(file, buffer);
      const at = buffer.lastIndexOf(0x0a);
      if (at !== -1) {
        const keep = start + at + 1;
        if (keep < size) await file.truncate(keep);
        return size - keep;
      }
      end = start;
    }
    await file.truncate(0);
    return size;
  } finally {
    file.close();
  }
}

async function readFull(file: Deno.FsFile, buffer: Uint8Array): Promise<void> {
  let read = 0;
  while (read < buffer.length) {
    const n = await file.read(buffer.subarray(read));
    if (n === null) break;
    read += n;
  }
}

/**
 * Appends lines to a file, one `write` call per line, in the order `write`
 * was called. Each line reaches the operating system before the next one is
 * written, so a killed process loses only lines not yet written.
 */
export class JsonlAppender {
  readonly #file: Deno.FsFile;
  #chain: Promise<void> = Promise.resolve();
  readonly #encoder = new TextEncoder();

  private constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /** Open `path` for appending (created when missing). */
  static async open(path: string | URL): Promise<JsonlAppender> {
    return new JsonlAppender(await Deno.open(path, { create: true, append: true, write: true }));
  }

  /** Append `value` as one JSON line. */
  write(value: unknown): Promise<void> {
    const bytes = this.#encoder.encode(`${JSON.stringify(value)}\n`);
    this.#chain = this.#chain.then(async () => {
      let written = 0;
      while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
    });
    return this.#chain;
  }

  /** Wait for every pending write, then close the file. */
  async close(): Promise<void> {
    try {
      await this.#chain;
    } finally {
      this.#file.close();
    }
  }
}
