/**
 * Retry rules of the live transport (issue 6), against the real local fake
 * server: what is retried, how long each wait is, and when it gives up. No
 * test sleeps for real backoff time: `retry.sleep` records the delays.
 */
import assert from "node:assert/strict";
import { HfApiError } from "../lib/errors.ts";
import { summarization } from "../lib/tasks/summarization.ts";
import {
  abortableSleep,
  backoffDelay,
  resolveRetry,
  type RetryInfo,
  type RetryOptions,
  serverAskedDelay,
} from "../lib/transport/retry.ts";
import { type FakeHfServer, type FakeResponse, scenarios, startFakeHf } from "./fake_hf_server.ts";
import { recordingSleep, rejection, requestsTo, timed, uniqueModel } from "./_helpers.ts";

const OK: FakeResponse = { json: [{ summary_text: "done" }] };

/** Script the task call of a new model, then summarize through the fake with `retry`. */
function summarizeWith(fake: FakeHfServer, answers: FakeResponse[], retry: RetryOptions = {}) {
  const model = uniqueModel("retry");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, ...answers);
  const call = summarization("A paragraph to summarize.", {
    model,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    retry,
  });
  return { model, call, posts: () => requestsTo(fake.requests, model) };
}

Deno.test("legacy 503 with estimated_time, then 200: waits what it asked (bounded by maxRetryAfterMs), then succeeds", async () => {
  await using fake = await startFakeHf();
  const clock = recordingSleep();
  const asked = summarizeWith(fake, [scenarios.loading503, OK], { sleep: clock.sleep });
  assert.deepEqual(await asked.call, { summary_text: "done" });
  assert.deepEqual(clock.delays, [20_000]);
  assert.equal(asked.posts(), 2);

  const capped = recordingSleep();
  const bounded = summarizeWith(fake, [scenarios.loading503, OK], {
    sleep: capped.sleep,
    maxRetryAfterMs: 5_000,
  });
  assert.deepEqual(await bounded.call, { summary_text: "done" });
  assert.deepEqual(capped.delays, [5_000]);
});

Deno.test("503 forever: gives up after maxUnavailableAttempts with the 'may not be served' hint", async () => {
  await using fake = await startFakeHf();
  const clock = recordingSleep();
  const run = summarizeWith(fake, [scenarios.loading503], { sleep: clock.sleep });
  const error = await rejection(run.call);
  assert.ok(error instanceof HfApiError, String(error));
  assert.equal(error.status, 503);
  assert.equal(error.kind, "unavailable");
  assert.equal(error.attempts, 3);
  assert.equal(run.posts(), 3);
  assert.equal(clock.delays.length, 2);
  assert.match(error.message, /503 .* after 3 attempts: Model facebook\/bart-large-cnn is currently loading/);
  assert.match(error.hint, /may not be served/);
  assert.match(error.hint, /deno task hf check/);

  const fewer = summarizeWith(fake, [scenarios.loading503], {
    sleep: recordingSleep().sleep,
    maxUnavailableAttempts: 2,
  });
  await assert.rejects(fewer.call, HfApiError);
  assert.equal(fewer.posts(), 2);
});

Deno.test("502 / 503 / 504 as HTML or text: bounded retries, then an error with the status and a short text", async () => {
  await using fake = await startFakeHf();
  const cases: [FakeResponse, number, number, string][] = [
    [scenarios.badGateway502Html, 502, 4, "502 Bad Gateway"],
    [scenarios.unavailable503Html, 503, 3, "503 Service Temporarily Unavailable"],
    [scenarios.unavailable503Text, 503, 3, "Service Unavailable"],
    [scenarios.timeout504Html, 504, 4, "504 Gateway Time-out"],
    [scenarios.busy500, 500, 4, "Model too busy, unable to get response in less than 120 second(s)"],
  ];
  for (const [answer, status, attempts, text] of cases) {
    const clock = recordingSleep();
    const run = summarizeWith(fake, [answer], { sleep: clock.sleep });
    const error = await rejection(run.call);
    assert.ok(error instanceof HfApiError, `${status}: ${error}`);
    assert.equal(error.status, status);
    assert.equal(error.serviceMessage, text);
    assert.ok(error.message.endsWith(`: ${text}`), error.message);
    assert.ok(
      !/<html|<head|<center|\r/.test(error.message),
      `the page must not be in the message: ${error.message}`,
    );
    assert.equal(run.posts(), attempts, `${status} attempts`);
    assert.equal(error.attempts, attempts);
    assert.equal(clock.delays.length, attempts - 1);
  }
});

