/**
 * query(): the article's raw call, on its recording and live against a real
 * local fake server (the exact request, retries, errors), and its checks.
 */
import assert from "node:assert/strict";
import { HfApiError, ReplayMissError } from "../lib/errors.ts";
import { query } from "../lib/query.ts";
import type { Exchange } from "../lib/transport/fetch.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import { CLEAN_ENV, countingFetch, recordingSleep, rejection, withEnv } from "./_helpers.ts";

const PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const PUBLISHED =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";
const MODEL = "csebuetnlp/mT5_multilingual_XLSum";
const ROUTER_URL = `https://router.huggingface.co/hf-inference/models/${MODEL}`;

Deno.test("live: query() sends exactly the documented request and returns the raw JSON", async () => {
  await using fake = await startFakeHf();
  fake.on(ROUTER_URL, { json: [{ summary_text: PUBLISHED }] });
  const output = await query({ inputs: PARAGRAPH }, {
    model: MODEL,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
  });
  assert.deepEqual(output, [{ summary_text: PUBLISHED }]);
  assert.equal(fake.requests.length, 1, "the raw call makes no mapping look-up");
  const [call] = fake.requests;
  assert.equal(call?.method, "POST");
  assert.equal(call?.url, ROUTER_URL);
  assert.equal(call?.headers.authorization, "Bearer hf_test");
  assert.equal(call?.headers["content-type"], "application/json");
  assert.equal(call?.body, JSON.stringify({ inputs: PARAGRAPH }));
});

Deno.test("live by HF_MODE=live with HF_TOKEN from the environment; parameters are sent as given", async () => {
  await using fake = await startFakeHf();
  fake.on(ROUTER_URL, scenarios.summarization200);
  const payload = { inputs: "x", parameters: { truncation: "only_first" } };
  await withEnv(
    { ...CLEAN_ENV, HF_MODE: "live", HF_TOKEN: "hf_test" },
    () => query(payload, { model: MODEL, fetch: fake.fetch }),
  );
  assert.equal(fake.requests[0]?.headers.authorization, "Bearer hf_test");
  assert.deepEqual(JSON.parse(fake.requests[0]!.body), payload);
});

Deno.test("live: a 503 then a 200 is retried; a 401 is not, and names the status and message without the token", async () => {
  await using fake = await startFakeHf();
  fake.on(ROUTER_URL, scenarios.loading503, scenarios.summarization200);
  const clock = recordingSleep();
  const exchanges: Exchange[] = [];
  const options = {
    model: MODEL,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    retry: { sleep: clock.sleep },
    onResponse: (e: Exchange) => exchanges.push(e),
  } as const;
  const output = await query<{ summary_text: string }[]>({ inputs: "x" }, options);
  assert.match(output[0]!.summary_text, /324 metres/);
  assert.equal(fake.requests.length, 2);
  assert.deepEqual(clock.delays, [20_000]);
  assert.equal(exchanges[0]?.attempts, 2);
  assert.equal(exchanges[0]?.from, "network");

  fake.on(ROUTER_URL, scenarios.unauthorized401Json, scenarios.summarization200);
  const error = await rejection(query({ inputs: "x" }, options));
  assert.ok(error instanceof HfApiError, String(error));
  assert.equal(error.status, 401);
  assert.equal(fake.requests.length, 3, "a 401 is not retried");
  assert.equal(
    error.message,
    `Hugging Face answered 401 to POST ${ROUTER_URL}: Invalid credentials in Authorization header`,
  );
  assert.ok(!`${error.message}${error.hint}${error.body}`.includes("hf_test"));
});

Deno.test("replay: the article's call answers the published JSON with no network", () =>
  withEnv(CLEAN_ENV, async () => {
    const net = countingFetch();
    const exchanges: Exchange[] = [];
    const output = await query({ inputs: PARAGRAPH }, {
      model: MODEL,
      fetch: net.fetch,
      onResponse: (e) => exchanges.push(e),
    });
    assert.deepEqual(output, [{ summary_text: PUBLISHED }]);
    assert.equal(net.calls.length, 0);
    assert.equal(exchanges[0]?.origin?.kind, "published");
    await assert.rejects(
      query({ inputs: "not recorded" }, { model: MODEL, mode: "replay", fetch: net.fetch }),
      ReplayMissError,
    );

    // the article's legacy URL is recorded too: it is gone
    const gone = await rejection(query({ inputs: PARAGRAPH }, {
      endpointUrl: `https://api-inference.huggingface.co/models/${MODEL}`,
      mode: "replay",
      fetch: net.fetch,
    }));
    assert.ok(gone instanceof HfApiError);
    assert.equal(gone.status, 410);
    assert.match(gone.hint, /legacy host api-inference\.huggingface\.co is gone/);
    assert.equal(net.calls.length, 0);
  }));

Deno.test("endpointUrl and pipeline choose the URL; text and binary answers come back as they are", async () => {
  const endpoint = "https://my-endpoint.endpoints.huggingface.cloud/";
  await using fake = await startFakeHf({ endpointHosts: [endpoint] });
  fake.on(endpoint, { text: "plain answer" });
  fake.on("/pipeline/feature-extraction", { bytes: new Uint8Array([1, 2, 3]) });
  const base = { mode: "live", accessToken: "hf_test", fetch: fake.fetch } as const;
  assert.equal(await query({ inputs: "x" }, { ...base, endpointUrl: endpoint }), "plain answer");
  const bytes = await query({ inputs: "x" }, {
    ...base,
    model: "sentence-transformers/all-MiniLM-L6-v2",
    pipeline: "feature-extraction",
  });
  assert.deepEqual(bytes, new Uint8Array([1, 2, 3]));
  assert.deepEqual(fake.requests.map((r) => r.url), [
    endpoint,
    "https://router.huggingface.co/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction",
  ]);
});

Deno.test("bad payloads and options throw TypeError naming the parameter, before any request", async () => {
  const net = countingFetch(() => Response.json({}));
  const base = { mode: "live", accessToken: "hf_test", fetch: net.fetch } as const;
  const cases: [unknown, Record<string, unknown>, RegExp][] = [
    [null, { model: MODEL }, /^Cannot query: "payload" must be an object, got null$/],
    ["text", { model: MODEL }, /"payload" must be an object, got a string/],
    [{}, { model: MODEL }, /^Cannot query: "payload\.inputs" is required$/],
    [{ inputs: undefined }, { model: MODEL }, /"payload\.inputs" is required/],
    [{ inputs: "x" }, {}, /give "model" \(a model id\) or "endpointUrl"/],
    [{ inputs: "x" }, { model: "has spaces/in it" }, /"model" must be a model id like "owner\/name"/],
    [{ inputs: "x" }, { model: "https://x.example/m" }, /pass it as "endpointUrl" instead/],
    [
      { inputs: "x" },
      { endpointUrl: "ftp://x.example/" },
      /"endpointUrl" must be an http\(s\) URL, got "ftp:\/\/x\.example\/"/,
    ],
  ];
  for (const [payload, options, message] of cases) {
    const error = await rejection(query(payload as never, { ...base, ...options }));
    assert.ok(error instanceof TypeError, `${JSON.stringify(payload)}: ${error}`);
    assert.match(error.message, message);
  }
  assert.equal(net.calls.length, 0);
});
