import assert from "node:assert/strict";
import { InferenceClient } from "@huggingface/inference";
import { guessModelTask, scenarios, startFakeHf } from "./fake_hf_server.ts";
import { createLimiter } from "./fake_limiters.ts";

const ROUTER = "https://router.huggingface.co";
const HUB = "https://huggingface.co";

Deno.test("a scripted sequence is served in order and the last answer repeats", async () => {
  await using fake = await startFakeHf();
  const url = `${ROUTER}/hf-inference/models/facebook/bart-large-cnn`;
  fake.on("/hf-inference/models/facebook/bart-large-cnn", scenarios.loading503, scenarios.summarization200);
  const statuses: number[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < 3; i++) {
    const response = await fake.fetch(url, { method: "POST", body: '{"inputs":"x"}' });
    statuses.push(response.status);
    bodies.push(await response.text());
  }
  assert.deepEqual(statuses, [503, 200, 200]);
  assert.equal(
    bodies[0],
    '{"error":"Model facebook/bart-large-cnn is currently loading","estimated_time":20.0}',
  );
  assert.deepEqual(JSON.parse(bodies[1]!), scenarios.summarization200.json);
  assert.equal(bodies[2], bodies[1]);
  assert.equal(fake.requests.length, 3);
});

Deno.test("matching: exact URL, path suffix, RegExp, later rules first, unscripted is a recorded 404", async () => {
  await using fake = await startFakeHf();
  fake.on(`${ROUTER}/v1/chat/completions`, { json: { which: "exact" } });
  fake.on(/\/pipeline\/feature-extraction$/, { json: { which: "regexp" } });
  fake.on("/models/gpt2", { json: { which: "suffix" } });
  fake.on("/models/gpt2", { json: { which: "later" } });
  const get = async (url: string) => await (await fake.fetch(url, { method: "POST" })).json();
  assert.deepEqual(await get(`${ROUTER}/v1/chat/completions`), { which: "exact" });
  assert.deepEqual(await get(`${ROUTER}/hf-inference/models/x/y/pipeline/feature-extraction`), {
    which: "regexp",
  });
  assert.deepEqual(await get(`${ROUTER}/hf-inference/models/gpt2`), { which: "later" });

  const response = await fake.fetch(`${ROUTER}/hf-inference/models/other`, { method: "POST" });
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await response.text(), "Not Found");
  assert.equal(fake.requests.at(-1)?.url, `${ROUTER}/hf-inference/models/other`);
});

Deno.test("fetch rewrite keeps method, headers and body and records the original URL", async () => {
  await using fake = await startFakeHf({
    endpointHosts: ["https://my-endpoint.endpoints.huggingface.cloud"],
  });
  fake.on("/hf-inference/models/google/vit-base-patch16-224", { json: [] });
  const image = new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x01, 0x80]);
  const response = await fake.fetch(
    new URL(`${ROUTER}/hf-inference/models/google/vit-base-patch16-224?x=1`),
    {
      method: "PUT",
      headers: { Authorization: "Bearer hf_fake", "X-HF-Bill-To": "my-org", "content-type": "image/jpeg" },
      body: image,
    },
  );
  assert.equal(response.status, 200);
  await response.body?.cancel();

  const seen = fake.requests[0]!;
  assert.equal(seen.method, "PUT");
  assert.equal(seen.url, `${ROUTER}/hf-inference/models/google/vit-base-patch16-224?x=1`);
  assert.equal(seen.path, "/hf-inference/models/google/vit-base-patch16-224");
  assert.equal(seen.headers["authorization"], "Bearer hf_fake");
  assert.equal(seen.headers["x-hf-bill-to"], "my-org");
  assert.equal(seen.headers["content-type"], "image/jpeg");
  assert.equal(seen.headers["host"], "router.huggingface.co");
  assert.ok(
    !Object.keys(seen.headers).some((name) => name.startsWith("x-fake-hf")),
    "internal header leaked",
  );
  assert.deepEqual(seen.bodyBytes, image);
  assert.ok(Math.abs(seen.at - Date.now()) < 5_000);

  // A Request object, a JSON body, an endpoint host given as a URL, and plain http.
  const request = new Request("http://my-endpoint.endpoints.huggingface.cloud/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ inputs: "héllo" }),
  });
  await (await fake.fetch(request)).body?.cancel();
  const second = fake.requests[1]!;
  assert.equal(second.url, "http://my-endpoint.endpoints.huggingface.cloud/");
  assert.equal(second.body, '{"inputs":"héllo"}');
  assert.equal(second.headers["content-type"], "application/json");
});

