import assert from "node:assert/strict";
import { ReplayMissError } from "../lib/errors.ts";
import { createTransport, type Exchange } from "../lib/transport/fetch.ts";
import { describeMode, type Mode, MODES, resolveMode } from "../lib/transport/mode.ts";
import {
  canonicalBody,
  type RecordingFile,
  requestKey,
  sha256Hex,
  shortDigest,
} from "../lib/transport/recordings.ts";
import { CLEAN_ENV, countingFetch, FAKE_TOKEN, readFolder, tempDir, withEnv } from "./_helpers.ts";

const PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const PUBLISHED =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";
const ROUTER_XLSUM = "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum";
const MODEL_URL = "https://router.huggingface.co/hf-inference/models/test-org/transport";
const JSON_HEADERS = { "Content-Type": "application/json" };

function post(body: unknown, headers: Record<string, string> = JSON_HEADERS): RequestInit {
  return { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) };
}

Deno.test("replay answers from recordings/ and never calls fetch", async () => {
  const net = countingFetch();
  const exchanges: Exchange[] = [];
  const transport = createTransport({
    mode: "replay",
    fetch: net.fetch,
    onResponse: (e) => exchanges.push(e),
  });
  const response = await transport(ROUTER_XLSUM, post({ inputs: PARAGRAPH }));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), [{ summary_text: PUBLISHED }]);
  assert.equal(net.calls.length, 0);
  assert.equal(exchanges.length, 1);
  assert.equal(exchanges[0]?.from, "recording");
  assert.equal(exchanges[0]?.attempts, 0);
  assert.equal(exchanges[0]?.origin?.kind, "published");
});

