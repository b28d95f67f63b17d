/**
 * The batch runner against a real local fake server: resume after a kill
 * (a subprocess killed mid-run), 429 / 503 handling with Retry-After, the
 * global stop on 401, malformed lines, ids from digests, the adaptive rate.
 *
 * @module
 */

import assert from "node:assert/strict";
import { batch, type BatchResult, type BatchSummary, itemDigest } from "../lib/batch/batch.ts";
import { createRateGate, parseRate } from "../lib/batch/_rate.ts";
import { repairLastLine } from "../lib/batch/_jsonl.ts";
import { batchResults, latencyBuckets } from "../lib/batch/results.ts";
import { summarization } from "../lib/tasks/summarization.ts";
import { main } from "../lib/cli/main.ts";
import type { CliIo } from "../lib/cli/io.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import { createLimiter, type LimiterShape, shapeName } from "./fake_limiters.ts";
import { CLEAN_ENV, recordingSleep, ROOT, tempDir, uniqueModel, withEnv } from "./_helpers.ts";

async function writeItems(path: string, items: unknown[]): Promise<void> {
  await Deno.writeTextFile(path, items.map((item) => JSON.stringify(item)).join("\n") + "\n");
}

async function readOutput(path: string): Promise<BatchResult[]> {
  return await Array.fromAsync(batchResults(path));
}

function ids(results: BatchResult[]): string[] {
  return results.map((r) => r.id);
}

function quietIo(lines: string[] = []): CliIo {
  return {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    readStdin: () => Promise.resolve(new Uint8Array()),
    stdin: () => new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    writeErr: () => {},
    errIsTerminal: false,
    color: false,
  };
}

const LIVE = { mode: "live" as const, accessToken: "hf_test" };

Deno.test("batch() writes one line per finished item, then a re-run sends none twice", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("batch");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "short" }] });
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, Array.from({ length: 12 }, (_, i) => ({ id: `item-${i}`, inputs: `text ${i}` })));
  const first = await batch(summarization, {
    input,
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    concurrency: 3,
  });
  assert.equal(first.done, 12);
  assert.equal(first.failed, 0);
  assert.equal(first.total, 12);
  const results = await readOutput(output);
  assert.deepEqual(ids(results).sort(), Array.from({ length: 12 }, (_, i) => `item-${i}`).sort());
  for (const r of results) {
    assert.deepEqual(r.output, { summary_text: "short" });
    assert.equal(r.attempts, 1);
    assert.ok(r.latency_ms >= 0);
  }
  const posts = () => fake.requests.filter((r) => r.method === "POST").length;
  const sent = posts();
  assert.equal(sent, 12);
  const again = await batch(summarization, { input, output, model, ...LIVE, fetch: fake.fetch });
  assert.equal(again.skipped, 12);
  assert.equal(again.done, 0);
  assert.equal(posts(), sent, "a resumed batch sent an item again");
  assert.equal((await readOutput(output)).length, 12);
});