Deno.test("a relative redirect is followed and recorded under the original host", async () => {
  await using fake = await startFakeHf();
  fake.on(
    "/api/models/bert-base-uncased",
    scenarios.redirect307("/api/models/google-bert/bert-base-uncased"),
  );
  const response = await fake.fetch(`${HUB}/api/models/bert-base-uncased`);
  assert.equal(response.status, 200);
  assert.equal((await response.json()).id, "google-bert/bert-base-uncased");
  assert.deepEqual(fake.requests.map((r) => r.url), [
    `${HUB}/api/models/bert-base-uncased`,
    `${HUB}/api/models/google-bert/bert-base-uncased`,
  ]);
});

Deno.test("an unexpected host rejects with TypeError and is not recorded", async () => {
  await using fake = await startFakeHf();
  await assert.rejects(fake.fetch("https://example.com/x"), (error: unknown) => {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /^Fake server: unexpected host example\.com/);
    return true;
  });
  await assert.rejects(fake.fetch("https://api-inference.huggingface.co/models/gpt2"), TypeError);
  fake.addEndpointHost("api-inference.huggingface.co");
  fake.on("/models/gpt2", scenarios.gone410);
  const response = await fake.fetch("https://api-inference.huggingface.co/models/gpt2", { method: "POST" });
  assert.equal(response.status, 410);
  assert.match((await response.json()).error, /no longer supported/);
  assert.equal(fake.requests.length, 1);
});

Deno.test("hang: a client fetch with AbortSignal.timeout(100) rejects with a TimeoutError", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", scenarios.hang);
  const started = Date.now();
  await assert.rejects(
    fake.fetch(`${ROUTER}/v1/chat/completions`, { method: "POST", signal: AbortSignal.timeout(100) }),
    (error: unknown) => {
      assert.ok(error instanceof DOMException);
      assert.equal(error.name, "TimeoutError");
      return true;
    },
  );
  assert.ok(Date.now() - started >= 90);
  assert.equal(fake.requests.length, 1);
});

Deno.test("reset: fetch rejects with a TypeError and no response", async () => {
  await using fake = await startFakeHf();
  fake.on("/hf-inference/models/gpt2", scenarios.reset, scenarios.summarization200);
  await assert.rejects(fake.fetch(`${ROUTER}/hf-inference/models/gpt2`, { method: "POST" }), TypeError);
  // The next request (new connection) gets the next answer.
  const response = await fake.fetch(`${ROUTER}/hf-inference/models/gpt2`, { method: "POST" });
  assert.equal(response.status, 200);
  await response.body?.cancel();
  assert.equal(fake.requests.length, 2);
});

Deno.test("stall-body: headers and half the body arrive, then reading hangs until abort", async () => {
  await using fake = await startFakeHf();
  fake.on("/hf-inference/models/facebook/bart-large-cnn", scenarios.stallBody);
  const controller = new AbortController();
  const response = await fake.fetch(`${ROUTER}/hf-inference/models/facebook/bart-large-cnn`, {
    method: "POST",
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json");
  const reader = response.body!.getReader();
  const first = await reader.read();
  const full = JSON.stringify(scenarios.stallBody.json);
  assert.equal(new TextDecoder().decode(first.value), full.slice(0, Math.ceil(full.length / 2)));
  const rest = reader.read();
  const outcome = await Promise.race([
    rest.then(() => "data"),
    new Promise((r) => setTimeout(r, 100, "stalled")),
  ]);
  assert.equal(outcome, "stalled");
  controller.abort();
  await assert.rejects(
    rest,
    (error: unknown) => error instanceof DOMException && error.name === "AbortError",
  );
});

Deno.test("cut-stream: the SSE events arrive, then the body breaks without [DONE]", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", scenarios.chatStreamCut);
  const response = await fake.fetch(`${ROUTER}/v1/chat/completions`, { method: "POST" });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const decoder = new TextDecoder();
  let text = "";
  const reader = response.body!.getReader();
  const error = await (async () => {
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        text += decoder.decode(value, { stream: true });
      }
    } catch (error) {
      return error;
    }
  })();
  assert.ok(error instanceof TypeError, `expected a TypeError, got ${error}`);
  assert.equal(text, scenarios.chatStreamCut.sse!.map((data) => `data: ${data}\n\n`).join(""));
  assert.ok(!text.includes("[DONE]"));
});

