/**
 * summarization(): the article's example on its recording, the exact request
 * it sends live (through a real local fake server), retries, errors, every
 * real recorded summarization answer, and the input checks.
 *
 * `@huggingface/inference` caches the provider mapping per model per process
 * (its own module state, out of the workbook's reach), so no test here relies
 * on a look-up being sent or not for a model another test may have asked for:
 * the look-up's shape is checked on a model of its own.
 */
import assert from "node:assert/strict";
import { HfApiError, HfNotServedError, ReplayMissError } from "../lib/errors.ts";
import { summarization, type SummarizationOptions } from "../lib/tasks/summarization.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import {
  CLEAN_ENV,
  countingFetch,
  HAS_REFERENCE,
  recordingSleep,
  rejection,
  requestsTo,
  uniqueModel,
  withEnv,
} from "./_helpers.ts";
import { parsesEveryReferenceSuccess, rejectsBeforeAnyRequest } from "./_task_contract.ts";

const PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const PUBLISHED =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";
const ROUTER_URL = "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum";

Deno.test("live: summarization() sends exactly the documented request and returns the typed result", async () => {
  await using fake = await startFakeHf();
  fake.on(ROUTER_URL, { json: [{ summary_text: PUBLISHED }] });
  const output = await summarization(PARAGRAPH, { mode: "live", accessToken: "hf_test", fetch: fake.fetch });
  assert.deepEqual(output, { summary_text: PUBLISHED });

  // the mapping look-up is sent only by the first call for this model in the process: any test may be first
  const calls = fake.requests.filter((r) => r.method === "POST");
  const lookups = fake.requests.filter((r) => r.method === "GET");
  assert.equal(calls.length, 1, fake.requests.map((r) => `${r.method} ${r.url}`).join("\n"));
  assert.ok(lookups.length <= 1);
  const [call] = calls;
  assert.equal(call?.method, "POST");
  assert.equal(call?.url, ROUTER_URL);
  assert.equal(call?.headers.authorization, "Bearer hf_test");
  assert.match(call?.headers["content-type"] ?? "", /^application\/json/);
  assert.deepEqual(JSON.parse(call!.body), { inputs: PARAGRAPH });
});

Deno.test("live: the provider mapping look-up is the documented GET, with the token", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("lookup");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.summarization200);
  await summarization(PARAGRAPH, { model, mode: "live", accessToken: "hf_test", fetch: fake.fetch });
  assert.equal(fake.requests.length, 2, fake.requests.map((r) => `${r.method} ${r.url}`).join("\n"));
  const [lookup, call] = fake.requests;
  assert.equal(lookup?.method, "GET");
  assert.equal(lookup?.path, `/api/models/${model}`);
  assert.equal(new URL(lookup!.url).searchParams.get("expand[]"), "inferenceProviderMapping");
  assert.equal(lookup?.headers.authorization, "Bearer hf_test");
  assert.equal(call?.method, "POST");
});

Deno.test("live by HF_MODE=live and HF_TOKEN from the environment", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("env-live");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.summarization200);
  const output = await withEnv(
    { ...CLEAN_ENV, HF_MODE: "live", HF_TOKEN: "hf_test" },
    () => summarization("The tower is 324 metres tall.", { model, fetch: fake.fetch }),
  );
  assert.match(output.summary_text, /^The tower is 324 metres/);
  const call = fake.requests.find((r) => r.method === "POST");
  assert.equal(call?.headers.authorization, "Bearer hf_test");
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
});

