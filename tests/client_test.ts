import assert from "node:assert/strict";
import { InferenceClient } from "npm:@huggingface/inference@^4.13.30";
import { createClient, type WorkbookClient } from "../lib/client.ts";
import { ReplayMissError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import { CLEAN_ENV, countingFetch, rejection, tempDir, withEnv } from "./_helpers.ts";

const ARTICLE_PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const ARTICLE_SUMMARY =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";
const RECORDED_SUMMARIES = new URL("../recordings/summarization.json", import.meta.url);

/** A fetch that plays the Hub (hf-inference serves every model) and answers every task call with `answer`. */
function liveEdge(answer: unknown) {
  return countingFetch((call) =>
    new URL(call.url).pathname.startsWith("/api/models/")
      ? Response.json({
        inferenceProviderMapping: {
          "hf-inference": { status: "live", providerId: "m/x", task: "translation" },
        },
      })
      : Response.json(answer)
  );
}

Deno.test("createClient() has every task method of @huggingface/inference's InferenceClient, plus query and modelProviders", () => {
  const official = Object.getOwnPropertyNames(new InferenceClient())
    .filter((name) => !["accessToken", "defaultOptions", "request", "streamingRequest"].includes(name))
    .sort();
  assert.equal(official.length, 34);
  const client = createClient();
  const ours = Object.keys(client).sort();
  assert.deepEqual(ours, [...official, "modelProviders", "query"].sort());
  for (const name of ours) assert.equal(typeof client[name as keyof WorkbookClient], "function", name);
});

Deno.test("a client's recordingsDir and mode reach every call: the article's summary replays from the client's folder", async () => {
  await using tmp = await tempDir();
  await Deno.copyFile(RECORDED_SUMMARIES, `${tmp.dir}/summarization.json`);
  await withEnv(CLEAN_ENV, async () => {
    const hf = createClient({ mode: "replay", recordingsDir: tmp.dir, fetch: countingFetch().fetch });
    const answer = await hf.summarization(ARTICLE_PARAGRAPH);
    assert.equal(answer.summary_text, ARTICLE_SUMMARY);
    assert.equal(provenanceOf(answer)?.kind, "published");
    // The folder holds only summaries: a translation is not recorded there, and the error names the folder.
    const missed = await rejection(hf.translation("這是一個很困難的問題"));
    assert.ok(missed instanceof ReplayMissError);
    assert.match(missed.message, new RegExp(tmp.dir.replaceAll("\\", "\\\\")));
  });
});

Deno.test("a client's token, billTo and fetch reach the request; the call's own token wins", async () => {
  const edge = liveEdge([{ translation_text: "It's a very difficult question." }]);
  const hf = createClient({ mode: "live", accessToken: "hf_client", billTo: "my-org", fetch: edge.fetch });
  const answer = await hf.translation("這是一個很困難的問題", { model: "m/x" });
  assert.equal(answer.translation_text, "It's a very difficult question.");
  const task = edge.calls.filter((c) => c.method === "POST");
  assert.equal(task[0]?.headers.get("Authorization"), "Bearer hf_client");
  assert.equal(task[0]?.headers.get("X-HF-Bill-To"), "my-org");
  await hf.translation("這是一個很困難的問題", { model: "m/x", accessToken: "hf_call", billTo: undefined });
  const second = edge.calls.filter((c) => c.method === "POST")[1];
  assert.equal(second?.headers.get("Authorization"), "Bearer hf_call");
  assert.equal(second?.headers.get("X-HF-Bill-To"), "my-org", "an option left undefined keeps the default");
});

Deno.test("a client's endpointUrl sends calls there; a call that names a provider goes to the router instead", async () => {
  const edge = liveEdge([{ translation_text: "Hello" }]);
  const hf = createClient({
    mode: "live",
    accessToken: "hf_test",
    endpointUrl: "https://my-endpoint.example/",
  });
  await hf.translation("你好", { fetch: edge.fetch });
  assert.equal(edge.calls.at(-1)?.url, "https://my-endpoint.example/");
  await hf.translation("你好", { fetch: edge.fetch, model: "m/x", provider: "hf-inference" });
  assert.match(
    edge.calls.at(-1)?.url ?? "",
    /^https:\/\/router\.huggingface\.co\/hf-inference\/models\/m\/x/,
  );
});

Deno.test("a client's retry defaults merge with a call's, field by field", async () => {
  let attempts = 0;
  const edge = countingFetch(() => {
    attempts++;
    return new Response("busy", { status: 500 });
  });
  const hf = createClient({
    mode: "live",
    accessToken: "hf_test",
    endpointUrl: "https://my-endpoint.example/",
    fetch: edge.fetch,
    retry: { maxAttempts: 2, sleep: () => Promise.resolve() },
  });
  await rejection(hf.translation("你好"));
  assert.equal(attempts, 2);
  attempts = 0;
  await rejection(hf.translation("你好", { retry: { maxAttempts: 3 } }));
  assert.equal(attempts, 3, "the call's maxAttempts, the client's sleep");
});

Deno.test("createClient() refuses an unknown mode or provider, and a provider with an endpoint", () => {
  assert.throws(() => createClient({ mode: "offline" as "replay" }), RangeError);
  assert.throws(() => createClient({ provider: "nobody" as "auto" }), RangeError);
  assert.throws(
    () => createClient({ provider: "hf-inference", endpointUrl: "https://my-endpoint.example/" }),
    TypeError,
  );
});

Deno.test("parameters stay typed through the client: a misspelt one is a compile error and refused before any request", async () => {
  const edge = countingFetch();
  const hf = createClient({ mode: "live", accessToken: "hf_test", fetch: edge.fetch });
  const error = await rejection(
    // @ts-expect-error "max_new_token" is not a parameter of text generation
    hf.textGeneration("Once upon a time", { parameters: { max_new_token: 20 } }),
  );
  assert.ok(error instanceof TypeError);
  assert.match(error.message, /did you mean "max_new_tokens"/);
  assert.equal(edge.calls.length, 0);
});
