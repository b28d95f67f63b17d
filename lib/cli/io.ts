/**
 * Where the command line reads and writes: stdout for results, stderr for the
 * mode, progress and errors, stdin for `-`. Tests pass their own.
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
  /** Whether stderr is a terminal (progress bar, colours). */
  errIsTerminal: boolean;
  /** Whether colours may be used on stderr: a terminal, and `NO_COLOR` unset. */
  color: boolean;
  /** The network edge, for tests; the transport's modes, retries and recordings still wrap it. */
  fetch?: typeof fetch;
}

/** The process's own stdout, stderr and stdin. */
export function processIo(): CliIo {
  const encoder = new TextEncoder();
  const errIsTerminal = Deno.stderr.isTerminal();
  return {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    readStdin: async () => new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer()),
    stdin: () => Deno.stdin.readable,
    writeErr: (text) => {
      Deno.stderr.writeSync(encoder.encode(text));
    },
    errIsTerminal,
    color: errIsTerminal && !Deno.noColor,
  };
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