Deno.test("options.fetch receives every request, the mapping look-up included", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("every-request");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.loading503, scenarios.summarization200);
  const seen: string[] = [];
  await summarization("x", {
    model,
    mode: "live",
    accessToken: "hf_test",
    retry: { sleep: recordingSleep().sleep },
    fetch: (input, init) => {
      const request = new Request(input, init);
      seen.push(`${request.method} ${request.url}`);
      return fake.fetch(input, init);
    },
  });
  assert.deepEqual(seen, [
    `GET https://huggingface.co/api/models/${model}?expand[]=inferenceProviderMapping`,
    `POST https://router.huggingface.co/hf-inference/models/${model}`,
    `POST https://router.huggingface.co/hf-inference/models/${model}`,
  ]);
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.url}`), seen);
});

Deno.test("live: a 503 then a 200 is retried; a 401 is not, and names the status and message, never the token", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("retry-401");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.loading503, scenarios.summarization200);
  const clock = recordingSleep();
  const options = { model, mode: "live", accessToken: "hf_test", fetch: fake.fetch } as const;
  const output = await summarization("x", { ...options, retry: { sleep: clock.sleep } });
  assert.match(output.summary_text, /324 metres/);
  assert.equal(requestsTo(fake.requests, model), 2);
  assert.deepEqual(clock.delays, [20_000]);

  fake.on(`/hf-inference/models/${model}`, scenarios.unauthorized401Json, scenarios.summarization200);
  const error = await rejection(summarization("x", { ...options, retry: { sleep: clock.sleep } }));
  assert.ok(error instanceof HfApiError, String(error));
  assert.equal(error.status, 401);
  assert.equal(requestsTo(fake.requests, model), 3, "a 401 is not retried");
  assert.match(
    error.message,
    /^Hugging Face answered 401 to POST https:\/\/router\.huggingface\.co\/hf-inference\/models\/.*: Invalid credentials in Authorization header$/,
  );
  assert.match(error.hint, /HF_TOKEN/);
  assert.ok(!`${error.message}${error.hint}${error.body}`.includes("hf_test"));
});

Deno.test("replay: the article's paragraph gives its published summary, with no network", async () => {
  const net = countingFetch();
  const output = await withEnv(CLEAN_ENV, () => summarization(PARAGRAPH, { fetch: net.fetch }));
  assert.deepEqual(output, { summary_text: PUBLISHED });
  assert.equal(net.calls.length, 0);
  const explicit = await summarization(PARAGRAPH, {
    mode: "replay",
    accessToken: "hf_test",
    fetch: net.fetch,
  });
  assert.equal(explicit.summary_text, PUBLISHED);
  assert.equal(net.calls.length, 0);
});

Deno.test("replay: another paragraph is not recorded: ReplayMissError with the record hint", async () => {
  const net = countingFetch();
  const error = await rejection(
    withEnv(CLEAN_ENV, () => summarization("Another paragraph.", { mode: "replay", fetch: net.fetch })),
  );
  assert.ok(error instanceof ReplayMissError, String(error));
  assert.match(
    error.message,
    new RegExp(`POST ${ROUTER_URL.replaceAll(".", "\\.")} \\(body sha256:[0-9a-f]{12}\\)`),
  );
  assert.match(error.hint, /HF_MODE=record/);
  assert.equal(net.calls.length, 0);
});

Deno.test("a model hf-inference does not serve: HfNotServedError; an unknown model: HfApiError 404", async () => {
  await using fake = await startFakeHf();
  const elsewhere = uniqueModel("elsewhere");
  fake.setMapping(elsewhere, { together: { status: "live", providerId: "x", task: "summarization" } });
  const notServed = await rejection(summarization("x", {
    model: elsewhere,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
  }));
  assert.ok(notServed instanceof HfNotServedError, String(notServed));
  assert.match(notServed.hint, /inferenceProviderMapping/);

  const unknown = uniqueModel("unknown");
  fake.setMapping(unknown, null);
  const missing = await rejection(summarization("x", {
    model: unknown,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
  }));
  assert.ok(missing instanceof HfApiError, String(missing));
  assert.equal(missing.status, 404);
  assert.equal(missing.kind, "not-found");
  assert.equal(missing.errorCode, "RepoNotFound");
  assert.equal(requestsTo(fake.requests, unknown), 0, "no task call for an unknown model");
});

Deno.test("endpointUrl sends the call to the endpoint itself, with no mapping look-up; billTo sends X-HF-Bill-To", async () => {
  const endpoint = "https://my-endpoint.endpoints.huggingface.cloud";
  await using fake = await startFakeHf({ endpointHosts: [endpoint] });
  fake.on(`${endpoint}/`, scenarios.summarization200);
  const output = await summarization("x", {
    endpointUrl: endpoint,
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    billTo: "my-org",
  });
  assert.match(output.summary_text, /324 metres/);
  assert.equal(fake.requests.length, 1);
  assert.equal(new URL(fake.requests[0]!.url).host, "my-endpoint.endpoints.huggingface.cloud");
  assert.equal(fake.requests[0]?.headers["x-hf-bill-to"], "my-org");
});

Deno.test({
  name: "every real hf-inference summarization answer in hf-recorded parses to the typed output",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: "summarization",
      count: { atLeast: 10 },
      call: (live) => summarization("x", live),
      expect: (output, c) =>
        assert.equal(output.summary_text, (c.responseBody as { summary_text: string }[])[0]!.summary_text),
    });
  },
});

Deno.test("bad input throws TypeError / RangeError naming the parameter, before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot summarize: ",
    call: (input: unknown, options: SummarizationOptions | undefined, live) =>
      summarization(input as string, { ...live, ...options }),
    cases: [
      [
        "an empty text",
        "",
        undefined,
        TypeError,
        /^Cannot summarize: "inputs" must be a non-empty string, got "" \(blank\)$/,
      ],
      [
        "white space",
        "  \n\t ",
        undefined,
        TypeError,
        /"inputs" must be a non-empty string, got ".*" \(blank\)/s,
      ],
      ["a number", 42, undefined, TypeError, /"inputs" must be a non-empty string, got 42/],
      ["null", null, undefined, TypeError, /"inputs" must be a non-empty string, got null/],
      ["nothing", undefined, undefined, TypeError, /"inputs" must be a non-empty string, got undefined/],
      [
        "a list of texts",
        ["a"],
        undefined,
        TypeError,
        /"inputs" must be a non-empty string, got an array of 1/,
      ],
      [
        "a parameter of another API",
        "x",
        { parameters: { max_length: 5 } as never },
        TypeError,
        /"parameters\.max_length" is not a parameter of summarization; did you mean "generate_parameters\.max_length"\? \(to send a name beyond the spec on purpose, put it in extraParameters\)$/,
      ],
      [
        "null parameters",
        "x",
        { parameters: null as never },
        TypeError,
        /"parameters" must be an object, got null/,
      ],
      [
        "an unknown truncation",
        "x",
        { parameters: { truncation: "sometimes" as never } },
        RangeError,
        /"parameters\.truncation" must be one of do_not_truncate, longest_first, only_first, only_second, got "sometimes"/,
      ],
      [
        "clean_up_tokenization_spaces as text",
        "x",
        { parameters: { clean_up_tokenization_spaces: "yes" as never } },
        TypeError,
        /"parameters\.clean_up_tokenization_spaces" must be true or false/,
      ],
      [
        "generate_parameters as text",
        "x",
        { parameters: { generate_parameters: "fast" as never } },
        TypeError,
        /"parameters\.generate_parameters" must be an object, got a string/,
      ],
      [
        "a camel-case generation parameter",
        "x",
        { parameters: { generate_parameters: { maxNewTokens: 5 } as never } },
        TypeError,
        /"parameters\.generate_parameters\.maxNewTokens" is not a parameter of summarization; did you mean "max_new_tokens"\?/,
      ],
      [
        "max_new_tokens 0",
        "x",
        { parameters: { generate_parameters: { max_new_tokens: 0 } } },
        RangeError,
        /"parameters\.generate_parameters\.max_new_tokens" must be a whole number of at least 1, got 0/,
      ],
      [
        "num_beams 2.5",
        "x",
        { parameters: { generate_parameters: { num_beams: 2.5 } } },
        RangeError,
        /"parameters\.generate_parameters\.num_beams" must be a whole number/,
      ],
      [
        "top_p 2",
        "x",
        { parameters: { generate_parameters: { top_p: 2 } } },
        RangeError,
        /"parameters\.generate_parameters\.top_p" must be a number from 0 to 1, got 2/,
      ],
      [
        "temperature as text",
        "x",
        { parameters: { generate_parameters: { temperature: "hot" as never } } },
        TypeError,
        /"parameters\.generate_parameters\.temperature" must be a number, got a string/,
      ],
      [
        "do_sample 1",
        "x",
        { parameters: { generate_parameters: { do_sample: 1 as never } } },
        TypeError,
        /"parameters\.generate_parameters\.do_sample" must be true or false, got 1/,
      ],
      [
        "a model id with spaces",
        "x",
        { model: "not a model id" },
        TypeError,
        /"model" must be a model id like "owner\/name", got "not a model id"/,
      ],
      [
        "a URL as model",
        "x",
        { model: "https://my-endpoint.example/" },
        TypeError,
        /pass it as "endpointUrl" instead/,
      ],
      [
        "an endpointUrl that is no URL",
        "x",
        { endpointUrl: "not a url" },
        TypeError,
        /"endpointUrl" must be an http\(s\) URL/,
      ],
    ],
  });
});
