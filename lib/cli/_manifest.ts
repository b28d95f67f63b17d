/**
 * The root `--help` without loading the registry: `_commands.json` keeps each
 * task's name and line, with a digest of `tasks.ts` they were read from. When
 * the digest still matches (checked by reading `tasks.ts`, only when read
 * permission is already granted: never a prompt), `deno task hf --help` lists
 * the tasks from it; otherwise, and for every other command, the registry is
 * loaded. Refresh it after changing the registry:
 * `deno run --allow-read --allow-write lib/cli/_manifest.ts` (a test fails
 * while it is stale).
 *
 * @module
 */

import manifest from "./_commands.json" with { type: "json" };
import type { TaskSummary } from "./program.ts";

const REGISTRY = new URL("./tasks.ts", import.meta.url);

/** FNV-1a (32 bits) of `bytes`, in hex: enough to notice a changed file, fast to compute. */
export function digest(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

/** The registry file's digest; undefined when it cannot be read without asking. */
export function registryDigest(): string | undefined {
  if (REGISTRY.protocol !== "file:") return undefined;
  try {
    if (Deno.permissions.querySync({ name: "read", path: REGISTRY }).state !== "granted") return undefined;
    return digest(Deno.readFileSync(REGISTRY));
  } catch {
    return undefined;
  }
}

/** The tasks of `_commands.json`, when they are those of `tasks.ts` as it is now. */
export function cachedTasks(): readonly TaskSummary[] | undefined {
  return registryDigest() === manifest.registry ? manifest.tasks : undefined;
}

/** The manifest `tasks.ts` gives now. */
export async function currentManifest(): Promise<{ registry: string; tasks: TaskSummary[] }> {
  const { TASKS } = await import("./tasks.ts");
  return {
    registry: digest(await Deno.readFile(REGISTRY)),
    tasks: TASKS.map(({ name, description }) => ({ name, description })),
  };
}

if (import.meta.main) {
  const next = await currentManifest();
  await Deno.writeTextFile(
    new URL("./_commands.json", import.meta.url),
    JSON.stringify(next, null, 2) + "\n",
  );
  console.log(`lib/cli/_commands.json: ${next.tasks.length} tasks, registry ${next.registry}`);
}
