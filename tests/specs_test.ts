/**
 * The spec copies in lib/tasks/_specs/hf are the installed
 * `@huggingface/tasks`' own, byte for byte: `deno task specs` refreshes them
 * after an upgrade, and this test fails until it has run.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { packagePath, packageTasksDir, specFiles, SPECS_DIR } from "../lib/tasks/_specs/_generate.ts";

Deno.test("the committed spec copies are the installed @huggingface/tasks' spec files, unchanged", async () => {
  const tasksDir = await packageTasksDir();
  const files = await specFiles(tasksDir);
  assert.ok(
    files.includes("summarization/input.json") && files.length > 50,
    `only ${files.length} spec files`,
  );
  const copied: string[] = [];
  for await (const entry of Deno.readDir(SPECS_DIR)) {
    if (entry.isFile) copied.push(entry.name);
    else {for await (const file of Deno.readDir(join(SPECS_DIR, entry.name))) {
        copied.push(`${entry.name}/${file.name}`);
      }}
  }
  assert.deepEqual(copied.sort(), files, "run deno task specs: the package's spec files changed");
  for (const file of files) {
    const ours = await Deno.readTextFile(join(SPECS_DIR, file));
    assert.equal(
      ours,
      await Deno.readTextFile(packagePath(tasksDir, file)),
      `${file} differs: run deno task specs`,
    );
  }
});
