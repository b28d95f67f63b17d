/**
 * recordings/: every committed file is well formed, says where each answer
 * came from, holds no secret, and every recorded request is found again by
 * replay (the key round-trips); and the store's own rules.
 */
import assert from "node:assert/strict";
import { HfApiError, HfOutputError, ReplayMissError } from "../lib/errors.ts";
import { createTransport } from "../lib/transport/fetch.ts";
import {
  type Interaction,
  keyOfInteraction,
  type RecordingFile,
  RecordingStore,
  requestKey,
  stableStringify,
} from "../lib/transport/recordings.ts";
import { countingFetch, RECORDINGS, tempDir } from "./_helpers.ts";

const PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const PUBLISHED =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";

async function committedFiles(): Promise<[string, RecordingFile, string][]> {
  const out: [string, RecordingFile, string][] = [];
  for await (const entry of Deno.readDir(RECORDINGS)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const text = await Deno.readTextFile(`${RECORDINGS}/${entry.name}`);
    out.push([entry.name, JSON.parse(text) as RecordingFile, text]);
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

Deno.test("every recordings file is well formed and every interaction says where it came from", async () => {
  const files = await committedFiles();
  assert.ok(files.some(([name]) => name === "summarization.json"));
  for (const [name, file] of files) {
    assert.equal(`${file.task}.json`, name, `${name}: "task" names the file`);
    assert.ok(typeof file.description === "string" && file.description.length > 10, `${name}: a description`);
    assert.ok(Array.isArray(file.interactions) && file.interactions.length > 0, name);
    const keys = new Set<string>();
    for (const [n, i] of file.interactions.entries()) {
      const where = `${name} #${n}`;
      const o = i.origin;
      assert.ok(o && ["recorded", "published", "authored"].includes(o.kind), `${where}: origin.kind`);
      if (o.kind === "recorded") assert.match(o.date, /^\d{4}-\d{2}-\d{2}$/, where);
      if (o.kind === "published") assert.ok(o.source.length > 0, `${where}: published needs a source`);
      if (o.kind === "authored") assert.ok(o.after.length > 0, `${where}: authored needs "after"`);
      assert.match(i.request.method, /^(GET|POST|PUT)$/, where);
      assert.doesNotThrow(() => new URL(i.request.url), where);
      assert.ok(Number.isInteger(i.response.status), where);
      const bodies = ["json", "text", "file"].filter((k) => k in i.response);
      assert.ok(bodies.length <= 1, `${where}: one response body, got ${bodies}`);
      if (i.response.file !== undefined) {
        assert.ok(!i.response.file.includes("/"), `${where}: a sibling file`);
        assert.ok(
          (await Deno.stat(`${RECORDINGS}/${i.response.file}`)).isFile,
          `${where}: ${i.response.file}`,
        );
      }
      if (i.request.bodyKind === "binary") {
        assert.match(i.request.bodyDigest ?? "", /^sha256:[0-9a-f]{64}$/, where);
      }
      const key = await keyOfInteraction(i);
      assert.ok(!keys.has(key), `${where}: the same request twice in one file`);
      keys.add(key);
    }
  }
});

Deno.test("every hf-inference task call in a recording comes with its model's mapping look-up", async () => {
  for (const [name, file] of await committedFiles()) {
    const looked = new Set(
      file.interactions.filter((i) => i.request.method === "GET")
        .map((i) => /\/api\/models\/([^?]+)\?expand\[\]=inferenceProviderMapping$/.exec(i.request.url)?.[1]),
    );
    for (const i of file.interactions) {
      const model = /^https:\/\/router\.huggingface\.co\/hf-inference\/models\/([^/]+(?:\/[^/]+)?)/.exec(
        i.request.url,
      )?.[1];
      if (i.request.method !== "POST" || !model) continue;
      assert.ok(looked.has(model), `${name}: ${model} is called but its mapping look-up is not recorded`);
    }
  }
});

Deno.test("no recording holds a token, an Authorization value or a cookie", async () => {
  for await (const entry of Deno.readDir(RECORDINGS)) {
    if (!entry.isFile) continue;
    const bytes = await Deno.readFile(`${RECORDINGS}/${entry.name}`);
    const text = new TextDecoder().decode(bytes);
    assert.ok(!/hf_[A-Za-z0-9]{30,}/.test(text), `${entry.name} holds a token`);
    if (entry.name.endsWith(".json")) {
      assert.ok(
        !/"(authorization|cookie|set-cookie|x-hf-bill-to)"\s*:/i.test(text),
        `${entry.name} keeps a secret header`,
      );
      assert.ok(!/Bearer [A-Za-z0-9_]/.test(text), `${entry.name} holds a Bearer value`);
    }
  }
});

Deno.test("replay finds every recorded request again from its recorded form (keys round-trip)", async () => {
  const net = countingFetch();
  const replay = createTransport({ mode: "replay", recordingsDir: RECORDINGS, fetch: net.fetch });
  const seen = new Set<string>();
  let checked = 0;
  for (const [name, file] of await committedFiles()) {
    for (const i of file.interactions) {
      if (i.request.bodyKind === "binary") continue; // the bytes are not stored, only their digest
      const key = await keyOfInteraction(i);
      const first = !seen.has(key); // a request in two files is answered from the first
      seen.add(key);
      const r = i.request;
      const body = r.body === undefined
        ? undefined
        : r.bodyKind === "text"
        ? String(r.body)
        : JSON.stringify(r.body);
      const where = `${name}: ${r.method} ${r.url}`;
      let status: number;
      try {
        const response = await replay(r.url, { method: r.method, ...(body !== undefined ? { body } : {}) });
        status = response.status;
        await response.body?.cancel();
      } catch (error) {
        if (error instanceof ReplayMissError) assert.fail(`${where} is not found again`);
        if (error instanceof HfApiError) status = error.status;
        else if (error instanceof HfOutputError) status = 200;
        else throw error;
      }
      if (first) assert.equal(status, i.response.status, where);
      checked++;
    }
  }
  assert.ok(checked > 0);
  assert.equal(net.calls.length, 0);
});

Deno.test("the summarization recording holds the article's exact input and its published output", async () => {
  const file = JSON.parse(await Deno.readTextFile(`${RECORDINGS}/summarization.json`)) as RecordingFile;
  const call = file.interactions.find((i) =>
    i.request.url === "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum"
  ) as Interaction;
  assert.deepEqual(call.request.body, { inputs: PARAGRAPH });
  assert.deepEqual(call.response.json, [{ summary_text: PUBLISHED }]);
  assert.equal(call.origin.kind, "published");
  const lookup = file.interactions.find((i) => i.request.method === "GET");
  assert.equal(
    (lookup?.response.json as { inferenceProviderMapping: Record<string, { task: string }> })
      .inferenceProviderMapping["hf-inference"]?.task,
    "summarization",
  );
});

Deno.test("RecordingStore: a task name that is not a file name is refused; a file without interactions is named", async () => {
  await using tmp = await tempDir();
  const store = new RecordingStore(tmp.dir);
  const request = { method: "GET", url: "https://huggingface.co/x", body: new Uint8Array() };
  for (const task of ["../escape", "a/b", "Upper", ""]) {
    await assert.rejects(
      store.save(task, request, { kind: "none", canonical: "" }, {
        status: 200,
        headers: new Headers(),
        body: new Uint8Array(),
      }, { kind: "authored", after: "a test" }),
      (e) => e instanceof TypeError && e.message.includes("is not a file name"),
    );
  }
  assert.deepEqual([...Deno.readDirSync(tmp.dir)], []);

  await using broken = await tempDir();
  await Deno.writeTextFile(`${broken.dir}/bad.json`, '{"task":"bad"}');
  await assert.rejects(
    new RecordingStore(broken.dir).find("GET https://x/ -"),
    /bad\.json has no "interactions" list/,
  );
  assert.deepEqual(await new RecordingStore(`${tmp.dir}/missing`).all(), []);
});

Deno.test("RecordingStore.bodyOf: JSON, text, sibling file or nothing", async () => {
  await using tmp = await tempDir();
  await Deno.writeFile(`${tmp.dir}/x.bin`, new Uint8Array([1, 2, 3]));
  const store = new RecordingStore(new URL(`file://${tmp.dir}/`));
  assert.equal(store.dir, tmp.dir);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(
    decode(await store.bodyOf({ status: 200, headers: {}, json: { b: 1, a: [2] } })),
    '{"b":1,"a":[2]}',
  );
  assert.equal(decode(await store.bodyOf({ status: 200, headers: {}, text: "plain" })), "plain");
  assert.deepEqual(
    await store.bodyOf({ status: 200, headers: {}, file: "x.bin" }),
    new Uint8Array([1, 2, 3]),
  );
  assert.deepEqual(await store.bodyOf({ status: 204, headers: {} }), new Uint8Array());
  assert.equal(
    stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
  );
  assert.equal(await requestKey("get", "https://HuggingFace.co/x", ""), "GET https://huggingface.co/x -");
});
