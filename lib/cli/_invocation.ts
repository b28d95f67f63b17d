/**
 * How to run this command line again, as the hints write it: `deno task hf`
 * in the repository (its deno.json names the task), else `deno run ...` with
 * the path (or URL) of this command line's `main.ts`, so a hint never names a
 * task the user's folder does not have.
 *
 * @module
 */

/** The flags `deno task hf` runs with, but the net one (a hint adds the hosts it needs). */
const FLAGS = "--allow-env --allow-read --allow-write";

/** The hosts `deno task hf` may reach. */
export const HF_HOSTS = "router.huggingface.co,huggingface.co";

/** This command line's entry point. */
const MAIN = new URL("./main.ts", import.meta.url).href;

/** The entry point's path as a user would type it: relative to `cwd` when below it. */
function mainPath(mainModule: string, cwd: string): string {
  if (!mainModule.startsWith("file:")) return mainModule;
  const path = decodeURIComponent(new URL(mainModule).pathname);
  const root = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

function currentDir(): string | undefined {
  try {
    return Deno.cwd();
  } catch {
    return undefined;
  }
}

/**
 * The words that start this command line: `deno task hf` when the working
 * folder is the repository (its `lib/cli/main.ts` is this one), else
 * `deno run <flags> --allow-net=<hosts> <main.ts>`; with `hosts`, always the
 * `deno run` form (`deno task hf` allows only the Hugging Face hosts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandLead } from "./_invocation.ts";
 *
 * assert.equal(commandLead({ mainModule: "file:///w/repo/lib/cli/main.ts", cwd: "/w/repo" }), "deno task hf");
 * assert.equal(
 *   commandLead({ mainModule: "file:///w/repo/lib/cli/main.ts", cwd: "/home/me" }),
 *   "deno run --allow-env --allow-read --allow-write --allow-net=router.huggingface.co,huggingface.co /w/repo/lib/cli/main.ts",
 * );
 * ```
 */
export function commandLead(
  where: { mainModule?: string; cwd?: string | undefined; hosts?: string } = {},
): string {
  const mainModule = where.mainModule ?? MAIN;
  const cwd = "cwd" in where ? where.cwd : currentDir();
  const path = cwd === undefined ? mainModule : mainPath(mainModule, cwd);
  if (path === "lib/cli/main.ts" && where.hosts === undefined) return "deno task hf";
  return `deno run ${FLAGS} --allow-net=${where.hosts ?? HF_HOSTS} ${path}`;
}
