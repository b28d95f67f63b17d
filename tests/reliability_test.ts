/**
 * Issue 6's misbehaving server, against the real local fake: errors that must
 * not be retried (with the right hint and the service's own message), answers
 * that are not what the task returns, servers that hang, stall, refuse or
 * reset, the caller's AbortSignal, and a server that echoes the token back.
 */
import assert from "node:assert/strict";
import { batch } from "../lib/batch/batch.ts";
import {
  HfApiError,
  HfHostNotFoundError,
  HfNetworkError,
  HfOutputError,
  HfPermissionError,
  type HfWorkbookError,
} from "../lib/errors.ts";
import { query } from "../lib/query.ts";
import { summarization } from "../lib/tasks/summarization.ts";
import type { RetryOptions } from "../lib/transport/retry.ts";
import { type FakeHfServer, type FakeResponse, scenarios, startFakeHf } from "./fake_hf_server.ts";
import {
  closedPort,
  FAKE_TOKEN,
  fetchToPort,
  readFolder,
  recordingSleep,
  rejection,
  requestsTo,
  tempDir,
  timed,
  uniqueModel,
  withEnv,
} from "./_helpers.ts";

const ROUTER = "https://router.huggingface.co/hf-inference/models/";

/** Script the task call of a new model, then summarize through the fake. */
function summarizeWith(
  fake: FakeHfServer,
  answers: FakeResponse[],
  options: { retry?: RetryOptions; signal?: AbortSignal; accessToken?: string } = {},
) {
  const model = uniqueModel("rel");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, ...answers);
  const call = summarization("A paragraph to summarize.", {
    model,
    mode: "live",
    accessToken: options.accessToken ?? "hf_test",
    fetch: fake.fetch,
    retry: { sleep: recordingSleep().sleep, ...options.retry },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { model, call, posts: () => requestsTo(fake.requests, model) };
}

function assertNoToken(error: HfWorkbookError, token: string): void {
  const everything = [
    error.message,
    error.hint,
    String(error.stack),
    (error as Partial<HfApiError>).body ?? "",
    (error as Partial<HfApiError>).serviceMessage ?? "",
    (error as Partial<HfApiError>).request ?? "",
    JSON.stringify(error),
    Deno.inspect(error, { depth: 10 }),
  ].join("\n");
  assert.ok(!everything.includes(token), `the token leaked: ${everything}`);
}

Deno.test("401 / 402 / 403 (JSON and text): no retry, the right kind and hint, the service's message, no token", async () => {
  await using fake = await startFakeHf();
  const cases: [FakeResponse, string, RegExp, string][] = [
    [
      scenarios.unauthorized401Json,
      "unauthorized",
      /HF_TOKEN/,
      "Invalid credentials in Authorization header",
    ],
    [scenarios.unauthorized401UsernameJson, "unauthorized", /HF_TOKEN/, "Invalid username or password."],
    [scenarios.unauthorized401Text, "unauthorized", /settings\/tokens/, "Invalid username or password."],
    [scenarios.credits402, "out-of-credits", /credits/, "You have exceeded your monthly included credits"],
    [
      { status: 402, text: "Payment Required: credits exhausted" },
      "out-of-credits",
      /billing/,
      "Payment Required: credits exhausted",
    ],
    [
      scenarios.permission403,
      "forbidden",
      /Make calls to Inference Providers/,
      "This authentication method does not have sufficient permissions",
    ],
    [
      { status: 403, text: "Forbidden: token lacks the inference permission" },
      "forbidden",
      /Make calls to Inference Providers/,
      "Forbidden: token lacks the inference permission",
    ],
    [scenarios.gated403, "gated", /gated.*accept its conditions/, "Access to model meta-llama"],
    [
      { status: 403, headers: { "x-error-code": "GatedRepo" }, text: "Access restricted" },
      "gated",
      /gated/,
      "Access restricted",
    ],
  ];
  for (const [answer, kind, hint, message] of cases) {
    const run = summarizeWith(fake, [answer, { json: [{ summary_text: "must not be reached" }] }]);
    const error = await rejection(run.call);
    assert.ok(error instanceof HfApiError, `${kind}: ${error}`);
    assert.equal(error.status, answer.status);
    assert.equal(error.kind, kind);
    assert.match(error.hint, hint);
    assert.ok(error.serviceMessage.startsWith(message), `${error.serviceMessage} / ${message}`);
    assert.ok(error.message.includes(`${answer.status} to POST ${ROUTER}${run.model}`), error.message);
    assert.ok(error.message.includes(message), error.message);
    assert.equal(error.retryClass, "stop");
    assert.equal(error.attempts, 1);
    assert.equal(run.posts(), 1, `${answer.status} must not be retried`);
    assertNoToken(error, "hf_test");
  }
  const gated = await rejection(summarizeWith(fake, [scenarios.gated403]).call) as HfApiError;
  assert.equal(gated.errorCode, "GatedRepo");
});

const ENVELOPES: [string, (m: string) => FakeResponse][] = [
  ["string", (m) => ({ json: { error: m } })],
  ["list", (m) => ({ json: { error: [m] } })],
  ["object with message", (m) => ({ json: { error: { message: m, type: "invalid_request_error" } } })],
  ["text/plain", (m) => ({ text: m })],
];

Deno.test("400 / 404 / 410 / 413 / 422 in every envelope: no retry, the service's own message surfaced", async () => {
  await using fake = await startFakeHf();
  const kinds: Record<number, string> = {
    400: "bad-request",
    404: "not-found",
    410: "gone",
    413: "too-large",
    422: "validation",
  };
  let checked = 0;
  for (const status of [400, 404, 410, 413, 422]) {
    for (const [envelope, make] of ENVELOPES) {
      const message = `Service says ${status} in a ${envelope} envelope: \`inputs\` is wrong`;
      const run = summarizeWith(fake, [{ status, ...make(message) }, { json: [{ summary_text: "no" }] }]);
      const error = await rejection(run.call);
      assert.ok(error instanceof HfApiError, `${status} ${envelope}: ${error}`);
      assert.equal(error.status, status);
      assert.equal(error.kind, kinds[status]);
      assert.equal(error.serviceMessage, message, `${status} ${envelope}`);
      assert.ok(error.message.endsWith(`: ${message}`), error.message);
      assert.equal(error.retryClass, "fail");
      assert.equal(run.posts(), 1, `${status} ${envelope} must not be retried`);
      checked++;
    }
  }
  assert.equal(checked, 20);
});

Deno.test("documented 4xx bodies: the legacy host's 410, 413 text, 422 JSON and text, 404 RepoNotFound", async () => {
  await using fake = await startFakeHf();
  const cases: [FakeResponse, RegExp, RegExp][] = [
    [scenarios.gone410, /api-inference\.huggingface\.co is no longer supported/, /router\.huggingface\.co/],
    [scenarios.tooLarge413, /^Failed to buffer the request body: length limit exceeded$/, /smaller/],
    [scenarios.validation422Json, /^Input validation error: `inputs` tokens/, /parameters/],
    [scenarios.validation422Text, /^Failed to deserialize the JSON body/, /parameters/],
    [scenarios.repoNotFound404, /^Repository not found$/, /model id/],
    [
      scenarios.errorObject400,
      /not supported by any provider you have enabled\. \(model_not_supported\)$/,
      /./,
    ],
  ];
  for (const [answer, message, hint] of cases) {
    const run = summarizeWith(fake, [answer]);
    const error = await rejection(run.call);
    assert.ok(error instanceof HfApiError, String(error));
    assert.match(error.serviceMessage, message);
    assert.match(error.hint, hint);
    assert.equal(run.posts(), 1);
  }
});

Deno.test("200 with {error}, 200 of the wrong shape, truncated JSON: an output error, no retry", async () => {
  await using fake = await startFakeHf();
  const cases: [FakeResponse, RegExp][] = [
    [scenarios.okErrorBody200, /with an error: unknown error/],
    [{ json: { label: "POSITIVE", score: 0.9 } }, /is not a summarization answer/],
    [{ json: [{ generated_text: "not a summary" }] }, /is not a summarization answer/],
    [scenarios.truncatedJson200, /JSON that does not parse/],
  ];
  for (const [answer, message] of cases) {
    const run = summarizeWith(fake, [answer, { json: [{ summary_text: "must not be reached" }] }]);
    const error = await rejection(run.call);
    assert.ok(error instanceof HfOutputError, `${JSON.stringify(answer)}: ${error}`);
    assert.match(error.message, message);
    assert.equal(error.kind, "output");
    assert.match(error.hint, /meant for this task/);
    assert.equal(run.posts(), 1);
  }
});

Deno.test("a server that never answers: the per-attempt timeout fires and retries stay bounded", async () => {
  await using fake = await startFakeHf();
  const clock = recordingSleep();
  const run = summarizeWith(fake, [scenarios.hang], {
    retry: { attemptTimeoutMs: 100, maxAttempts: 2, sleep: clock.sleep },
  });
  const { ms, error } = await timed(() => run.call);
  assert.ok(error instanceof HfNetworkError, String(error));
  assert.equal(error.kind, "timeout");
  assert.equal(error.attempts, 2);
  assert.match(
    error.message,
    /^No answer from router\.huggingface\.co for POST .* after 2 attempts: no answer within 100 ms$/,
  );
  assert.match(error.hint, /attemptTimeoutMs/);
  assert.equal(run.posts(), 2);
  assert.equal(clock.delays.length, 1);
  assert.ok(ms < 3_000, `took ${ms} ms`);
});

Deno.test("a server that sends headers and stalls the body: the timeout covers the body too", async () => {
  await using fake = await startFakeHf();
  const run = summarizeWith(fake, [scenarios.stallBody], {
    retry: { attemptTimeoutMs: 150, maxAttempts: 3 },
  });
  const { ms, error } = await timed(() => run.call);
  assert.ok(error instanceof HfNetworkError, String(error));
  assert.equal(error.kind, "timeout");
  assert.equal(error.attempts, 3);
  assert.equal(run.posts(), 3);
  assert.ok(ms < 3_000, `took ${ms} ms`);

  const recovers = summarizeWith(fake, [scenarios.stallBody, { json: [{ summary_text: "second try" }] }], {
    retry: { attemptTimeoutMs: 150 },
  });
  assert.deepEqual(await recovers.call, { summary_text: "second try" });
});

Deno.test("connection refused: bounded retries, then HfNetworkError naming the host", async () => {
  const port = closedPort();
  const refused = fetchToPort(port);
  const clock = recordingSleep();
  const error = await rejection(
    query({ inputs: "x" }, {
      model: "test-org/refused",
      mode: "live",
      accessToken: "hf_test",
      fetch: refused.fetch,
      retry: { maxAttempts: 3, sleep: clock.sleep },
    }),
  );
  assert.ok(error instanceof HfNetworkError, String(error));
  assert.equal(error.kind, "network");
  assert.equal(error.attempts, 3);
  assert.equal(refused.attempts(), 3);
  assert.equal(clock.delays.length, 2);
  assert.match(error.message, /^Cannot reach router\.huggingface\.co for POST .* after 3 attempts: /);
  assert.match(error.hint, /HF_MODE=replay/);
  assert.equal(error.retryClass, "retry");

  // the typed helper fails the same way on its mapping look-up
  const typed = fetchToPort(port);
  const viaTask = await rejection(summarization("x", {
    model: uniqueModel("refused"),
    mode: "live",
    accessToken: "hf_test",
    fetch: typed.fetch,
    retry: { maxAttempts: 2, sleep: recordingSleep().sleep },
  }));
  assert.ok(viaTask instanceof HfNetworkError, String(viaTask));
  assert.match(viaTask.message, /^Cannot reach huggingface\.co for GET /);
  assert.equal(typed.attempts(), 2);
});

Deno.test("a connection reset: bounded retries, then HfNetworkError; a reset then a 200 recovers", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("reset");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.reset);
  let attempts = 0;
  const error = await rejection(summarization("x", {
    model,
    mode: "live",
    accessToken: "hf_test",
    fetch: (input, init) => {
      if (new Request(input, init).method === "POST") attempts++;
      return fake.fetch(input, init);
    },
    retry: { maxAttempts: 3, sleep: recordingSleep().sleep },
  }));
  assert.ok(error instanceof HfNetworkError, String(error));
  assert.equal(error.kind, "network");
  assert.equal(error.attempts, 3);
  assert.equal(attempts, 3);
  // Deno's HTTP client may itself resend once on a connection that closed before answering
  const posts = requestsTo(fake.requests, model);
  assert.ok(posts >= 3 && posts <= 6, String(posts));

  const recovers = summarizeWith(fake, [scenarios.reset, { json: [{ summary_text: "after reset" }] }]);
  assert.deepEqual(await recovers.call, { summary_text: "after reset" });
});

