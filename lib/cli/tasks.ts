/**
 * The command line's task registry: every entry of `_entries.ts` with its
 * contract loaded (the task's official spec: the parameters of `--param` and
 * `--help`, and the default model). The CLI, the snippets and the batch
 * runner are built from it; a plain call (`hf <task> <input>`) loads its own
 * entry's contract instead of all of them.
 *
 * Adding a task is adding one entry to `ENTRIES` in `_entries.ts`.
 *
 * @module
 */

import { ENTRIES, findEntry, type TaskEntry, withContract } from "./_entries.ts";

export type { InputKind, OutputKind, TaskEntry } from "./_entries.ts";

/** Every task of the command line, in the order `--help` lists them. */
export const TASKS: readonly TaskEntry[] = await Promise.all(ENTRIES.map(withContract));

/** The entry of task `name` (its Hub name, its snake_case file name or its method name). */
export function findTask(name: string): TaskEntry | undefined {
  return findEntry(TASKS, name);
}
