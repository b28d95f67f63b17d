/**
 * recordAll() (`deno task record`): re-records a temporary copy of
 * recordings/ against the real local fake server and reports what is the
 * same, what changed and what failed.
 */
import assert from "node:assert/strict";
import { recordAll } from "../lib/cli/record.ts";
import type { RecordingFile } from "../lib/transport/recordings.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import { FAKE_TOKEN, readFolder, tempDir } from "./_helpers.ts";

const PUBLISHED =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";
const ROUTER_URL = "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum";
const LEGACY_HOST = "api-inference.huggingface.co";
// recordings/summarization.json also holds huggingface.js's recorded answer of google/pegasus-xsum (and its look-up)
const PEGASUS_URL = "https://router.huggingface.co/hf-inference/models/google/pegasus-xsum";
const PEGASUS_ANSWER = [{
  summary_text: "The Eiffel Tower is one of the most famous buildings in the world.",
}];

Deno.test("recordAll re-records a copy of recordings/ and reports same, changed and failed", async () => {
  await using tmp = await tempDir({ copyRecordings: true });
  await using fake = await startFakeHf({ endpointHosts: [LEGACY_HOST] });
  fake.on(ROUTER_URL, { json: [{ summary_text: PUBLISHED }] }); // as recorded: same
  fake.on(`https://${LEGACY_HOST}/models/csebuetnlp/mT5_multilingual_XLSum`, scenarios.gone410); // still gone: same
  fake.on(PEGASUS_URL, { json: PEGASUS_ANSWER }); // as recorded upstream: same
  // the two mapping look-ups are answered by the fake's default mapping, which adds `_id`: changed
  const lines: string[] = [];
  const report = await recordAll({
    token: FAKE_TOKEN,
    only: ["summarization"],
    recordingsDir: tmp.dir,
    fetch: fake.fetch,
    print: (line) => lines.push(line),
  });
  assert.deepEqual(report, { same: 3, changed: 2, failed: 0, skipped: 0 }, lines.join("\n"));
  assert.ok(lines.some((l) => l.startsWith(`same     summarization: POST ${ROUTER_URL}`)), lines.join("\n"));
  assert.ok(
    lines.some((l) => l.startsWith(`same     summarization: POST https://${LEGACY_HOST}/`)),
    lines.join("\n"),
  );
  assert.ok(lines.some((l) => l.startsWith(`same     summarization: POST ${PEGASUS_URL}`)), lines.join("\n"));
  assert.ok(
    lines.some((l) =>
      /^changed {2}summarization: GET https:\/\/huggingface\.co\/api\/models\/.*: 200 → 200, /.test(l)
    ),
  );
  assert.equal(lines.at(-1), "3 same, 2 changed, 0 failed, 0 skipped");

  // every request was sent again, with the token
  assert.equal(fake.requests.length, 5);
  assert.ok(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`));
  // and rewritten: recorded today, the token nowhere
  const text = await Deno.readTextFile(`${tmp.dir}/summarization.json`);
  assert.ok(!text.includes(FAKE_TOKEN));
  const file = JSON.parse(text) as RecordingFile;
  assert.equal(file.interactions.length, 5);
  assert.ok(file.interactions.every((i) => i.origin.kind === "recorded"));
  const lookups = file.interactions.filter((i) => i.request.method === "GET");
  assert.equal(lookups.length, 2);
  assert.ok(lookups.every((i) => (i.response.json as { _id?: string })._id), "the new answers are written");
  // the real recordings/ is untouched
  const original = JSON.parse(
    await Deno.readTextFile(new URL("../recordings/summarization.json", import.meta.url)),
  );
  assert.equal(original.interactions[1].origin.kind, "published");
});

Deno.test("recordAll: a recorded success that now fails is reported failed, with the service's message", async () => {
  await using tmp = await tempDir({ copyRecordings: true });
  await using fake = await startFakeHf({ endpointHosts: [LEGACY_HOST] });
  fake.on(ROUTER_URL, scenarios.echoAuth); // 401, echoing the token
  fake.on(`https://${LEGACY_HOST}/models/csebuetnlp/mT5_multilingual_XLSum`, {
    status: 410,
    json: { error: "a different goodbye" },
  });
  fake.on(PEGASUS_URL, { json: PEGASUS_ANSWER }); // as recorded upstream: same
  const token = "sk-record-secret-value";
  const lines: string[] = [];
  const report = await recordAll({
    token,
    only: ["summarization"],
    recordingsDir: tmp.dir,
    fetch: fake.fetch,
    print: (line) => lines.push(line),
  });
  assert.deepEqual(report, { same: 1, changed: 3, failed: 1, skipped: 0 }, lines.join("\n"));
  const failed = lines.find((l) => l.startsWith("failed"));
  assert.match(
    failed ?? "",
    /^failed {3}summarization: POST .*: Hugging Face answered 401 .*Invalid credentials/,
  );
  assert.ok(
    lines.some((l) =>
      l.startsWith("changed  summarization: POST https://api-inference") && l.includes("410 → 410")
    ),
  );
  const written = await readFolder(tmp.dir);
  for (const [name, text] of [...written, ["report", lines.join("\n")] as const]) {
    assert.ok(!text.includes(token), `${name} holds the token`);
  }
  // the failed answer is recorded too (scrubbed)
  const file = JSON.parse(written.get("summarization.json")!) as RecordingFile;
  assert.ok(file.interactions.some((i) => i.response.status === 401));
});

Deno.test("recordAll over the whole copy accounts for every interaction, and writes no token", async () => {
  await using tmp = await tempDir({ copyRecordings: true });
  let interactions = 0;
  for (const [name, text] of await readFolder(tmp.dir)) {
    if (name.endsWith(".json")) interactions += (JSON.parse(text) as RecordingFile).interactions.length;
  }
  await using fake = await startFakeHf({ endpointHosts: [LEGACY_HOST] });
  const report = await recordAll({
    token: FAKE_TOKEN,
    recordingsDir: tmp.dir,
    fetch: fake.fetch,
    print: () => {},
  });
  assert.equal(report.same + report.changed + report.failed + report.skipped, interactions);
  for (const [name, text] of await readFolder(tmp.dir)) {
    assert.ok(!/hf_[A-Za-z0-9]{30,}/.test(text), `${name} holds a token`);
  }
});

Deno.test("recordAll re-records a request that sits in two files in both of them", async () => {
  await using tmp = await tempDir();
  const lookup = {
    origin: { kind: "authored", after: "a test" },
    request: {
      method: "GET",
      url: "https://huggingface.co/api/models/org/shared?expand[]=inferenceProviderMapping",
    },
    response: { status: 200, headers: { "content-type": "application/json" }, json: { old: true } },
  };
  for (const task of ["task_a", "task_b"]) {
    await Deno.writeTextFile(`${tmp.dir}/${task}.json`, JSON.stringify({ task, interactions: [lookup] }));
  }
  await using fake = await startFakeHf();
  const report = await recordAll({
    token: FAKE_TOKEN,
    recordingsDir: tmp.dir,
    fetch: fake.fetch,
    print: () => {},
  });
  assert.deepEqual(report, { same: 0, changed: 2, failed: 0, skipped: 0 });
  for (const task of ["task_a", "task_b"]) {
    const file = JSON.parse(await Deno.readTextFile(`${tmp.dir}/${task}.json`)) as RecordingFile;
    assert.equal(file.interactions.length, 1, task);
    assert.equal(file.interactions[0]?.origin.kind, "recorded", task);
    assert.equal((file.interactions[0]?.response.json as { id?: string }).id, "org/shared", task);
  }
});