Deno.test("batch() resumes after its process is killed mid-run: every id once, none sent twice", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  fake.on("/models/kill-test", { json: [{ summary_text: "ok" }], delayMs: 40 });
  const endpoint = `${fake.origin}/models/kill-test`;
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  const count = 150;
  await writeItems(input, Array.from({ length: count }, (_, i) => ({ id: `k${i}`, inputs: `text-${i}` })));
  const args = ["batch", "summarization", "--input", input, "--output", output, "--endpoint", endpoint];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      `${ROOT}/lib/cli/main.ts`,
      ...args,
      "--concurrency",
      "4",
      "--progress",
      "none",
    ],
    env: { HF_TOKEN: "hf_test", HF_MODE: "live", HF_WORKBOOK_NO_DOTENV: "1", NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let exited = false;
  const status = child.status.then((st) => {
    exited = true;
    return st;
  });
  // Kill it once a good part (not all) of the output is written.
  const deadline = Date.now() + 60_000;
  while (!exited && Date.now() < deadline) {
    const written = (await Deno.readTextFile(output).catch(() => "")).split("\n").length - 1;
    if (written >= 30) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!exited) child.kill("SIGKILL");
  const stderr = new TextDecoder().decode(new Uint8Array(await new Response(child.stderr).arrayBuffer()));
  assert.equal((await status).success, false, `the batch ended before it could be killed: ${stderr}`);
  const before = new Set(
    (await Deno.readTextFile(output)).split("\n").filter((l) => l.endsWith("}")).map((l) =>
      JSON.parse(l).id as string
    ),
  );
  assert.ok(before.size >= 30 && before.size < count, `killed after ${before.size} of ${count}`);
  const sentBeforeResume = fake.requests.length;

  const code = await withEnv(
    { ...CLEAN_ENV, HF_TOKEN: "hf_test", HF_MODE: "live" },
    () => main([...args, "--concurrency", "4", "--progress", "none"], quietIo()),
  );
  assert.equal(code, 0);
  const results = await readOutput(output);
  assert.equal(results.length, count, "an item is missing or written twice");
  assert.equal(new Set(ids(results)).size, count);
  const resent = fake.requests.slice(sentBeforeResume).map((r) => `k${/text-(\d+)/.exec(r.body)![1]}`);
  assert.deepEqual(resent.filter((id) => before.has(id)), [], "a finished item was sent again");
  assert.equal(resent.length, count - before.size);
});

Deno.test("batch() retries a 429 after its Retry-After and a 503 a few times, then fails the item", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("retry");
  fake.setModelTask(model, "summarization");
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, [{ id: "limited", inputs: "first" }]);
  fake.on(`/hf-inference/models/${model}`, { ...scenarios.rateLimit429, headers: { "retry-after": "2" } }, {
    json: [{ summary_text: "after the wait" }],
  });
  const sleep = recordingSleep();
  const summary = await batch(summarization, {
    input,
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    rate: 100,
    retry: { sleep: sleep.sleep },
  });
  assert.equal(summary.done, 1);
  assert.equal(summary.rateLimited, 1);
  assert.equal(summary.retries, 1);
  assert.deepEqual(sleep.delays, [2000], "the Retry-After of the 429 was not honoured");
  const [limited] = await readOutput(output);
  assert.equal(limited?.attempts, 2);
  assert.deepEqual(limited?.output, { summary_text: "after the wait" });

  // A 503 that does not go away: three attempts (maxUnavailableAttempts), then the item fails.
  await writeItems(input, [{ id: "unavailable", inputs: "second" }]);
  fake.on(`/hf-inference/models/${model}`, scenarios.unavailable503Text);
  const unavailable = await batch(summarization, {
    input,
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    rate: 100,
    retry: { sleep: sleep.sleep },
  });
  assert.equal(unavailable.failed, 1);
  assert.equal(unavailable.unavailable, 3);
  const failed = (await readOutput(output)).find((r) => r.id === "unavailable");
  assert.equal(failed?.attempts, 3);
  assert.equal(failed?.error?.status, 503);
  assert.equal(failed?.error?.kind, "unavailable");
  assert.equal(failed?.error?.message, "Service Unavailable");

  // A 422 is never retried.
  await writeItems(input, [{ id: "invalid", inputs: "third" }]);
  fake.on(`/hf-inference/models/${model}`, scenarios.validation422Json);
  const invalid = await batch(summarization, { input, output, model, ...LIVE, fetch: fake.fetch, rate: 100 });
  assert.equal(invalid.failed, 1);
  assert.equal(invalid.requests, 1);
  assert.match((await readOutput(output)).at(-1)?.error?.message ?? "", /Input validation error/);
});

