/**
 * Every task function of `@huggingface/inference` has a workbook helper of
 * the same name in lib/mod.ts. The official list is read from the library
 * itself (the methods an `InferenceClient` gets, one per task function), so a
 * task the library adds shows up here as missing.
 */
import assert from "node:assert/strict";
import { InferenceClient } from "@huggingface/inference";
import * as workbook from "../lib/mod.ts";

/** The version the list is pinned to (deno.lock must resolve it). */
const VERSION = "4.13.30";

/**
 * The library's generic calls, not tasks: `request` and `streamingRequest`
 * (deprecated there) send any payload to any model. The workbook's
 * equivalent is `query`, the article's raw call.
 */
const GENERIC = ["request", "streamingRequest"] as const;

/** The task functions of the library, by the methods its client is given (non-enumerable own properties). */
function officialTasks(): string[] {
  const client = new InferenceClient();
  return Object.getOwnPropertyNames(client)
    .filter((name) => typeof (client as unknown as Record<string, unknown>)[name] === "function")
    .filter((name) => !(GENERIC as readonly string[]).includes(name))
    .sort();
}

/** The names of `names` that lib/mod.ts does not export as a function. */
function missingFromWorkbook(names: readonly string[]): string[] {
  const exported = workbook as unknown as Record<string, unknown>;
  return names.filter((name) => typeof exported[name] !== "function");
}

Deno.test(`the list is read from @huggingface/inference ${VERSION}, as deno.lock pins it`, async () => {
  const lock = JSON.parse(await Deno.readTextFile(new URL("../deno.lock", import.meta.url)));
  const resolved = Object.keys(lock.npm ?? {}).filter((key) => key.startsWith("@huggingface/inference@"));
  assert.deepEqual(resolved, [`@huggingface/inference@${VERSION}`]);
  const tasks = officialTasks();
  assert.equal(tasks.length, 34, `the library offers ${tasks.length} task functions: ${tasks.join(", ")}`);
  for (const name of ["summarization", "chatCompletionStream", "tabularRegression", "imageTextToVideo"]) {
    assert.ok(tasks.includes(name), `${name} is not read as a task function`);
  }
  assert.equal(typeof workbook.query, "function", "the generic calls' equivalent, query, is exported");
});

Deno.test("every task function of @huggingface/inference has a workbook helper of the same name", () => {
  const official = officialTasks();
  const missing = missingFromWorkbook(official);
  assert.deepEqual(missing, [], `lib/mod.ts lacks helpers for: ${missing.join(", ")}`);
  console.log(`all ${official.length} task functions of @huggingface/inference ${VERSION} have a helper`);
});

Deno.test("the comparison notices a task the workbook lacks", () => {
  assert.deepEqual(missingFromWorkbook(["summarization", "noSuchTask"]), ["noSuchTask"]);
  assert.deepEqual(
    missingFromWorkbook(["SUMMARIZATION_MODEL"]),
    ["SUMMARIZATION_MODEL"],
    "a constant is no helper",
  );
});