Deno.test("sse: events are sent as data lines and end with [DONE] unless told otherwise", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", { sse: ['{"a":1}', '{"b":2}'] }, scenarios.sseErrorEvent);
  const first = await (await fake.fetch(`${ROUTER}/v1/chat/completions`, { method: "POST" })).text();
  assert.equal(first, 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n');
  const second = await fake.fetch(`${ROUTER}/v1/chat/completions`, { method: "POST" });
  assert.equal(second.status, 200);
  const body = await second.text();
  assert.match(body, /^data: \{"error":"Input validation error: .*","error_type":"validation"\}\n\n$/);
});

Deno.test("echo-auth: a 401 whose error repeats the Authorization header", async () => {
  await using fake = await startFakeHf();
  fake.on("/hf-inference/models/gpt2", scenarios.echoAuth);
  const token = "hf_" + "secret".repeat(6); // built at run time: no token-shaped string is tracked
  const response = await fake.fetch(`${ROUTER}/hf-inference/models/gpt2`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 401);
  assert.equal(response.headers.get("content-type"), "application/json");
  const body = await response.json();
  assert.ok(body.error.includes(`Bearer ${token}`));
});

Deno.test("default mapping look-up, setModelTask, setMapping and mapping: false", async () => {
  await using fake = await startFakeHf();
  const lookUp = (id: string) => fake.fetch(`${HUB}/api/models/${id}?expand[]=inferenceProviderMapping`);

  let response = await lookUp("facebook/bart-large-cnn");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = await response.json();
  assert.equal(body.id, "facebook/bart-large-cnn");
  assert.match(body._id, /^[0-9a-f]{24}$/);
  assert.deepEqual(body.inferenceProviderMapping, {
    "hf-inference": { status: "live", providerId: "facebook/bart-large-cnn", task: "summarization" },
  });
  assert.equal(
    fake.requests[0]!.url,
    `${HUB}/api/models/facebook/bart-large-cnn?expand[]=inferenceProviderMapping`,
  );

  fake.setModelTask("my-org/my-model", "text-classification");
  response = await lookUp("my-org/my-model");
  assert.equal((await response.json()).inferenceProviderMapping["hf-inference"].task, "text-classification");

  fake.setMapping("gone/model", null);
  response = await lookUp("gone/model");
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("x-error-code"), "RepoNotFound");
  assert.deepEqual(await response.json(), { error: "Repository not found" });

  fake.setMapping("meta-llama/Llama-3.1-8B-Instruct", {
    "together": {
      status: "live",
      providerId: "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
      task: "conversational",
    },
  });
  response = await lookUp("meta-llama/Llama-3.1-8B-Instruct");
  assert.deepEqual(Object.keys((await response.json()).inferenceProviderMapping), ["together"]);

  await using bare = await startFakeHf({ mapping: false });
  response = await bare.fetch(`${HUB}/api/models/facebook/bart-large-cnn?expand[]=inferenceProviderMapping`);
  assert.equal(response.status, 404);
  assert.equal(await response.text(), "Not Found");
});

Deno.test("guessModelTask covers common model families", () => {
  assert.equal(guessModelTask("meta-llama/Llama-3.1-8B-Instruct"), "conversational");
  assert.equal(guessModelTask("openai/whisper-large-v3"), "automatic-speech-recognition");
  assert.equal(guessModelTask("sentence-transformers/all-MiniLM-L6-v2"), "feature-extraction");
  assert.equal(
    guessModelTask("distilbert/distilbert-base-uncased-finetuned-sst-2-english"),
    "text-classification",
  );
  assert.equal(guessModelTask("deepset/roberta-base-squad2"), "question-answering");
  assert.equal(guessModelTask("facebook/bart-large-mnli"), "zero-shot-classification");
  assert.equal(guessModelTask("dslim/bert-base-NER"), "token-classification");
  assert.equal(guessModelTask("Helsinki-NLP/opus-mt-en-fr"), "translation");
  assert.equal(guessModelTask("google-bert/bert-base-uncased"), "fill-mask");
  assert.equal(guessModelTask("some/unknown"), "summarization");
});