Deno.test("a 502 then a 200 succeeds on the second attempt", async () => {
  await using fake = await startFakeHf();
  const clock = recordingSleep();
  const run = summarizeWith(fake, [scenarios.badGateway502Html, OK], {
    sleep: clock.sleep,
    random: () => 0.5,
  });
  assert.deepEqual(await run.call, { summary_text: "done" });
  assert.equal(run.posts(), 2);
  assert.deepEqual(clock.delays, [500]);
});

Deno.test("429 without headers: full jitter below an exponential ceiling and the cap", async () => {
  await using fake = await startFakeHf();
  const half = recordingSleep();
  const run = summarizeWith(fake, [scenarios.rateLimit429], { sleep: half.sleep, random: () => 0.5 });
  const error = await rejection(run.call);
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 429);
  assert.equal(error.kind, "rate-limited");
  assert.equal(run.posts(), 4);
  assert.deepEqual(half.delays, [500, 1_000, 2_000]);

  const top = recordingSleep();
  const capped = summarizeWith(fake, [scenarios.rateLimit429], {
    sleep: top.sleep,
    random: () => 0.999999,
    maxDelayMs: 1_500,
  });
  await assert.rejects(capped.call, HfApiError);
  assert.deepEqual(top.delays, [999, 1_499, 1_499]);

  const zero = recordingSleep();
  await assert.rejects(
    summarizeWith(fake, [scenarios.rateLimit429], { sleep: zero.sleep, random: () => 0 }).call,
    HfApiError,
  );
  assert.deepEqual(zero.delays, [0, 0, 0]);
});

Deno.test("429 with Retry-After: 7 waits at least 7000 ms, clamped by maxRetryAfterMs", async () => {
  await using fake = await startFakeHf();
  const clock = recordingSleep();
  const run = summarizeWith(fake, [scenarios.rateLimit429RetryAfterSeconds, OK], {
    sleep: clock.sleep,
    random: () => 0,
  });
  assert.deepEqual(await run.call, { summary_text: "done" });
  assert.deepEqual(clock.delays, [7_000]);

  const clamped = recordingSleep();
  const run2 = summarizeWith(fake, [scenarios.rateLimit429RetryAfterSeconds, OK], {
    sleep: clamped.sleep,
    maxRetryAfterMs: 2_000,
  });
  await run2.call;
  assert.deepEqual(clamped.delays, [2_000]);
});

Deno.test("429 with Retry-After as an HTTP date waits until that date", async () => {
  await using fake = await startFakeHf();
  const clock = recordingSleep();
  const run = summarizeWith(fake, [scenarios.rateLimit429RetryAfterDate(30), OK], {
    sleep: clock.sleep,
    random: () => 0,
  });
  assert.deepEqual(await run.call, { summary_text: "done" });
  assert.equal(clock.delays.length, 1);
  // an HTTP date has whole seconds: between 29 and 30 s from when the answer was made
  assert.ok(clock.delays[0]! >= 28_000 && clock.delays[0]! <= 30_000, String(clock.delays[0]));
});

Deno.test("the Hub's RateLimit t=55 on the mapping look-up is waited for, then the call goes on", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("hub-rate");
  const mapping = { "hf-inference": { status: "live", providerId: model, task: "summarization" } };
  fake.on(`/api/models/${model}`, scenarios.hubRateLimit429, {
    json: { id: model, inferenceProviderMapping: mapping },
  });
  fake.on(`/hf-inference/models/${model}`, OK);
  const clock = recordingSleep();
  const retries: RetryInfo[] = [];
  const output = await summarization("A paragraph.", {
    model,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    retry: { sleep: clock.sleep, random: () => 0, onRetry: (info) => retries.push(info) },
  });
  assert.deepEqual(output, { summary_text: "done" });
  assert.deepEqual(clock.delays, [55_000]);
  assert.equal(retries.length, 1);
  assert.equal(retries[0]?.status, 429);
  assert.equal(retries[0]?.serverAsked, true);
  assert.match(retries[0]?.request ?? "", /^GET https:\/\/huggingface\.co\/api\/models\//);
  assert.equal(requestsTo(fake.requests, `/api/models/${model}`, "GET"), 2);
});

