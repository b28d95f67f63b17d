import assert from "node:assert/strict";
import { join } from "node:path";
import { defineContract } from "../lib/tasks/_spec.ts";
import input from "../lib/tasks/_specs/hf/summarization/input.json" with { type: "json" };
import { translation } from "../lib/tasks/translation.ts";
import { RecordingStore } from "../lib/transport/recordings.ts";
import { CLEAN_ENV, RECORDINGS, ROOT, tempDir, withEnv } from "./_helpers.ts";

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

Deno.test("hf <task> <input> run directly is the call the program makes: commander gives no flag for it", async () => {
  const { buildProgram } = await import("../lib/cli/program.ts");
  const { TASKS } = await import("../lib/cli/tasks.ts");
  for (const entry of TASKS) {
    for (const name of new Set([entry.name, entry.name.replaceAll("-", "_")])) {
      const program = buildProgram(TASKS);
      const command = program.commands.find((c) => c.name() === entry.name)!;
      const seen: unknown[][] = [];
      command.action((...args: unknown[]) => void seen.push(args.slice(0, 2)));
      await program.parseAsync([name, "some input"], { from: "user" });
      assert.deepEqual(seen, [["some input", {}]], name);
    }
  }
});

Deno.test("hf <task> <input> prints the replayed answer and its provenance, as through the program", async () => {
  const { main } = await import("../lib/cli/main.ts");
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      readStdin: () => Promise.resolve(new Uint8Array()),
      stdin: () => new ReadableStream<Uint8Array>(),
      writeErr: () => {},
      errIsTerminal: false,
      color: false,
    };
    const code = await withEnv(CLEAN_ENV, () => main(args, io));
    return { code, out, err };
  };
  const direct = await run(["translation", "這是一個很困難的問題"]);
  const programmed = await run(["translation", "這是一個很困難的問題", "--mode", "replay"]);
  assert.equal(direct.code, 0);
  assert.deepEqual(direct.out, ["It's a very difficult question."]);
  assert.deepEqual(direct.out, programmed.out);
  assert.equal(direct.err.at(-1), programmed.err.at(-1));
  assert.match(direct.err.at(-1)!, /^replayed · /);
  const missing = await run(["translation", "a sentence nobody recorded"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err.join("\n"), /error:/);
});

Deno.test("the bench's start-up floor makes the call the workbook replays, and gets its answer", async () => {
  // tests/bench/only_client_replay.ts: the official client alone, answered from the same recording. When the
  // recording or the client changes so that the two differ, the floor would time another call than the workbook.
  const { summarization } = await import("../lib/tasks/summarization.ts");
  const floor = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", join(ROOT, "tests/bench/only_client_replay.ts")],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(floor.success, new TextDecoder().decode(floor.stderr));
  const recording = JSON.parse(await Deno.readTextFile(join(RECORDINGS, "summarization.json")));
  const article = recording.interactions.find((i: { request: { url: string } }) =>
    i.request.url === "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum"
  ).request.body.inputs as string;
  const replayed = await withEnv(CLEAN_ENV, () => summarization(article));
  assert.equal(new TextDecoder().decode(floor.stdout).trim(), replayed.summary_text);
});

/** The module graph `deno info --json` gives for `root`: each local module's code dependencies, static or not. */
async function codeGraph(root: string): Promise<Map<string, { specifier: string; dynamic: boolean }[]>> {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", root], stdout: "piped" })
    .output();
  const { modules } = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  return new Map(
    modules.map((m) => [
      m.specifier,
      (m.dependencies ?? []).flatMap((d) =>
        d.code ? [{ specifier: d.code.specifier, dynamic: d.isDynamic === true }] : []
      ),
    ]),
  );
}

/** `lib/<path>` as a module specifier. */
const local = (path: string) => new URL(`../lib/${path}`, import.meta.url).href;

/** What loading `lib/<root>` loads: its static imports, and of its dynamic ones those in `taken`, transitively. */
async function loadedBy(root: string, taken: readonly string[] = []): Promise<Set<string>> {
  const graph = await codeGraph(join(ROOT, "lib", root));
  const dynamic = new Set(taken.map(local));
  const loaded = new Set<string>();
  const visit = (specifier: string) => {
    if (loaded.has(specifier)) return;
    loaded.add(specifier);
    for (const d of graph.get(specifier) ?? []) {
      if (!d.dynamic || dynamic.has(d.specifier)) visit(d.specifier);
    }
  };
  visit(local(root));
  for (const specifier of dynamic) assert.ok(loaded.has(specifier), `${specifier} is not reached`);
  return loaded;
}

/** The task contracts among `loaded` (lib/tasks/_specs/<task>.ts). */
const contractsIn = (loaded: Set<string>) =>
  [...loaded].filter((s) => /\/lib\/tasks\/_specs\/(?!_)\w+\.ts$/.test(s));

Deno.test("hf translation <text> loads its own contract only, and no node: module (Deno's Node layer costs some 6 ms)", async () => {
  // The dynamic imports a plain replayed call takes, in main.ts, _entries.ts and call.ts.
  const loaded = await loadedBy("cli/main.ts", [
    "cli/_entries.ts",
    "cli/call.ts",
    "tasks/_specs/translation.ts",
    "tasks/translation.ts",
    "provenance.ts",
  ]);
  assert.deepEqual([...loaded].filter((s) => s.startsWith("node:")), []);
  assert.deepEqual(contractsIn(loaded), [local("tasks/_specs/translation.ts")]);
  // The registry, with all of them, is what the program loads for other commands.
  assert.ok(!loaded.has(local("cli/tasks.ts")));
});

Deno.test("hf batch <task> loads its own task's contract, not the registry", async () => {
  const loaded = await loadedBy("cli/batch.ts");
  assert.ok(loaded.has(local("cli/_entries.ts")));
  assert.ok(!loaded.has(local("cli/tasks.ts")));
  assert.deepEqual(contractsIn(loaded), []);
});

Deno.test("a command built from its own task's entry (the others by name) helps as the whole registry's program does", async () => {
  const { buildProgram } = await import("../lib/cli/program.ts");
  const { TASKS } = await import("../lib/cli/tasks.ts");
  const { main } = await import("../lib/cli/main.ts");
  const capture = () => {
    const lines: string[] = [];
    const io = {
      out: (l: string) => void lines.push(l),
      err: (l: string) => void lines.push(l),
      readStdin: () => Promise.resolve(new Uint8Array()),
      stdin: () => new ReadableStream<Uint8Array>(),
      writeErr: (t: string) => void lines.push(t),
      errIsTerminal: false,
      color: false,
      columns: 100,
    };
    return { lines, io };
  };
  const commands = [...TASKS.flatMap((t) => [t.name, t.name.replaceAll("-", "_")]), "batch"];
  for (const name of new Set(commands)) {
    const whole = capture();
    await buildProgram(TASKS, whole.io).parseAsync([name, "--help"], { from: "user" }).catch(() => {});
    const own = capture();
    await withEnv(CLEAN_ENV, () => main([name, "--help"], own.io));
    assert.match(whole.lines.join("\n"), /^Usage: hf /, name);
    assert.deepEqual(own.lines, whole.lines, name);
  }
});