Deno.test("the official client works through the fake (mapping look-up, then the task call)", async () => {
  await using fake = await startFakeHf();
  fake.on("/hf-inference/models/fake-org/bart-summarizer", scenarios.summarization200);
  const client = new InferenceClient("hf_fake_token", { fetch: fake.fetch });
  const result = await client.summarization({
    model: "fake-org/bart-summarizer",
    provider: "hf-inference",
    inputs: "The tower is 324 metres tall.",
  });
  assert.equal(
    result.summary_text,
    (scenarios.summarization200.json as { summary_text: string }[])[0]!.summary_text,
  );
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.url}`), [
    `GET ${HUB}/api/models/fake-org/bart-summarizer?expand[]=inferenceProviderMapping`,
    `POST ${ROUTER}/hf-inference/models/fake-org/bart-summarizer`,
  ]);
  assert.deepEqual(JSON.parse(fake.requests[1]!.body), { inputs: "The tower is 324 metres tall." });
  assert.equal(fake.requests[1]!.headers["authorization"], "Bearer hf_fake_token");
});

Deno.test("scenarios carry the documented statuses, headers and bodies", async () => {
  await using fake = await startFakeHf();
  const cases = [
    scenarios.rateLimit429RetryAfterSeconds,
    scenarios.rateLimit429RetryAfterDate(5),
    scenarios.hubRateLimit429,
    scenarios.gated403,
    scenarios.unauthorized401Text,
    scenarios.badGateway502Html,
    scenarios.truncatedJson200,
    scenarios.errorObject400,
  ];
  fake.on("/x", ...cases);
  const responses: Response[] = [];
  for (const _ of cases) responses.push(await fake.fetch(`${ROUTER}/x`, { method: "POST" }));
  const [seconds, date, hub, gated, text, html, truncated, object] = responses as [
    Response,
    Response,
    Response,
    Response,
    Response,
    Response,
    Response,
    Response,
  ];
  assert.equal(seconds.status, 429);
  assert.equal(seconds.headers.get("retry-after"), "7");
  const retryAt = Date.parse(date.headers.get("retry-after") ?? "");
  assert.ok(retryAt > Date.now() + 2_000 && retryAt <= Date.now() + 6_000, `bad Retry-After date ${retryAt}`);
  assert.equal(hub.headers.get("ratelimit"), '"api";r=0;t=55');
  assert.equal(gated.status, 403);
  assert.equal(gated.headers.get("x-error-code"), "GatedRepo");
  assert.equal(text.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await text.text(), "Invalid username or password.");
  assert.equal(html.status, 502);
  assert.equal(html.headers.get("content-type"), "text/html");
  assert.match(await html.text(), /<title>502 Bad Gateway<\/title>/);
  await assert.rejects(truncated.json(), SyntaxError);
  assert.equal((await object.json()).error.code, "model_not_supported");
  for (const response of [seconds, date, hub, gated]) await response.body?.cancel();
  assert.ok(Object.isFrozen(scenarios.loading503) && Object.isFrozen(scenarios.loading503.headers));
  assert.throws(() => fake.on("/y", { json: {}, text: "" }), TypeError);
});

Deno.test("delayMs delays the answer", async () => {
  await using fake = await startFakeHf();
  fake.on("/slow", { ...scenarios.okErrorBody200, delayMs: 150 });
  const started = Date.now();
  const response = await fake.fetch(`${ROUTER}/slow`);
  assert.ok(Date.now() - started >= 140);
  assert.deepEqual(await response.json(), { error: "unknown error" });
});

Deno.test("close() ends a request still hanging, a stalled body and a pending delay", async () => {
  const fake = await startFakeHf();
  fake.on("/hang", scenarios.hang);
  fake.on("/stall", scenarios.stallBody);
  fake.on("/slow", { json: {}, delayMs: 60_000 });
  const hanging = fake.fetch(`${ROUTER}/hang`, { method: "POST", body: "x" });
  const slow = fake.fetch(`${ROUTER}/slow`);
  const stalled = await fake.fetch(`${ROUTER}/stall`);
  const stalledBody = stalled.text();
  await fake.waitForRequests(3);
  const started = Date.now();
  await fake.close();
  await fake.close(); // idempotent
  assert.ok(Date.now() - started < 500);
  await assert.rejects(hanging, TypeError);
  await assert.rejects(slow, TypeError);
  await assert.rejects(stalledBody, TypeError);
  await assert.rejects(fake.fetch(`${ROUTER}/hang`), /already closed/);
});

Deno.test("concurrent requests each get an answer and are all recorded", async () => {
  await using fake = await startFakeHf();
  fake.on("/hf-inference/models/gpt2", { ...scenarios.summarization200, delayMs: 30 });
  const responses = await Promise.all(
    Array.from(
      { length: 6 },
      (_, i) =>
        fake.fetch(`${ROUTER}/hf-inference/models/gpt2`, {
          method: "POST",
          body: JSON.stringify({ inputs: i }),
        }),
    ),
  );
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  await Promise.all(responses.map((r) => r.json()));
  assert.deepEqual(fake.requests.map((r) => JSON.parse(r.body).inputs).sort(), [0, 1, 2, 3, 4, 5]);
});

Deno.test("the limiter shapes admit and reject by their own rules, on an injected clock", () => {
  let now = 10_000;
  const clock = () => now;
  // A whole-second fixed window: 2 per second, counted afresh at each whole second; Retry-After to the next.
  const fixed = createLimiter({ kind: "fixed-window", limit: 2, windowMs: 1000 }, clock);
  assert.deepEqual([fixed.admit(), fixed.admit(), fixed.admit()], [undefined, undefined, 1]);
  now = 11_000;
  assert.equal(fixed.admit(), undefined);
  // A sliding window: 2 in any second.
  const sliding = createLimiter({ kind: "sliding-window", limit: 2, windowMs: 1000 }, clock);
  assert.deepEqual([sliding.admit(), sliding.admit()], [undefined, undefined]);
  now = 11_900;
  assert.equal(sliding.admit(), 1);
  now = 12_001;
  assert.equal(sliding.admit(), undefined);
  // A token bucket of burst 3 at 10/s: three at once, then one per 100 ms.
  const bucket = createLimiter({ kind: "token-bucket", rate: 10, burst: 3 }, clock);
  assert.deepEqual([bucket.admit(), bucket.admit(), bucket.admit(), bucket.admit()], [
    undefined,
    undefined,
    undefined,
    1,
  ]);
  now += 100;
  assert.equal(bucket.admit(), undefined);
  assert.deepEqual(bucket.counts, { admitted: 4, rejected: 1 });
  // A quota answers its own Retry-After, whatever the time left.
  const quota = createLimiter({ kind: "fixed-window", limit: 1, windowMs: 60_000, retryAfterS: 30 }, clock);
  assert.deepEqual([quota.admit(), quota.admit()], [undefined, 30]);
  quota.reset();
  assert.equal(quota.admit(), undefined);
  assert.equal(createLimiter({ kind: "none" }, clock).admit(), undefined);
});

Deno.test("limit() puts a limiter in front of a route: 429 with its Retry-After, the others answered as scripted", async () => {
  await using fake = await startFakeHf();
  fake.on("/models/limited", { json: [{ ok: true }] });
  fake.limit(
    "/models/limited",
    createLimiter({ kind: "fixed-window", limit: 1, windowMs: 60_000, retryAfterS: 30 }),
  );
  const url = "https://router.huggingface.co/models/limited";
  assert.equal((await fake.fetch(url, { method: "POST", body: "{}" })).status, 200);
  const rejected = await fake.fetch(url, { method: "POST", body: "{}" });
  assert.equal(rejected.status, 429);
  assert.equal(rejected.headers.get("retry-after"), "30");
  await rejected.body?.cancel();
});