Deno.test("424 is retried only a few times; 500 with warnings surfaces the warnings", async () => {
  await using fake = await startFakeHf();
  const few = summarizeWith(fake, [scenarios.generation424], { sleep: recordingSleep().sleep });
  const error = await rejection(few.call);
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 424);
  assert.equal(error.kind, "generation");
  assert.equal(error.errorType, "generation");
  assert.equal(few.posts(), 3);

  const warned = summarizeWith(fake, [scenarios.server500WithWarnings], { sleep: recordingSleep().sleep });
  const error500 = await rejection(warned.call);
  assert.ok(error500 instanceof HfApiError);
  assert.match(error500.serviceMessage, /^unknown error \(warnings: There was an inference error/);
  assert.equal(warned.posts(), 4);
});

Deno.test("onRetry is told the attempt, status, wait and request of each retry", async () => {
  await using fake = await startFakeHf();
  const retries: RetryInfo[] = [];
  const run = summarizeWith(
    fake,
    [scenarios.rateLimit429RetryAfterSeconds, scenarios.badGateway502Html, OK],
    {
      sleep: recordingSleep().sleep,
      random: () => 0.25,
      onRetry: (info) => retries.push(info),
    },
  );
  await run.call;
  assert.deepEqual(
    retries.map(({ attempt, status, delayMs, serverAsked }) => ({ attempt, status, delayMs, serverAsked })),
    [
      { attempt: 1, status: 429, delayMs: 7_000, serverAsked: true },
      { attempt: 2, status: 502, delayMs: 500, serverAsked: false },
    ],
  );
  assert.equal(retries[0]?.request, `POST https://router.huggingface.co/hf-inference/models/${run.model}`);
});

Deno.test("serverAskedDelay reads Retry-After (both forms), RateLimit t= and estimated_time", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(serverAskedDelay(new Headers({ "retry-after": "7" })), 7_000);
  assert.equal(serverAskedDelay(new Headers({ "retry-after": "1.5" })), 1_500);
  assert.equal(
    serverAskedDelay(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:12 GMT" }), undefined, now),
    12_000,
  );
  assert.equal(
    serverAskedDelay(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), undefined, now),
    0,
  );
  assert.equal(serverAskedDelay(new Headers({ ratelimit: '"api";r=0;t=55' })), 55_000);
  assert.equal(serverAskedDelay(new Headers(), '{"error":"loading","estimated_time":20.0}'), 20_000);
  assert.equal(serverAskedDelay(new Headers(), '{"error":"x","estimated_time":-1}'), undefined);
  assert.equal(serverAskedDelay(new Headers(), "estimated_time: soon"), undefined);
  assert.equal(serverAskedDelay(new Headers({ "retry-after": "soon" })), undefined);
  assert.equal(serverAskedDelay(new Headers()), undefined);
});

Deno.test("backoffDelay: the server's ask clamped, else full jitter under min(cap, base·2^(n-1))", () => {
  const retry = resolveRetry({
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    maxRetryAfterMs: 5_000,
    random: () => 0.5,
  });
  assert.equal(backoffDelay(1, retry, 7_000), 5_000);
  assert.equal(backoffDelay(1, retry, 0), 0);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, retry)), [50, 100, 200, 400, 500, 500]);
  const high = resolveRetry({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.9999 });
  for (let n = 1; n < 10; n++) assert.ok(backoffDelay(n, high) < Math.min(1_000, 100 * 2 ** (n - 1)));
});

Deno.test("resolveRetry rejects nonsense with a RangeError naming the option", () => {
  assert.throws(
    () => resolveRetry({ maxAttempts: 0 }),
    /"maxAttempts" must be a whole number of at least 1, got 0/,
  );
  assert.throws(() => resolveRetry({ maxUnavailableAttempts: 1.5 }), RangeError);
  assert.throws(
    () => resolveRetry({ attemptTimeoutMs: -1 }),
    /"attemptTimeoutMs" must be a number of milliseconds/,
  );
  assert.throws(() => resolveRetry({ baseDelayMs: Number.NaN }), RangeError);
  const r = resolveRetry();
  assert.equal(r.maxAttempts, 4);
  assert.equal(r.maxUnavailableAttempts, 3);
  assert.equal(r.maxRetryAfterMs, 60_000);
});

Deno.test("abortableSleep ends at once when its signal aborts, even for a long delay", async () => {
  const controller = new AbortController();
  const reason = new Error("stop now");
  setTimeout(() => controller.abort(reason), 20);
  const { ms, error } = await timed(() => abortableSleep(60_000, controller.signal));
  assert.equal(error, reason);
  assert.ok(ms < 1_000, `took ${ms} ms`);
  await assert.rejects(abortableSleep(10, AbortSignal.abort(reason)), (e) => e === reason);
  const done = await timed(() => abortableSleep(5));
  assert.equal(done.error, undefined);
});
