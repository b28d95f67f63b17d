/**
 * The root `--help` without loading the registry or commander:
 * `_commands.json` keeps each task's name and line and the root help's text
 * (at 100 columns), with a digest of the files they were made from
 * (`_entries.ts`, `tasks.ts`, `program.ts`, `_help.ts`). While the digest
 * matches (checked by reading those files, only when read permission is
 * already granted: never a prompt), `deno task hf --help` prints the kept
 * text and `deno task hf` lists the kept tasks; otherwise, and for every
 * other command, the program is built from the registry. Refresh it after
 * changing those files: `deno run --allow-read --allow-write
 * lib/cli/_manifest.ts` (a test fails while it is stale; meanwhile the help
 * is only slower, never wrong).
 *
 * @module
 */

import manifest from "./_commands.json" with { type: "json" };
import type { CliIo } from "./io.ts";
import type { TaskSummary } from "./program.ts";

/** The files the kept help is made from. */
const SOURCES = ["./_entries.ts", "./tasks.ts", "./program.ts", "./_help.ts"].map((p) =>
  new URL(p, import.meta.url)
);

/** What `_commands.json` holds. */
export interface Manifest {
  /** The digest of {@linkcode SOURCES}. */
  registry: string;
  /** Each task's name and line. */
  tasks: TaskSummary[];
  /** The lines the root `--help` writes at 100 columns. */
  help: string[];
}

/** FNV-1a (32 bits) of `bytes`, in hex: enough to notice a changed file, fast to compute. */
export function digest(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

function readable(url: URL): boolean {
  return url.protocol === "file:" &&
    Deno.permissions.querySync({ name: "read", path: url }).state === "granted";
}

/** The digest of the help's source files; undefined when they cannot be read without asking. */
export function sourcesDigest(): string | undefined {
  try {
    if (!SOURCES.every(readable)) return undefined;
    const parts = SOURCES.map((url) => Deno.readFileSync(url));
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    return digest(all);
  } catch {
    return undefined;
  }
}

/** `_commands.json`, when it was made from the files as they are now. */
export function currentCache(): Manifest | undefined {
  return sourcesDigest() === manifest.registry ? manifest : undefined;
}

/** The tasks of `_commands.json`, when current. */
export function cachedTasks(): readonly TaskSummary[] | undefined {
  return currentCache()?.tasks;
}

/** The manifest the source files give now: the registry's tasks and the root help, rendered. */
export async function currentManifest(): Promise<Manifest> {
  const [{ TASKS }, { buildProgram }] = await Promise.all([import("./tasks.ts"), import("./program.ts")]);
  const help: string[] = [];
  const io: CliIo = {
    out: (line) => help.push(line),
    err: () => {},
    readStdin: () => Promise.resolve(new Uint8Array()),
    stdin: () => new ReadableStream(),
    writeErr: () => {},
    errIsTerminal: false,
    color: false,
  };
  await buildProgram(TASKS, io).parseAsync(["--help"], { from: "user" }).catch(() => {});
  return {
    registry: sourcesDigest() ?? "",
    tasks: TASKS.map(({ name, description }) => ({ name, description })),
    help,
  };
}

if (import.meta.main) {
  const next = await currentManifest();
  await Deno.writeTextFile(
    new URL("./_commands.json", import.meta.url),
    JSON.stringify(next, null, 2) + "\n",
  );
  console.log(`lib/cli/_commands.json: ${next.tasks.length} tasks, digest ${next.registry}`);
}