Deno.test("the caller's AbortSignal stops a hanging request at once, with no retry", async () => {
  await using fake = await startFakeHf();
  const controller = new AbortController();
  const reason = new DOMException("the user stopped it", "AbortError");
  const run = summarizeWith(fake, [scenarios.hang], {
    signal: controller.signal,
    retry: { attemptTimeoutMs: 60_000 },
  });
  const started = fake.waitForRequests(2).then(() => controller.abort(reason));
  const { ms, error } = await timed(() => run.call);
  await started;
  assert.equal(error, reason);
  assert.ok(ms < 2_000, `took ${ms} ms`);
  assert.equal(run.posts(), 1);
});

Deno.test("the caller's AbortSignal ends a backoff sleep at once (the real abortableSleep, a long wait)", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("abort-sleep");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.rateLimit429RetryAfterSeconds);
  const controller = new AbortController();
  const waits: number[] = [];
  const call = summarization("x", {
    model,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    signal: controller.signal,
    retry: {
      // the default sleep (abortableSleep): a real 7 s wait, aborted after it starts
      onRetry: (info) => {
        waits.push(info.delayMs);
        setTimeout(() => controller.abort(new Error("cancelled by the caller")), 30);
      },
    },
  });
  const { ms, error } = await timed(() => call);
  assert.deepEqual(waits, [7_000]);
  assert.equal((error as Error).message, "cancelled by the caller");
  assert.ok(ms < 2_000, `a 7 s backoff must end at once, took ${ms} ms`);
  assert.equal(requestsTo(fake.requests, model), 1);
});

