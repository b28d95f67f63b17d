import assert from "node:assert/strict";
import { join } from "node:path";
import { defineContract } from "../lib/tasks/_spec.ts";
import input from "../lib/tasks/_specs/hf/summarization/input.json" with { type: "json" };
import { translation } from "../lib/tasks/translation.ts";
import { RecordingStore } from "../lib/transport/recordings.ts";
import { CLEAN_ENV, RECORDINGS, tempDir, withEnv } from "./_helpers.ts";

// What keeps one command's start-up small: it reads its own recordings file and derives its own contract.

Deno.test("a replayed call reads its task's recordings file only: a broken file of another task is never parsed", async () => {
  await using tmp = await tempDir();
  await Deno.copyFile(join(RECORDINGS, "translation.json"), join(tmp.dir, "translation.json"));
  await Deno.writeTextFile(join(tmp.dir, "aaa-broken.json"), "{ not json");
  await withEnv(CLEAN_ENV, async () => {
    const answer = await translation("這是一個很困難的問題", { recordingsDir: tmp.dir });
    assert.equal(answer.translation_text, "It's a very difficult question.");
  });
  // Without the task the whole folder is read, and the broken file is met.
  await assert.rejects(new RecordingStore(tmp.dir).find("GET https://example.test/ -"), SyntaxError);
});

Deno.test("a request its task's file does not hold is looked up in the whole folder, as before", async () => {
  await using tmp = await tempDir();
  await Deno.copyFile(join(RECORDINGS, "translation.json"), join(tmp.dir, "other-name.json"));
  await withEnv(CLEAN_ENV, async () => {
    const answer = await translation("這是一個很困難的問題", { recordingsDir: tmp.dir });
    assert.equal(answer.translation_text, "It's a very difficult question.");
  });
});

Deno.test("a contract derives its schema and parameters when first read, once", () => {
  const contract = defineContract({
    task: "summarization",
    input,
    defaultModel: "m/x",
    rules: { "no_such.parameter": { minimum: 1 } },
  });
  assert.equal(contract.defaultModel, "m/x");
  assert.throws(() => contract.parameters, /Cannot lay the rule of "no_such.parameter"/);
  const good = defineContract({ task: "summarization", input, defaultModel: "m/x" });
  assert.equal(good.parameters, good.parameters);
  assert.equal(good.schema, good.schema);
  assert.deepEqual(good.parameters.map((p) => p.name), [
    "clean_up_tokenization_spaces",
    "truncation",
    "generate_parameters",
  ]);
});
