/**
 * `deno task specs`: copy the JSON Schema of every task's input and output
 * from the installed `@huggingface/tasks` (its `src/tasks/<task>/spec/*.json`,
 * which the package does not export) into `lib/tasks/_specs/hf/`, unchanged.
 * The copies are committed; `tests/specs_test.ts` fails when they differ from
 * the installed package's, so upgrading the package and running this step is
 * how the task contracts follow the service.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the copies live: `lib/tasks/_specs/hf/<task>/{input,output}.json` and `common-definitions.json`. */
export const SPECS_DIR: string = join(dirname(fileURLToPath(import.meta.url)), "hf");

/** The version of `@huggingface/tasks` in deno.lock. */
export async function lockedVersion(root = join(SPECS_DIR, "..", "..", "..", "..")): Promise<string> {
  const lock = JSON.parse(await Deno.readTextFile(join(root, "deno.lock"))) as {
    npm?: Record<string, unknown>;
  };
  const key = Object.keys(lock.npm ?? {}).find((k) => k.startsWith("@huggingface/tasks@"));
  if (key === undefined) throw new Error("Cannot find @huggingface/tasks in deno.lock: run deno install");
  return key.slice("@huggingface/tasks@".length).split("_")[0]!;
}

/**
 * The installed package's `src/tasks` folder, in Deno's npm cache.
 *
 * @throws {Error} When the package is not in the cache (`deno install` puts it there).
 */
export async function packageTasksDir(): Promise<string> {
  const info = new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  });
  const { npmCache } = JSON.parse(new TextDecoder().decode((await info.output()).stdout)) as {
    npmCache: string;
  };
  const dir = join(
    npmCache,
    "registry.npmjs.org",
    "@huggingface",
    "tasks",
    await lockedVersion(),
    "src",
    "tasks",
  );
  await Deno.stat(dir).catch(() => {
    throw new Error(`Cannot find @huggingface/tasks at ${dir}: run deno install`);
  });
  return dir;
}

/** Every spec file of a `src/tasks` folder, relative to it (`summarization/input.json`, ...), sorted. */
export async function specFiles(tasksDir: string): Promise<string[]> {
  const out = ["common-definitions.json"];
  for await (const entry of Deno.readDir(tasksDir)) {
    if (!entry.isDirectory) continue;
    for (const name of ["input.json", "output.json"]) {
      const path = join(tasksDir, entry.name, "spec", name);
      if (await Deno.stat(path).then(() => true, () => false)) out.push(`${entry.name}/${name}`);
    }
  }
  return out.sort();
}

/** Where a spec file of the package lives (`summarization/input.json` → `summarization/spec/input.json`). */
export function packagePath(tasksDir: string, file: string): string {
  const [task, name] = file.split("/");
  return name === undefined ? join(tasksDir, file) : join(tasksDir, task!, "spec", name);
}

if (import.meta.main) {
  const tasksDir = await packageTasksDir();
  const files = await specFiles(tasksDir);
  await Deno.remove(SPECS_DIR, { recursive: true }).catch(() => {});
  for (const file of files) {
    const target = join(SPECS_DIR, file);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.copyFile(packagePath(tasksDir, file), target);
  }
  console.log(
    `Copied ${files.length} spec files of @huggingface/tasks ${await lockedVersion()} to ${SPECS_DIR}`,
  );
}