Deno.test("replay miss throws ReplayMissError naming method, URL and body digest, with the record hint", async () => {
  const net = countingFetch();
  const transport = createTransport({ mode: "replay", fetch: net.fetch });
  const body = { inputs: "a paragraph nobody recorded" };
  const error = await transport(MODEL_URL, post(body)).then(
    () => assert.fail("a request that is not recorded must not be answered"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ReplayMissError, String(error));
  const digest = await shortDigest(
    (await canonicalBody(new TextEncoder().encode(JSON.stringify(body)))).canonical,
  );
  assert.match(digest, /^sha256:[0-9a-f]{12}$/);
  assert.ok(error.message.includes(`POST ${MODEL_URL}`), error.message);
  assert.ok(error.message.includes(digest), error.message);
  assert.equal(error.bodyDigest, digest);
  assert.equal(error.kind, "not-recorded");
  assert.match(error.hint, /HF_MODE=record/);
  assert.match(error.hint, /deno task record/);
  assert.equal(net.calls.length, 0);

  const noBody = await createTransport({ mode: "replay", fetch: net.fetch })(
    "https://huggingface.co/api/models/nobody/recorded?expand[]=inferenceProviderMapping",
  ).catch((e: unknown) => e);
  assert.ok(noBody instanceof ReplayMissError);
  assert.match(
    noBody.message,
    /^Request not recorded: GET https:\/\/huggingface\.co\/api\/models\/nobody\/recorded/,
  );
  assert.match(noBody.message, /\(body \(none\)\)/);
});

Deno.test("record writes recordings/<task>.json with secrets scrubbed from URL, headers and body", async () => {
  await using tmp = await tempDir();
  const net = countingFetch((call) =>
    Response.json({ echoed: call.body, note: `seen ${FAKE_TOKEN}` }, {
      headers: {
        "x-error-message": `token ${FAKE_TOKEN}`,
        "set-cookie": "session=secret-session-cookie",
        "x-request-id": "req-1",
      },
    })
  );
  const transport = createTransport({
    mode: "record",
    recording: "scrub_test",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
  });
  const url = `${MODEL_URL}?api_key=${FAKE_TOKEN}`;
  const response = await transport(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${FAKE_TOKEN}`,
      Cookie: "token=secret-cookie-value",
      "X-HF-Bill-To": "secret-billing-org",
    },
    body: JSON.stringify({ inputs: `text with ${FAKE_TOKEN} inside`, parameters: { access_token: "short" } }),
  });
  assert.equal(response.status, 200);
  // the live request itself carried the headers: only the recording drops them
  assert.equal(net.calls[0]?.headers.get("authorization"), `Bearer ${FAKE_TOKEN}`);

  const files = await readFolder(tmp.dir);
  assert.deepEqual([...files.keys()], ["scrub_test.json"]);
  const text = files.get("scrub_test.json")!;
  assert.ok(!text.includes(FAKE_TOKEN), "the token must not be written");
  assert.ok(!/hf_[A-Za-z0-9]{30,}/.test(text));
  for (const secret of ["secret-cookie-value", "secret-billing-org", "secret-session-cookie"]) {
    assert.ok(!text.includes(secret), `${secret} must not be written`);
  }
  assert.ok(!/authorization|cookie|bill-to/i.test(text), text);
  const file = JSON.parse(text) as RecordingFile;
  assert.equal(file.task, "scrub_test");
  assert.equal(file.interactions.length, 1);
  const [interaction] = file.interactions;
  assert.equal(interaction?.origin.kind, "recorded");
  assert.match((interaction?.origin as { date: string }).date, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(interaction?.request.url, `${MODEL_URL}?api_key=hf_***`);
  assert.deepEqual(interaction?.request.body, {
    inputs: "text with hf_*** inside",
    parameters: { access_token: "hf_***" },
  });
  assert.deepEqual(Object.keys(interaction?.response.headers ?? {}).sort(), [
    "content-type",
    "x-error-message",
  ]);
  assert.equal(interaction?.response.headers["x-error-message"], "token hf_***");

  // the scrubbed recording answers the same request (token and all) in replay
  const replay = createTransport({ mode: "replay", recordingsDir: tmp.dir, fetch: countingFetch().fetch });
  const again = await replay(url, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ parameters: { access_token: "short" }, inputs: `text with ${FAKE_TOKEN} inside` }),
  });
  assert.equal(again.status, 200);
  assert.ok(!(await again.text()).includes(FAKE_TOKEN));
});

Deno.test("record keeps an error answer, scrubbed, and still throws it", async () => {
  await using tmp = await tempDir();
  const net = countingFetch(() =>
    Response.json({ error: `Invalid credentials in Authorization header: Bearer ${FAKE_TOKEN}` }, {
      status: 401,
    })
  );
  const transport = createTransport({
    mode: "record",
    recording: "errors",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
  });
  const error = await transport(MODEL_URL, post({ inputs: "x" }, { Authorization: `Bearer ${FAKE_TOKEN}` }))
    .catch((e: unknown) => e as Error);
  assert.match(String(error), /401/);
  assert.ok(!String(error).includes(FAKE_TOKEN));
  const text = await Deno.readTextFile(`${tmp.dir}/errors.json`);
  assert.ok(!text.includes(FAKE_TOKEN));
  const file = JSON.parse(text) as RecordingFile;
  assert.equal(file.interactions[0]?.response.status, 401);
  assert.deepEqual(file.interactions[0]?.response.json, {
    error: "Invalid credentials in Authorization header: Bearer hf_***",
  });
});

Deno.test("cache answers from recordings first, fetches and writes on a miss, then answers from it", async () => {
  await using tmp = await tempDir({ copyRecordings: true });
  const net = countingFetch(() => Response.json([{ summary_text: "fresh" }]));
  const seen: Exchange["from"][] = [];
  const transport = createTransport({
    mode: "cache",
    recording: "cache_test",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
    onResponse: (e) => seen.push(e.from),
  });
  const recorded = await transport(ROUTER_XLSUM, post({ inputs: PARAGRAPH }));
  assert.deepEqual(await recorded.json(), [{ summary_text: PUBLISHED }]);
  assert.equal(net.calls.length, 0, "a recorded request costs no call");

  const missed = await transport(MODEL_URL, post({ inputs: "new" }));
  assert.deepEqual(await missed.json(), [{ summary_text: "fresh" }]);
  assert.equal(net.calls.length, 1);
  const written = JSON.parse(await Deno.readTextFile(`${tmp.dir}/cache_test.json`)) as RecordingFile;
  assert.equal(written.interactions.length, 1);
  assert.deepEqual(written.interactions[0]?.response.json, [{ summary_text: "fresh" }]);

  const reused = await transport(MODEL_URL, post({ inputs: "new" }));
  assert.deepEqual(await reused.json(), [{ summary_text: "fresh" }]);
  assert.equal(net.calls.length, 1, "the written answer is reused");
  assert.deepEqual(seen, ["recording", "network", "recording"]);

  // a new process (a fresh store on the same folder) reads it from disk
  const { RecordingStore } = await import("../lib/transport/recordings.ts");
  const store = new RecordingStore(tmp.dir);
  const key = await requestKey("POST", MODEL_URL, '{"inputs":"new"}');
  assert.ok(await store.find(key));
});

Deno.test("JSON key order does not change the key; a different value does", async () => {
  await using tmp = await tempDir();
  const net = countingFetch(() => Response.json({ ok: true }));
  const record = createTransport({
    mode: "record",
    recording: "keys",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
  });
  await (await record(MODEL_URL, post('{"inputs":"x","parameters":{"b":1,"a":{"d":4,"c":3}}}'))).body
    ?.cancel();

  const replay = createTransport({ mode: "replay", recordingsDir: tmp.dir, fetch: countingFetch().fetch });
  const reordered = await replay(MODEL_URL, post('{"parameters":{"a":{"c":3,"d":4},"b":1},"inputs":"x"}'));
  assert.deepEqual(await reordered.json(), { ok: true });
  const spaced = await replay(
    MODEL_URL,
    post('{ "parameters": {"a": {"c": 3, "d": 4}, "b": 1}, "inputs": "x" }'),
  );
  assert.deepEqual(await spaced.json(), { ok: true });
  await assert.rejects(
    replay(MODEL_URL, post('{"inputs":"x","parameters":{"b":2,"a":{"d":4,"c":3}}}')),
    ReplayMissError,
  );
  await assert.rejects(replay(`${MODEL_URL}/other`, post('{"inputs":"x"}')), ReplayMissError);

  const a = await canonicalBody(new TextEncoder().encode('{"x":[{"b":1,"a":2}],"y":null}'));
  const b = await canonicalBody(new TextEncoder().encode('{"y":null,"x":[{"a":2,"b":1}]}'));
  assert.equal(a.canonical, b.canonical);
  assert.equal(
    await requestKey("POST", MODEL_URL, a.canonical),
    await requestKey("post", MODEL_URL, b.canonical),
  );
  const c = await canonicalBody(new TextEncoder().encode('{"x":[{"a":1,"b":2}],"y":null}'));
  assert.notEqual(a.canonical, c.canonical);
});

Deno.test("binary request bodies are keyed by digest; binary responses are written as sibling files", async () => {
  await using tmp = await tempDir();
  const image = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0x81, 0xfe]);
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);
  const net = countingFetch(() => new Response(png, { headers: { "content-type": "image/png" } }));
  const record = createTransport({
    mode: "record",
    recording: "binary",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
  });
  const live = await record(MODEL_URL, {
    method: "POST",
    headers: { "Content-Type": "image/jpeg" },
    body: image,
  });
  assert.deepEqual(new Uint8Array(await live.arrayBuffer()), png);
  assert.equal(net.calls.length, 1);

  const file = JSON.parse(await Deno.readTextFile(`${tmp.dir}/binary.json`)) as RecordingFile;
  const recorded = file.interactions[0]!;
  assert.equal(recorded.request.bodyKind, "binary");
  assert.equal(recorded.request.bodyDigest, `sha256:${await sha256Hex(image)}`);
  assert.equal(recorded.request.body, undefined);
  assert.match(recorded.response.file ?? "", /^binary\.[0-9a-f]{12}\.png$/);
  assert.equal(recorded.response.json, undefined);
  assert.equal(recorded.response.text, undefined);
  assert.deepEqual(await Deno.readFile(`${tmp.dir}/${recorded.response.file}`), png);

  const replay = createTransport({ mode: "replay", recordingsDir: tmp.dir, fetch: countingFetch().fetch });
  const answered = await replay(MODEL_URL, {
    method: "POST",
    headers: { "Content-Type": "image/jpeg" },
    body: image,
  });
  assert.equal(answered.headers.get("content-type"), "image/png");
  assert.deepEqual(new Uint8Array(await answered.arrayBuffer()), png);
  const other = image.slice();
  other[8] = 0xfd;
  await assert.rejects(replay(MODEL_URL, { method: "POST", body: other }), ReplayMissError);
});

Deno.test("text answers are recorded as text, JSON answers as JSON, broken JSON as text", async () => {
  await using tmp = await tempDir();
  const answers = [
    new Response("plain words", { headers: { "content-type": "text/plain; charset=utf-8" } }),
    Response.json({ a: [1, 2] }),
    new Response('[{"summary_text":"cut', { status: 500, headers: { "content-type": "application/json" } }),
  ];
  const net = countingFetch(() => answers.shift()!);
  const record = createTransport({
    mode: "record",
    recording: "kinds",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
    retry: { maxAttempts: 1 },
  });
  await (await record(`${MODEL_URL}/1`, post({ inputs: 1 }))).body?.cancel();
  await (await record(`${MODEL_URL}/2`, post({ inputs: 2 }))).body?.cancel();
  await assert.rejects(record(`${MODEL_URL}/3`, post({ inputs: 3 })), /500/);
  const file = JSON.parse(await Deno.readTextFile(`${tmp.dir}/kinds.json`)) as RecordingFile;
  assert.deepEqual(file.interactions.map((i) => i.response.text ?? i.response.json), [
    "plain words",
    { a: [1, 2] },
    '[{"summary_text":"cut',
  ]);
  assert.equal(file.interactions[0]?.response.json, undefined);
  assert.equal(file.interactions[1]?.response.text, undefined);
});

Deno.test("re-recording the same request replaces its interaction instead of adding one", async () => {
  await using tmp = await tempDir();
  let n = 0;
  const net = countingFetch(() => Response.json({ n: ++n }));
  const record = createTransport({
    mode: "record",
    recording: "again",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
  });
  await (await record(MODEL_URL, post({ inputs: "x", parameters: { a: 1, b: 2 } }))).body?.cancel();
  await (await record(MODEL_URL, post({ parameters: { b: 2, a: 1 }, inputs: "x" }))).body?.cancel();
  const file = JSON.parse(await Deno.readTextFile(`${tmp.dir}/again.json`)) as RecordingFile;
  assert.equal(file.interactions.length, 1);
  assert.deepEqual(file.interactions[0]?.response.json, { n: 2 });
});

Deno.test("live mode passes a successful answer through and calls the edge once", async () => {
  const net = countingFetch(() => Response.json([{ summary_text: "ok" }]));
  const transport = createTransport({ mode: "live", fetch: net.fetch });
  const response = await transport(MODEL_URL, post({ inputs: "x" }, { Authorization: "Bearer hf_test" }));
  assert.deepEqual(await response.json(), [{ summary_text: "ok" }]);
  assert.equal(net.calls.length, 1);
  assert.equal(net.calls[0]?.headers.get("authorization"), "Bearer hf_test");
  assert.equal(net.calls[0]?.body, '{"inputs":"x"}');
});

Deno.test("mode: HF_MODE wins over a token; the caller's mode wins over HF_MODE", async () => {
  await withEnv({ ...CLEAN_ENV, HF_MODE: "replay", HF_TOKEN: "env-token-value" }, () => {
    const info = resolveMode();
    assert.equal(info.mode, "replay");
    assert.equal(info.reason, "HF_MODE=replay");
    assert.equal(resolveMode({ mode: "cache" }).mode, "cache");
    assert.equal(resolveMode({ mode: "cache" }).reason, "chosen by the caller");
  });
  await withEnv({ ...CLEAN_ENV, HF_MODE: "record" }, () => {
    assert.equal(resolveMode().mode, "record");
    assert.equal(resolveMode().token, undefined);
  });
});

Deno.test("mode: a token means live, no token means replay", async () => {
  await withEnv({ ...CLEAN_ENV, HF_TOKEN: "env-token-value" }, () => {
    const info = resolveMode();
    assert.deepEqual(info, {
      mode: "live",
      reason: "HF_TOKEN found in environment",
      token: "env-token-value",
      tokenSource: "environment",
    });
  });
  await withEnv(CLEAN_ENV, () => {
    assert.deepEqual(resolveMode(), { mode: "replay", reason: "no HF_TOKEN in the environment or .env" });
    const caller = resolveMode({ accessToken: "caller-token-value" });
    assert.equal(caller.mode, "live");
    assert.equal(caller.reason, "HF_TOKEN given by the caller");
    assert.equal(caller.tokenSource, "caller");
  });
  await withEnv({ ...CLEAN_ENV, HF_TOKEN: "" }, () => assert.equal(resolveMode().mode, "replay"));
});

Deno.test("mode: a bad HF_MODE (or options.mode) is a RangeError naming the allowed values", async () => {
  await withEnv({ ...CLEAN_ENV, HF_MODE: "offline" }, () => {
    assert.throws(
      () => resolveMode(),
      (e) =>
        e instanceof RangeError &&
        e.message ===
          'Cannot choose a mode: HF_MODE must be one of replay, live, record, cache, got "offline"',
    );
    assert.throws(() => createTransport(), RangeError);
  });
  await withEnv(CLEAN_ENV, () => {
    assert.throws(
      () => resolveMode({ mode: "Live" as Mode }),
      /options\.mode must be one of replay, live, record, cache/,
    );
  });
  assert.deepEqual([...MODES], ["replay", "live", "record", "cache"]);
});

Deno.test("describeMode says the mode and why, and never the token", () => {
  for (const mode of MODES) {
    for (const token of [FAKE_TOKEN, "plain-secret-token-value"]) {
      const line = describeMode({ mode, reason: "chosen by the caller", token, tokenSource: "caller" });
      assert.ok(line.startsWith(`mode: ${mode} (chosen by the caller): `), line);
      assert.ok(!line.includes(token), line);
      assert.ok(!line.includes("hf_"), line);
      if (mode !== "replay") assert.ok(line.endsWith("; token: set"), line);
    }
  }
  assert.match(describeMode({ mode: "replay", reason: "x" }), /nothing is sent over the network$/);
  assert.match(describeMode({ mode: "live", reason: "x" }), /token: none \(requests are anonymous\)$/);
});

Deno.test("cache does not keep a failure that may pass (401, 429, 503, 5xx): the next run asks again", async () => {
  await using tmp = await tempDir();
  for (const status of [401, 402, 403, 429, 500, 503]) {
    const answers = [
      Response.json({ error: `failed with ${status}` }, { status }),
      Response.json({ ok: status }),
    ];
    const net = countingFetch(() => answers.shift()!);
    const transport = createTransport({
      mode: "cache",
      recording: "cache_failures",
      recordingsDir: tmp.dir,
      fetch: net.fetch,
      retry: { maxAttempts: 1, maxUnavailableAttempts: 1 },
    });
    const url = `${MODEL_URL}/${status}`;
    await assert.rejects(transport(url, post({ inputs: "x" })), new RegExp(`answered ${status}`));
    const second = await transport(url, post({ inputs: "x" }));
    assert.deepEqual(await second.json(), { ok: status }, `${status} must not be replayed from the cache`);
    assert.equal(net.calls.length, 2);
  }
  // a deterministic rejection of the input (422) is kept like an answer
  const net = countingFetch(() => Response.json({ error: "Input validation error" }, { status: 422 }));
  const transport = createTransport({
    mode: "cache",
    recording: "cache_failures",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
  });
  await assert.rejects(transport(`${MODEL_URL}/422`, post({ inputs: "x" })), /answered 422/);
  await assert.rejects(transport(`${MODEL_URL}/422`, post({ inputs: "x" })), /answered 422/);
  assert.equal(net.calls.length, 1);
});

Deno.test("a request given as a URL and a text or bytes body reaches the network as the same Request would", async () => {
  const sent: { method: string; url: string; type: string | null; auth: string | null; body: number[] }[] =
    [];
  const edge = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      method: request.method,
      url: request.url,
      type: request.headers.get("content-type"),
      auth: request.headers.get("authorization"),
      body: [...new Uint8Array(await request.arrayBuffer())],
    });
    return new Response("{}", { headers: JSON_HEADERS });
  };
  const transport = createTransport({ mode: "live", fetch: edge });
  const headers = { Authorization: `Bearer ${FAKE_TOKEN}` };
  const bytes = new Uint8Array([1, 2, 3]);
  const calls: [RequestInfo | URL, RequestInit][] = [
    [MODEL_URL, { method: "POST", headers, body: '{"inputs":"中文"}' }],
    [new URL(MODEL_URL), { method: "post", headers: { ...headers, ...JSON_HEADERS }, body: '{"inputs":1}' }],
    [MODEL_URL, { method: "POST", headers, body: bytes }],
    [MODEL_URL, { method: "PUT", headers, body: bytes.buffer }],
    [`${MODEL_URL}?a=1#x`, { headers }],
  ];
  for (const [input, init] of calls) {
    await transport(input, init);
    await transport(new Request(input, init));
    const [fast, viaRequest] = sent.splice(0);
    assert.deepEqual(fast, viaRequest, `${init.method ?? "GET"} ${input}`);
  }
  // The body was copied: changing the caller's bytes afterwards changes nothing sent.
  const kept = new Uint8Array([7]);
  const late = createTransport({
    mode: "live",
    fetch: async (input, init) => {
      await Promise.resolve();
      kept[0] = 8;
      sent.push({
        method: "",
        url: String(input),
        type: null,
        auth: null,
        body: [...(init!.body as Uint8Array)],
      });
      return new Response("{}", { headers: JSON_HEADERS });
    },
  });
  await late(MODEL_URL, { method: "POST", body: kept });
  assert.deepEqual(sent[0]!.body, [7]);
});