Deno.test("batch() stops everything on a 401 and leaves the rest pending for the next run", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("stop");
  fake.setModelTask(model, "summarization");
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, inputs: `text ${i}` })));
  fake.on(`/hf-inference/models/${model}`, scenarios.unauthorized401Json);
  const stopped = await batch(summarization, {
    input,
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    concurrency: 2,
  });
  assert.equal(stopped.stopped?.status, 401);
  assert.equal(stopped.stopped?.kind, "unauthorized");
  assert.match(stopped.stopped?.hint ?? "", /HF_TOKEN/);
  assert.equal(stopped.done + stopped.failed, 0);
  assert.equal(stopped.pending, 20);
  const posts = fake.requests.filter((r) => r.method === "POST").length;
  assert.ok(posts <= 2, `${posts} requests were sent after the first 401 (concurrency 2)`);
  assert.equal((await readOutput(output)).length, 0, "a stopped item was written as done");

  fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "with a good token" }] });
  const resumed = await batch(summarization, {
    input,
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    concurrency: 2,
  });
  assert.equal(resumed.done, 20);
  assert.equal(new Set(ids(await readOutput(output))).size, 20);
});

Deno.test("batch() reports a bad line with its number, skips it and goes on", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("bad-lines");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "fine" }] });
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await Deno.writeTextFile(
    input,
    [
      '{"id":"a","inputs":"one"}',
      "{not json",
      "",
      '{"id":"b"}',
      "[1,2]",
      '{"id":{"x":1},"inputs":"x"}',
      '{"id":"c","inputs":"three","parameters":"oops"}',
      '{"id":"d","inputs":"four"}',
    ].join("\n"),
  );
  const bad: string[] = [];
  const summary = await batch(summarization, {
    input,
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    onBadLine: ({ line, message }) => bad.push(`${line}: ${message}`),
  });
  assert.equal(summary.done, 2);
  assert.equal(summary.badLines, 5);
  assert.deepEqual(bad.map((b) => Number(b.split(":")[0])), [2, 4, 5, 6, 7]);
  assert.match(bad[0]!, /not JSON/);
  assert.match(bad[1]!, /no "inputs"/);
  assert.deepEqual(ids(await readOutput(output)).sort(), ["a", "d"]);
  assert.deepEqual(summary.badLineSamples.map((b) => b.line), [2, 4, 5, 6, 7]);
});

Deno.test("batch() fails an item whose input the helper rejects, without a request", async () => {
  await using tmp = await tempDir();
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, [{ id: "blank", inputs: "   " }, { id: "number", inputs: 42 }]);
  const summary = await batch(summarization, {
    input,
    output,
    ...LIVE,
    fetch: () => Promise.reject(new Error("no request may be sent")),
  });
  assert.equal(summary.failed, 2);
  assert.equal(summary.requests, 0);
  const results = await readOutput(output);
  assert.ok(results.every((r) => r.error?.kind === "input"));
  assert.match(
    results.find((r) => r.id === "blank")?.error?.message ?? "",
    /"inputs" must be a non-empty string/,
  );
});

Deno.test("batch() gives an item without id a digest of its request; a repeated item is sent once", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("digest");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "s" }] });
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, [
    { inputs: "same text", parameters: { truncation: "only_first", clean_up_tokenization_spaces: true } },
    { parameters: { clean_up_tokenization_spaces: true, truncation: "only_first" }, inputs: "same text" },
    { inputs: "other text" },
  ]);
  const summary = await batch(summarization, { input, output, model, ...LIVE, fetch: fake.fetch });
  assert.equal(summary.done, 2);
  assert.equal(summary.duplicates, 1);
  const expected = await itemDigest("same text", {
    truncation: "only_first",
    clean_up_tokenization_spaces: true,
  });
  assert.ok(ids(await readOutput(output)).includes(expected));
  assert.equal(fake.requests.filter((r) => r.method === "POST").length, 2);
});

Deno.test("batch() reads its input from a stream and merges the batch's parameters with an item's", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("stream");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "s" }] });
  const output = `${tmp.dir}/out.jsonl`;
  const lines = '{"id":"x","inputs":"a","parameters":{"truncation":"only_first"}}\n{"id":"y","inputs":"b"}';
  const summary = await batch(summarization, {
    input: ReadableStream.from([new TextEncoder().encode(lines)]),
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    parameters: { truncation: "longest_first", clean_up_tokenization_spaces: true },
  });
  assert.equal(summary.done, 2);
  assert.equal(summary.total, undefined);
  const bodies = fake.requests.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body));
  const x = bodies.find((b) => b.inputs === "a");
  assert.deepEqual(x.parameters, { truncation: "only_first", clean_up_tokenization_spaces: true });
  const y = bodies.find((b) => b.inputs === "b");
  assert.deepEqual(y.parameters, { truncation: "longest_first", clean_up_tokenization_spaces: true });
});