Deno.test("an already-aborted signal sends nothing", async () => {
  await using fake = await startFakeHf();
  const reason = new Error("aborted before the call");
  const run = summarizeWith(fake, [{ json: [{ summary_text: "x" }] }], { signal: AbortSignal.abort(reason) });
  assert.equal(await rejection(run.call), reason);
  assert.equal(fake.requests.length, 0);
});

Deno.test("echo-auth: a server repeating the Authorization header never leaks the token", async () => {
  await using fake = await startFakeHf();
  for (const token of ["hf_test", FAKE_TOKEN, "sk-other-provider-key"]) {
    const run = summarizeWith(fake, [scenarios.echoAuth], { accessToken: token });
    const error = await rejection(run.call);
    assert.ok(error instanceof HfApiError, String(error));
    assert.equal(error.status, 401);
    assert.equal(run.posts(), 1);
    // the server really did echo it: the fake saw the token
    assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${token}`);
    assert.match(error.serviceMessage, /^Invalid credentials in Authorization header: Bearer /);
    assertNoToken(error, token);
  }

  const raw = await rejection(query({ inputs: "x" }, {
    model: "test-org/echo-query",
    mode: "live",
    accessToken: FAKE_TOKEN,
    fetch: (input, init) => {
      fake.on("/hf-inference/models/test-org/echo-query", scenarios.echoAuth);
      return fake.fetch(input, init);
    },
  }));
  assert.ok(raw instanceof HfApiError);
  assertNoToken(raw, FAKE_TOKEN);
});

Deno.test("echo-auth in record mode: the recordings written hold no token", async () => {
  await using fake = await startFakeHf();
  await using tmp = await tempDir();
  const model = uniqueModel("echo-record");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.echoAuth);
  for (const token of [FAKE_TOKEN, "hf_test"]) {
    const error = await withEnv(
      { HF_RECORDINGS_DIR: tmp.dir },
      () =>
        rejection(summarization(`call with ${token}`, {
          model,
          mode: "record",
          accessToken: token,
          fetch: fake.fetch,
        })),
    );
    assert.ok(error instanceof HfApiError, String(error));
    assertNoToken(error, token);
  }
  const files = await readFolder(tmp.dir);
  assert.ok(files.size > 0, "record mode must write");
  for (const [name, text] of files) {
    assert.ok(!text.includes(FAKE_TOKEN), `${name} holds the token`);
    assert.ok(!text.includes("hf_test"), `${name} holds the token`);
    assert.ok(!/hf_[A-Za-z0-9]{30,}/.test(text), name);
  }
});

// --- what got no answer: a permission the sandbox refused, a host that does not exist ------------------------

/** Deno's own error for a request the sandbox refuses, as `fetch` throws it. */
const notCapable = () =>
  new Deno.errors.NotCapable('Requires net access to "127.0.0.2:8123", run again with the --allow-net flag');

/** Deno's own error for a host name that does not resolve, as `fetch` throws it (a TypeError with a cause). */
const dnsFailure = (url: string) =>
  new TypeError("fetch failed", {
    cause: new Error(
      `error sending request for url (${url}): client error (Connect): dns error: failed to lookup address information: Name or service not known`,
    ),
  });

Deno.test("a permission the Deno sandbox refuses is not a network error: one try, the host and the flag named", async () => {
  let calls = 0;
  const failing: typeof fetch = () => {
    calls++;
    return Promise.reject(notCapable());
  };
  const error = await rejection(
    summarization("A paragraph.", {
      endpointUrl: "http://127.0.0.2:8123/",
      mode: "live",
      accessToken: "hf_test",
      fetch: failing,
      retry: { sleep: recordingSleep().sleep },
    }),
  ) as HfWorkbookError;
  assert.ok(error instanceof HfPermissionError, `got ${error}`);
  assert.equal(error.kind, "not-permitted");
  assert.equal(error.retryClass, "stop");
  assert.equal(calls, 1, "a refused permission was retried");
  assert.match(error.message, /127\.0\.0\.2:8123/);
  assert.match(error.message, /--allow-net=127\.0\.0\.2:8123/);
  assert.match(error.hint, /deno run --allow-net=127\.0\.0\.2:8123,.* lib\/cli\/main\.ts/);
  assert.doesNotMatch(error.hint, /check your connection/i);
});

Deno.test("a batch whose host the sandbox refuses (for real) stops at once: nothing written, every item pending", async () => {
  await using tmp = await tempDir();
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  const items = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `p${i}`, inputs: `text ${i}` }));
  await Deno.writeTextFile(input, items.join("\n") + "\n");
  // The tests may reach 127.0.0.1 and localhost only: 127.0.0.2 is refused by Deno itself, no fetch injected.
  const summary = await batch(summarization, {
    input,
    output,
    endpointUrl: "http://127.0.0.2:8123/",
    mode: "live",
    accessToken: "hf_test",
    concurrency: 2,
  });
  assert.equal(summary.stopped?.kind, "not-permitted");
  assert.match(summary.stopped?.message ?? "", /--allow-net=127\.0\.0\.2:8123/);
  assert.ok(summary.requests <= 2, `${summary.requests} requests sent`);
  assert.equal(summary.failed, 0);
  assert.equal(summary.pending, 6);
  assert.equal((await Deno.readTextFile(output)).trim(), "");
});

Deno.test("a host that does not resolve is not retried: one try, HfHostNotFoundError (decided by the lookup)", async () => {
  const url = "https://no-such-endpoint.invalid/models/x";
  let calls = 0;
  const looked: string[] = [];
  const error = await rejection(
    summarization("A paragraph.", {
      endpointUrl: url,
      mode: "live",
      accessToken: "hf_test",
      fetch: () => {
        calls++;
        return Promise.reject(dnsFailure(url));
      },
      retry: {
        sleep: recordingSleep().sleep,
        resolveHost: (host) => {
          looked.push(host);
          return Promise.reject(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }),
          );
        },
      },
    }),
  ) as HfWorkbookError;
  assert.ok(error instanceof HfHostNotFoundError, `got ${error}`);
  assert.equal(error.kind, "host-not-found");
  assert.equal(calls, 1, "a host that does not exist was retried");
  assert.deepEqual(looked, ["no-such-endpoint.invalid"]);
  // A host that resolves (a refused or reset connection): a network error, retried as before.
  calls = 0;
  const retried = await rejection(
    summarization("A paragraph.", {
      endpointUrl: url,
      mode: "live",
      accessToken: "hf_test",
      fetch: () => {
        calls++;
        return Promise.reject(new TypeError("fetch failed", { cause: new Error("Connection refused") }));
      },
      retry: { sleep: recordingSleep().sleep, resolveHost: () => Promise.resolve({ address: "192.0.2.1" }) },
    }),
  );
  assert.ok(retried instanceof HfNetworkError);
  assert.equal(calls, 4);
  assert.equal(retried.attempts, 4);
  assert.match(retried.message, /after 4 attempts: Connection refused/);
});

Deno.test("nonexistent.invalid, looked up for real: no retry, the error in well under the old 6 s", async () => {
  // Its own process, allowed to look up that one name only (the tests' own permissions are the loopback's).
  await using tmp = await tempDir();
  const script = `${tmp.dir}/dns.ts`;
  await Deno.writeTextFile(
    script,
    `import { createTransport } from ${
      JSON.stringify(new URL("../lib/transport/fetch.ts", import.meta.url).href)
    };
const started = performance.now();
let calls = 0;
const transport = createTransport({ mode: "live", fetch: (input, init) => { calls++; return fetch(input, init); } });
try {
  await transport("http://nonexistent.invalid/models/x", { method: "POST", body: "{}" });
} catch (error) {
  console.log(JSON.stringify({ name: error.name, kind: error.kind, calls, ms: performance.now() - started }));
}`,
  );
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=nonexistent.invalid", "--allow-read", "--allow-env", script],
    env: { HF_WORKBOOK_NO_DOTENV: "1" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(run.stdout).trim();
  assert.ok(text.startsWith("{"), `no result: ${new TextDecoder().decode(run.stderr)}`);
  const result = JSON.parse(text);
  assert.equal(result.kind, "host-not-found", text);
  assert.equal(result.calls, 1);
  assert.ok(result.ms < 3000, `${result.ms} ms`);
});

Deno.test("a batch's attempt counts agree: the line's attempts, no other count in its message", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("attempts");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.reset);
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await Deno.writeTextFile(input, '{"id":"r","inputs":"a text"}\n');
  const summary = await batch(summarization, {
    input,
    output,
    model,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    retry: { sleep: recordingSleep().sleep },
  });
  assert.equal(summary.failed, 1);
  const line = JSON.parse((await Deno.readTextFile(output)).trim());
  assert.equal(line.attempts, 4, "maxAttempts is the same default as a single call's");
  assert.equal(line.error.kind, "network");
  assert.doesNotMatch(line.error.message, /after \d+ attempt/, line.error.message);
  assert.equal(summary.retries, 3, "the summary counts what the line says");
});
