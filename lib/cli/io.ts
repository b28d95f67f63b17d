/**
 * Where the command line reads and writes: stdout for results, stderr for the
 * mode, progress and errors, stdin for `-`. Tests pass their own.
 *
 * Colours are decided here, from what Deno knows without asking for any
 * permission: whether stderr is a terminal and `NO_COLOR` (`Deno.noColor`).
 * Nothing reads the colour variables that `node:tty` reads (TERM_PROGRAM,
 * COLORTERM, TMUX, ...), so a terminal never sees a permission prompt.
 *
 * @module
 */

/** The command line's input and output. */
export interface CliIo {
  /** Write one line of results (stdout). */
  out(line: string): void;
  /** Write one line of messages (stderr). */
  err(line: string): void;
  /** Read all of stdin. */
  readStdin(): Promise<Uint8Array>;
  /** Stdin as a stream (the batch reads its input from it with `--input -`). */
  stdin(): ReadableStream<Uint8Array>;
  /** Write raw text to stderr, without a line break (the progress bar). */
  writeErr(text: string): void;
  /** Write raw text to stdout, without a line break (streamed tokens). When not given: collected into one `out` line. */
  writeOut?(text: string): void;
  /** Whether stderr is a terminal (progress bar, colours). */
  errIsTerminal: boolean;
  /** Whether stdout is a terminal (`--stream` is then the default). @default {false} */
  outIsTerminal?: boolean;
  /** The terminal's width, when stdout is one (help is wrapped to it, at most 100 columns). */
  columns?: number;
  /** Whether colours may be used on stderr: a terminal, and `NO_COLOR` unset. */
  color: boolean;
  /** The network edge, for tests; the transport's modes, retries and recordings still wrap it. */
  fetch?: typeof fetch;
  /** Whether this is the process's own terminal: only then are signal handlers installed. @default {false} */
  process?: boolean;
}

/** The process's own stdout, stderr and stdin. */
export function processIo(): CliIo {
  const encoder = new TextEncoder();
  const errIsTerminal = Deno.stderr.isTerminal();
  const outIsTerminal = Deno.stdout.isTerminal();
  const columns = outIsTerminal ? consoleColumns() : undefined;
  return {
    out: (line) => writeAll(Deno.stdout, encoder.encode(line + "\n")),
    err: (line) => writeAll(Deno.stderr, encoder.encode(line + "\n")),
    readStdin: async () => new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer()),
    stdin: () => Deno.stdin.readable,
    writeErr: (text) => writeAll(Deno.stderr, encoder.encode(text)),
    writeOut: (text) => writeAll(Deno.stdout, encoder.encode(text)),
    errIsTerminal,
    outIsTerminal,
    ...(columns !== undefined ? { columns } : {}),
    color: errIsTerminal && !Deno.noColor,
    process: true,
  };
}

/** Write every byte (a pipe may take fewer at once); a closed pipe (`| head`) ends quietly. */
function writeAll(file: { writeSync(bytes: Uint8Array): number }, bytes: Uint8Array): void {
  try {
    for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

/** The terminal's width; none when it says 0 (a pseudo-terminal nobody sized, as `script` makes one). */
function consoleColumns(): number | undefined {
  try {
    const { columns } = Deno.consoleSize();
    return columns > 0 ? columns : undefined;
  } catch {
    return undefined;
  }
}

/** `text` in red (errors) when colours are on. */
export function red(io: CliIo, text: string): string {
  return io.color ? `\x1b[31m${text}\x1b[39m` : text;
}

/** `text` in yellow (hints) when colours are on. */
export function yellow(io: CliIo, text: string): string {
  return io.color ? `\x1b[33m${text}\x1b[39m` : text;
}

/** `text` dimmed (the mode line) when colours are on. */
export function dim(io: CliIo, text: string): string {
  return io.color ? `\x1b[2m${text}\x1b[22m` : text;
}