Deno.test("repairLastLine() removes a line cut by a crash, so a resumed run appends whole lines", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/out.jsonl`;
  await Deno.writeTextFile(path, '{"id":"a","output":1}\n{"id":"b","outp');
  assert.equal(await repairLastLine(path), '{"id":"b","outp'.length);
  assert.equal(await Deno.readTextFile(path), '{"id":"a","output":1}\n');
  assert.equal(await repairLastLine(path), 0);
  assert.equal(await repairLastLine(`${tmp.dir}/missing.jsonl`), 0);
});

Deno.test("batch() with retryFailed drops failed items from the output and tries them again", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("retry-failed");
  fake.setModelTask(model, "summarization");
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, [{ id: "a", inputs: "one" }]);
  fake.on(`/hf-inference/models/${model}`, scenarios.validation422Json);
  assert.equal((await batch(summarization, { input, output, model, ...LIVE, fetch: fake.fetch })).failed, 1);
  fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "now fine" }] });
  assert.equal((await batch(summarization, { input, output, model, ...LIVE, fetch: fake.fetch })).skipped, 1);
  const retried = await batch(summarization, {
    input,
    output,
    model,
    ...LIVE,
    fetch: fake.fetch,
    retryFailed: true,
  });
  assert.equal(retried.done, 1);
  const results = await readOutput(output);
  assert.equal(results.length, 1);
  assert.deepEqual(results[0]?.output, { summary_text: "now fine" });
});

Deno.test("batch() in replay mode answers from recordings/ and sends nothing", async () => {
  await using tmp = await tempDir();
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  const paragraph =
    "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
  await writeItems(input, [{ id: "article", inputs: paragraph }, {
    id: "unrecorded",
    inputs: "not recorded",
  }]);
  const summary: BatchSummary = await batch(summarization, {
    input,
    output,
    mode: "replay",
    fetch: () => Promise.reject(new Error("replay must not touch the network")),
  });
  assert.equal(summary.done, 1);
  assert.equal(summary.failed, 1);
  assert.equal(summary.requests, 0);
  const results = await readOutput(output);
  assert.match(JSON.stringify(results.find((r) => r.id === "article")?.output), /微軟/);
  assert.equal(results.find((r) => r.id === "unrecorded")?.error?.kind, "not-recorded");
  // Every item lands in one bucket (how fast a replay is belongs to the benchmark, not to a test).
  const buckets = latencyBuckets(results);
  assert.equal(buckets.length, 4);
  assert.equal(buckets.reduce((sum, b) => sum + b.value, 0), 2);
});

/** A clock whose time moves only when told, with the timers of a gate. */
function fakeClock() {
  let t = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 0;
  const clock = {
    now: () => t,
    set: (fn: () => void, ms: number) => {
      timers.push({ at: t + ms, fn, id: ++next });
      return next;
    },
    clear: (id: unknown) => void (timers = timers.filter((timer) => timer.id !== id)),
    /** Move to `to`, firing the timers due on the way, in order (and what they resolve). */
    async advance(to: number) {
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (due === undefined || due.at > to) break;
        timers.shift();
        t = due.at;
        due.fn();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      t = to;
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
  return clock;
}

/** Start `count` acquires and collect when each is let through. */
function acquireAll(gate: ReturnType<typeof createRateGate>, count: number, signal: AbortSignal): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) void gate.acquire(signal).then((at) => times.push(at));
  return times;
}

Deno.test("the gate sends the first request alone, then lets requests leave evenly, with the burst asked for", async () => {
  const clock = fakeClock();
  const signal = new AbortController().signal;
  const even = createRateGate({ rate: 50, clock });
  const times = acquireAll(even, 10, signal);
  await clock.advance(49);
  assert.equal(times.length, 1, "the first goes alone: the others wait for its answer, or 50 ms");
  await clock.advance(1000);
  assert.equal(times.length, 10);
  assert.ok(Math.abs(times[1]! - times[0]! - 63.6) < 0.1, "unanswered, the probe holds 3 intervals");
  const gaps = times.slice(2).map((t, i) => t - times[i + 1]!);
  // 1/50 s and 6 % more, the margin of a run that has not yet heard its service: every gap the same.
  for (const gap of gaps) assert.ok(Math.abs(gap - 21.2) < 0.1, `gap ${gap} ms`);
  const bursty = createRateGate({ rate: 50, burst: 5, clock });
  const burst = acquireAll(bursty, 10, signal);
  await clock.advance(clock.now() + 1);
  assert.equal(burst.length, 1, "the probe");
  bursty.answered(burst[0]!, 200); // answered: the hold ends
  await clock.advance(clock.now() + 1);
  assert.equal(burst.length, 5, "the burst leaves at once, the probe among it");
  await clock.advance(clock.now() + 1000);
  assert.equal(burst.length, 10);
  for (let i = 5; i < 10; i++) assert.ok(burst[i]! - burst[i - 1]! >= 20, "then 1/R apart");
  assert.throws(() => createRateGate({ burst: 0 }), RangeError);
});

/** Send `count` requests through `gate`, one at a time, each answered `status` at once; their send times. */
async function sendAnswered(
  gate: ReturnType<typeof createRateGate>,
  clock: ReturnType<typeof fakeClock>,
  count: number,
  status: (i: number) => number = () => 200,
): Promise<number[]> {
  const signal = new AbortController().signal;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    let at: number | undefined;
    void gate.acquire(signal).then((t) => at = t);
    while (at === undefined) await clock.advance(clock.now() + 200); // a pause may hold it longer
    times.push(at);
    gate.answered(at, status(i), 1000);
  }
  return times;
}

Deno.test("with --rate, a 429 now and then widens every interval, calm narrows them, and only many slow it", async () => {
  const clock = fakeClock();
  const gate = createRateGate({ rate: 50, clock });
  const signal = new AbortController().signal;
  const interval = async () => {
    const times = acquireAll(gate, 3, signal);
    await clock.advance(clock.now() + 200);
    for (const at of times) gate.answered(at, 200);
    return times[2]! - times[1]!;
  };
  // Calm: 1 % narrower after each 70 answers without a 429, from 6 % down to 1 %.
  await sendAnswered(gate, clock, 700);
  assert.ok(Math.abs(await interval() - 20.2) < 0.05, "1 % after 700 answers without a 429");
  // A 429 now and then: the rate stays, every interval 1 % longer for each.
  await sendAnswered(gate, clock, 3, (i) => (i === 0 ? 429 : 200));
  assert.equal(gate.state().requestsPerSecond, 50);
  assert.equal(gate.state().slowdowns, 0);
  assert.ok(Math.abs(await interval() - 20.4) < 0.05, "2 % after one early 429");
  for (let i = 0; i < 8; i++) await sendAnswered(gate, clock, 1, () => 429);
  assert.equal(gate.state().slowdowns, 0, "9 among the last 100 answers, at the rate given: early requests");
  assert.ok(Math.abs(await interval() - 22) < 0.05, "the margin stops at 10 %");
  await sendAnswered(gate, clock, 1, () => 429);
  assert.equal(gate.state().slowdowns, 1, "10: a limit met");
  assert.equal(gate.state().requestsPerSecond, 45, "a set rate falls by 10 % at most");
});

Deno.test("the gate judges each waiter by the time it is let through: a probe's hold never ends in a burst", async () => {
  // A clock that waits actively, as the real one does for the last 2 ms before a send.
  const clock = fakeClock();
  let spunTo = 0;
  const spinning = {
    ...clock,
    now: () => Math.max(clock.now(), spunTo),
    spinUntil: (at: number) => void (spunTo = at),
  };
  const gate = createRateGate({ rate: 50, clock: spinning });
  const signal = new AbortController().signal;
  const times = acquireAll(gate, 8, signal);
  await clock.advance(70); // the probe's hold (63.6 ms) ends within a timer's 2 ms early: waited actively
  assert.equal(times.length, 2, `the probe and one more, not ${times.length}: ${times.join(", ")}`);
  await clock.advance(1000);
  const gaps = times.slice(2).map((at, i) => at - times[i + 1]!);
  for (const gap of gaps) assert.ok(gap >= 21, `gap ${gap} ms`);
});

Deno.test("a send that is late lets the next catch up by half the margin at most", async () => {
  const clock = fakeClock();
  let lateBy = 0;
  const late = { ...clock, set: (fn: () => void, ms: number) => clock.set(fn, ms + lateBy) };
  const gate = createRateGate({ rate: 50, clock: late });
  const signal = new AbortController().signal;
  const first = await gate.acquire(signal);
  gate.answered(first, 200); // the probe passed
  const times = acquireAll(gate, 4, signal);
  await clock.advance(clock.now() + 30);
  lateBy = 1; // the next timer fires 1 ms late, as a busy event loop makes it
  await clock.advance(clock.now() + 30);
  lateBy = 0;
  await clock.advance(clock.now() + 100);
  assert.equal(times.length, 4);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  assert.ok(gaps.some((gap) => gap > 22), `one gap is late: ${gaps.join(", ")}`);
  // 1/50 s with the start's 6 %: 21.2 ms; after the late one, 20.6 (1/R and half the margin), never 20.0.
  for (const gap of gaps) {
    assert.ok(gap >= 20.6 - 1e-9, `gap ${gap} ms: caught up by more than half the margin`);
  }
});

Deno.test("an unlimited start that meets a limit slows at once, to half of what it sent at least", async () => {
  const clock = fakeClock();
  const gate = createRateGate({ clock });
  const signal = new AbortController().signal;
  const sent = acquireAll(gate, 9, signal);
  await clock.advance(50); // the probe alone, then (unanswered after 50 ms) the other 8 at once
  assert.equal(sent.length, 9);
  // A burst-1 bucket lets one of them through: the others meet 429s at once. Two are enough, unlimited.
  gate.answered(sent[1]!, 429, 1000);
  assert.equal(gate.state().slowdowns, 0, "one 429 alone is a request a little early");
  gate.answered(sent[2]!, 429, 1000);
  assert.equal(gate.state().slowdowns, 1, "no rate to judge: a limit met, with no tries at a rate first");
  // 9 sent in the first 100 ms is 90/s; what was accepted in that glimpse (the probe: 10/s) says little.
  const rate = gate.state().requestsPerSecond!;
  assert.ok(rate >= 45 && rate < 90, `half of the 90/s it sent at least, got ${rate}/s`);
});

Deno.test("the adaptive gate finds the limit from the first 429, probes, then rises halfway to it", async () => {
  const clock = fakeClock();
  const changes: string[] = [];
  const gate = createRateGate({ clock, onChange: (_, why) => changes.push(why) });
  const signal = new AbortController().signal;
  assert.equal(gate.state().requestsPerSecond, undefined, "it starts unlimited");
  // A second at 50/s, all accepted; then 10 sends at 80/s, answered 429.
  const sent: number[] = [];
  for (let i = 0; i < 60; i++) {
    await clock.advance(i < 50 ? i * 20 : 1000 + (i - 50) * 12.5);
    sent.push(await gate.acquire(signal));
    if (i < 50) gate.answered(sent[i]!, 200);
  }
  await clock.advance(1130);
  gate.answered(sent[50]!, 429, 1000);
  assert.equal(gate.state().requestsPerSecond, undefined, "a 429 alone is a request a little early");
  gate.answered(sent[51]!, 429, 1000);
  const found = gate.state().requestsPerSecond!;
  assert.ok(found > 40 && found <= 50, `found ${found}/s from about 50 accepted in the second before`);
  for (let i = 52; i < 60; i++) gate.answered(sent[i]!, 429, 1000); // the same overshoot: no further cut
  assert.equal(gate.state().requestsPerSecond, found);
  assert.equal(gate.state().slowdowns, 1);
  assert.match(changes[0]!, /limit is about (49|50)\./);
  // The next request goes alone: while it is out (and not answered 429 at once), the others wait.
  const after = acquireAll(gate, 5, signal);
  await clock.advance(1160);
  assert.equal(after.length, 1, "a probe goes first");
  gate.answered(after[0]!, 429, 1000); // the window is still closed: wait before the next probe
  await clock.advance(1200);
  assert.equal(after.length, 1);
  assert.equal(gate.state().requestsPerSecond, found, "a probe's 429 is not a new limit");
  await clock.advance(1215); // the next probe, 50 ms later (twice as long after each 429, up to the Retry-After)
  assert.equal(after.length, 2);
  gate.answered(after[1]!, 200);
  await clock.advance(1500);
  assert.equal(after.length, 5, "the probe passed: the others follow, paced");
  for (const at of after) gate.answered(at, 200);
  // Calm for a second at a rate that bound the sends: the lower bound, and a rise half way to the 429.
  const more = acquireAll(gate, 120, signal);
  await clock.advance(3300);
  for (const at of more) gate.answered(at, 200);
  await clock.advance(3301);
  assert.ok(gate.state().requestsPerSecond! > found, "no rise after a calm second");
  assert.ok(gate.state().requestsPerSecond! < 80, "it rose past the rate that met the 429");
});

Deno.test("a quota's long Retry-After holds every request, then one probe goes first; the rate stays", async () => {
  const clock = fakeClock();
  const gate = createRateGate({ rate: 10, clock });
  const signal = new AbortController().signal;
  const first = await gate.acquire(signal);
  gate.answered(first, 429, 10_000);
  const waiting = acquireAll(gate, 3, signal);
  await clock.advance(9_999);
  assert.equal(waiting.length, 0, "sent during the quota's pause");
  await clock.advance(10_001);
  assert.equal(waiting.length, 1, "the probe");
  gate.answered(waiting[0]!, 200);
  await clock.advance(10_500);
  assert.equal(waiting.length, 3);
  assert.equal(gate.state().requestsPerSecond, 10);
  assert.equal(gate.state().slowdowns, 0);
});

Deno.test("parseRate() reads 50/s, 3000/min and a bare number", () => {
  assert.equal(parseRate("50/s"), 50);
  assert.equal(parseRate("3000/min"), 50);
  assert.equal(parseRate("2"), 2);
  assert.throws(() => parseRate("fast"), /"rate" must be a positive number/);
  assert.throws(() => parseRate("0/s"), RangeError);
});

Deno.test("batch() never writes the token: not in the output file, the summary or the progress lines", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const token = "hf_" + "b".repeat(34); // built at run time: no token-shaped string is tracked
  const model = uniqueModel("echo-batch");
  fake.setModelTask(model, "summarization");
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, [{ id: "e1", inputs: "text" }, { id: "e2", inputs: "more text" }]);
  // a service that echoes the request's Authorization header into an item's error
  fake.on(`/hf-inference/models/${model}`, {
    status: 422,
    json: { error: `Input validation error for Authorization: Bearer ${token}` },
  });
  const lines: string[] = [];
  const summary = await withEnv({ HF_TOKEN: token, HF_MODE: "live", HF_WORKBOOK_NO_DOTENV: "1" }, () =>
    main(
      [
        "batch",
        "summarization",
        "--input",
        input,
        "--output",
        output,
        "--model",
        model,
        "--json",
        "--progress",
        "lines",
      ],
      { ...quietIo(lines), fetch: fake.fetch },
    ));
  assert.equal(summary, 1, "failed items make the batch exit 1");
  assert.ok(
    fake.requests.some((r) => r.headers.authorization === `Bearer ${token}`),
    "the token was not sent",
  );
  const written = await Deno.readTextFile(output);
  assert.equal(written.trim().split("\n").length, 2);
  assert.match(written, /Input validation error for Authorization: Bearer hf_\*\*\*/);
  assert.ok(!written.includes(token), "the output file holds the token");
  assert.ok(!lines.join("\n").includes(token), "stdout/stderr hold the token");
});

/**
 * A short batch against the fake server with `shape` in front of the model, with `rate` and without: no item
 * fails on the 429s and every id is written once (how few 429s and how fast: the benchmark's figures).
 */
async function batchBehind(shape: LimiterShape, rate: number, count = 30) {
  for (const paced of [true, false]) {
    await using tmp = await tempDir();
    await using fake = await startFakeHf();
    const model = uniqueModel(`shape-${shape.kind}`);
    fake.setModelTask(model, "summarization");
    fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "ok" }] });
    const limiter = createLimiter(shape);
    fake.limit(`/hf-inference/models/${model}`, limiter);
    const input = `${tmp.dir}/in.jsonl`;
    const output = `${tmp.dir}/out.jsonl`;
    await writeItems(input, Array.from({ length: count }, (_, i) => ({ id: `s${i}`, inputs: `text ${i}` })));
    const summary = await batch(summarization, {
      input,
      output,
      model,
      ...LIVE,
      fetch: fake.fetch,
      concurrency: 4,
      ...(paced ? { rate } : {}),
    });
    const how = `${shapeName(shape)}, ${paced ? `rate ${rate}/s` : "adaptive"}`;
    assert.equal(summary.failed, 0, `${how}: an item failed`);
    assert.equal(summary.done, count, how);
    assert.equal(summary.rateLimited, limiter.counts.rejected, how);
    const written = ids(await readOutput(output));
    assert.deepEqual([...new Set(written)].sort(), written.sort(), `${how}: an id written twice`);
    assert.equal(written.length, count, how);
    if (shape.kind === "none") assert.equal(summary.rateLimited, 0, how);
  }
}

Deno.test("no item fails behind a whole-second fixed window", async () => {
  await batchBehind({ kind: "fixed-window", limit: 20, windowMs: 1000 }, 20);
});

Deno.test("no item fails behind a sliding window", async () => {
  await batchBehind({ kind: "sliding-window", limit: 20, windowMs: 1000 }, 20);
});

Deno.test("no item fails behind a token bucket of burst 1, 5 or 50", async () => {
  for (const burst of [1, 5, 50]) await batchBehind({ kind: "token-bucket", rate: 40, burst }, 40);
});

Deno.test("no item fails behind a quota answered with a constant Retry-After", async () => {
  // Scaled down: 12 per 2 s, Retry-After: 1 (the 30 s pause of a real quota is the gate test's, on a fake clock).
  await batchBehind({ kind: "fixed-window", limit: 12, windowMs: 2000, retryAfterS: 1 }, 6, 20);
});

Deno.test("no item fails without any limit, and no 429 is met", async () => {
  await batchBehind({ kind: "none" }, 100);
});

Deno.test("a resumed batch tries again the items whose error could pass, not those that would fail the same way", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("resume-failed");
  fake.setModelTask(model, "summarization");
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await writeItems(input, [{ id: "busy", inputs: "one" }, { id: "bad", inputs: "two" }]);
  // An earlier run left one item failed on 500s (it may pass) and one on a 422 (it will not).
  await Deno.writeTextFile(
    output,
    [
      { id: "busy", error: { status: 500, kind: "server", message: "busy" }, attempts: 4, latency_ms: 3 },
      { id: "bad", error: { status: 422, kind: "validation", message: "no" }, attempts: 1, latency_ms: 3 },
    ].map((line) => JSON.stringify(line)).join("\n") + "\n",
  );
  fake.on(`/hf-inference/models/${model}`, { json: [{ summary_text: "fine now" }] });
  const summary = await batch(summarization, { input, output, model, ...LIVE, fetch: fake.fetch });
  assert.equal(summary.done, 1);
  assert.equal(summary.skipped, 1);
  assert.equal(summary.failedInOutput, 1);
  assert.deepEqual(summary.failedIds, ["bad"]);
  const results = await readOutput(output);
  assert.deepEqual(ids(results).sort(), ["bad", "busy"], "every id once");
  assert.deepEqual(results.find((r) => r.id === "busy")?.output, { summary_text: "fine now" });
});
