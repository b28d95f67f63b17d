/**
 * Provenance: the label of each kind, the attachment to a task's returned
 * value (live through an injected fetch, replayed from recordings/), per
 * call, and never taken from the Hub's mapping look-up.
 */
import assert from "node:assert/strict";
import {
  chatCompletionStream,
  type ChatMessage,
  collectStream,
  fillMask,
  modelProviders,
  type Provenance,
  provenanceLabel,
  provenanceOf,
  provenanceOfOrigin,
  query,
  questionAnswering,
  summarization,
  textGenerationStream,
  translation,
  withProvenance,
} from "../lib/mod.ts";
import { CLEAN_ENV, FAKE_TOKEN, tempDir, withEnv } from "./_helpers.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const OPUS_URL = "https://router.huggingface.co/hf-inference/models/Helsinki-NLP/opus-mt-zh-en";
const OPUS_MAPPING =
  "https://huggingface.co/api/models/Helsinki-NLP/opus-mt-zh-en?expand[]=inferenceProviderMapping";

/** A fetch answering the Hub's mapping look-up for `model` and every other request with `json`. */
function serviceFetch(model: string, task: string, json: unknown, headers: Record<string, string> = {}) {
  const seen: string[] = [];
  const fetch: typeof globalThis.fetch = (input) => {
    const url = input instanceof Request ? input.url : String(input);
    seen.push(url);
    if (url.startsWith("https://huggingface.co/api/models/")) {
      return Promise.resolve(Response.json({
        id: model,
        inferenceProviderMapping: { "hf-inference": { status: "live", providerId: model, task } },
      }));
    }
    return Promise.resolve(Response.json(json, { headers }));
  };
  return { fetch, seen };
}

Deno.test("provenanceLabel says each kind in one line", () => {
  const cases: [Provenance, string][] = [
    [{ kind: "live" }, "live"],
    [{ kind: "live", provider: "novita" }, "live · novita"],
    [{ kind: "recorded", date: "2026-12-03" }, "replayed · recorded live on 2026-12-03"],
    [{ kind: "published", source: "the series (Ep.6)" }, "replayed · published by the series (Ep.6)"],
    [
      { kind: "upstream", repository: "huggingface/huggingface_hub", commit: COMMIT, date: "2025-01-31" },
      "replayed · recorded by huggingface/huggingface_hub (2025-01-31, 0123456)",
    ],
    [
      { kind: "authored", after: "API.md" },
      "replayed · authored example of the shape, not a model's answer: set HF_TOKEN for a real one",
    ],
  ];
  for (const [p, label] of cases) assert.equal(provenanceLabel(p), label);
  for (const [p] of cases) assert.ok(!provenanceLabel(p).includes("\n"));
});

Deno.test("provenanceOfOrigin keeps the facts of a label and shortens a published source", () => {
  assert.deepEqual(
    provenanceOfOrigin({
      kind: "published",
      source:
        "https://github.com/weihanchen/google-colab-python-learn (jupyter-examples/huggingface/), Ep.6 (question answering): the answer its notebook printed for question 1",
      note: "x",
    }),
    { kind: "published", source: "the series (Ep.6)" },
  );
  assert.deepEqual(
    provenanceOfOrigin({
      kind: "upstream",
      repository: "r/x",
      commit: COMMIT,
      date: "2024-01-01",
      note: "n",
    }),
    { kind: "upstream", repository: "r/x", commit: COMMIT, date: "2024-01-01" },
  );
  assert.deepEqual(provenanceOfOrigin({ kind: "authored", after: "a", note: "n" }), {
    kind: "authored",
    after: "a",
  });
  assert.deepEqual(provenanceOfOrigin({ kind: "recorded", date: "2026-01-02" }), {
    kind: "recorded",
    date: "2026-01-02",
  });
});

Deno.test("withProvenance attaches to objects and arrays without changing them, and cannot to a primitive", () => {
  const list = [{ score: 1 }];
  const p: Provenance = { kind: "live" };
  assert.equal(withProvenance(list, p), list);
  assert.equal(provenanceOf(list), p);
  assert.deepEqual(Object.keys(list), ["0"]);
  assert.equal(JSON.stringify(list), '[{"score":1}]');
  assert.equal(provenanceOf(list[0]), undefined, "an element is not its list");
  assert.equal(withProvenance("text", p), "text");
  assert.equal(provenanceOf("text"), undefined);
  assert.equal(withProvenance(3, p), 3);
  assert.equal(provenanceOf(undefined), undefined);
  assert.equal(provenanceOf(null), undefined);
});

Deno.test("a live answer carries live and the provider that answered, not the mapping look-up", async () => {
  const service = serviceFetch("Helsinki-NLP/opus-mt-zh-en", "translation", [{ translation_text: "Hard." }]);
  const answer = await translation("這是一個很困難的問題", {
    mode: "live",
    accessToken: FAKE_TOKEN,
    fetch: service.fetch,
  });
  assert.deepEqual(answer, { translation_text: "Hard." });
  assert.deepEqual(provenanceOf(answer), { kind: "live", provider: "hf-inference" });
  assert.ok(service.seen.includes(OPUS_URL), service.seen.join("\n"));
});

Deno.test("a live answer names the provider of the router's x-inference-provider header", async () => {
  const service = serviceFetch("google-bert/bert-base-uncased", "fill-mask", [
    { score: 0.9, token: 3007, token_str: "capital", sequence: "paris is the capital of france." },
  ], { "x-inference-provider": "hf-inference-eu" });
  const answer = await fillMask("Paris is the [MASK] of France.", {
    model: "google-bert/bert-base-uncased",
    mode: "live",
    accessToken: FAKE_TOKEN,
    fetch: service.fetch,
  });
  assert.deepEqual(provenanceOf(answer), { kind: "live", provider: "hf-inference-eu" });
});

Deno.test("a replayed answer carries its recording's origin: published, authored", async () => {
  await withEnv(CLEAN_ENV, async () => {
    const published = await translation("這是一個很困難的問題", { mode: "replay" });
    assert.deepEqual(provenanceOf(published), { kind: "published", source: "the series (Ep.2)" });
    const authored = await translation("It's a very difficult question.", {
      mode: "replay",
      model: "Helsinki-NLP/opus-mt-en-zh",
    });
    assert.equal(provenanceOf(authored)?.kind, "authored");
    assert.match(provenanceLabel(provenanceOf(authored)!), /not a model's answer/);
  });
});

Deno.test("the element a helper picks from a list answer carries the list's provenance", async () => {
  const answer = await questionAnswering({
    question: "Which country is the most populous?",
    context: "India overtook China in 2023 as the most populous country.",
  }, {
    mode: "live",
    accessToken: FAKE_TOKEN,
    fetch: serviceFetch("deepset/roberta-base-squad2", "question-answering", [
      { answer: "India", score: 0.9, start: 0, end: 5 },
    ]).fetch,
  });
  assert.equal(answer.answer, "India");
  assert.deepEqual(provenanceOf(answer), { kind: "live", provider: "hf-inference" });
});

Deno.test("the mapping look-up's origin never becomes the answer's: a cached look-up, a live answer", async () => {
  await using tmp = await tempDir();
  const mapping = {
    task: "hub",
    interactions: [{
      origin: {
        kind: "upstream",
        repository: "huggingface/huggingface_hub",
        commit: COMMIT,
        date: "2025-01-31",
      },
      request: { method: "GET", url: OPUS_MAPPING },
      response: {
        status: 200,
        headers: { "content-type": "application/json" },
        json: {
          id: "Helsinki-NLP/opus-mt-zh-en",
          inferenceProviderMapping: {
            "hf-inference": { status: "live", providerId: "Helsinki-NLP/opus-mt-zh-en", task: "translation" },
          },
        },
      },
    }],
  };
  await Deno.writeTextFile(`${tmp.dir}/hub.json`, JSON.stringify(mapping));
  const service = serviceFetch("Helsinki-NLP/opus-mt-zh-en", "translation", [{ translation_text: "Hard." }]);
  const answer = await withEnv(
    { ...CLEAN_ENV, HF_RECORDINGS_DIR: tmp.dir },
    () =>
      translation("這是一個很困難的問題", { mode: "cache", accessToken: FAKE_TOKEN, fetch: service.fetch }),
  );
  assert.ok(!service.seen.includes(OPUS_MAPPING), "the look-up came from the recording");
  assert.deepEqual(provenanceOf(answer), { kind: "live", provider: "hf-inference" });
});

Deno.test("provenance is per call: concurrent calls each carry their own", async () => {
  await withEnv(CLEAN_ENV, async () => {
    const live = serviceFetch("Helsinki-NLP/opus-mt-zh-en", "translation", [{ translation_text: "Hard." }]);
    const [replayed, answered] = await Promise.all([
      translation("這是一個很困難的問題", { mode: "replay" }),
      translation("這是一個很困難的問題", { mode: "live", accessToken: FAKE_TOKEN, fetch: live.fetch }),
    ]);
    assert.equal(provenanceOf(replayed)?.kind, "published");
    assert.equal(provenanceOf(answered)?.kind, "live");
  });
});

Deno.test("query's JSON answer carries its provenance; a text answer is a string and cannot", async () => {
  await withEnv(CLEAN_ENV, async () => {
    const paragraph =
      "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
    const raw = await query({ inputs: paragraph }, {
      model: "csebuetnlp/mT5_multilingual_XLSum",
      mode: "replay",
    });
    assert.equal(
      provenanceLabel(provenanceOf(raw)!),
      "replayed · published by the article (【Hugging Face】Ep.8)",
    );
    const text = await query({ inputs: "x" }, {
      model: "m/x",
      mode: "live",
      accessToken: FAKE_TOKEN,
      fetch: () => Promise.resolve(new Response("plain", { headers: { "content-type": "text/plain" } })),
    });
    assert.equal(text, "plain");
    assert.equal(provenanceOf(text), undefined);
  });
});

Deno.test("summarization replayed from the article says so", async () => {
  await withEnv(CLEAN_ENV, async () => {
    const paragraph =
      "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
    const summary = await summarization(paragraph, { mode: "replay" });
    assert.deepEqual(provenanceOf(summary), {
      kind: "published",
      source: "the article (【Hugging Face】Ep.8)",
    });
  });
});

Deno.test("an answer of a dedicated endpoint is live with no provider named", async () => {
  const answer = await translation("這是一個很困難的問題", {
    endpointUrl: "https://my-endpoint.example/translate",
    mode: "live",
    accessToken: FAKE_TOKEN,
    fetch: () => Promise.resolve(Response.json([{ translation_text: "Hard." }])),
  });
  assert.deepEqual(provenanceOf(answer), { kind: "live" });
  const raw = await query({ inputs: "x" }, {
    endpointUrl: "https://my-endpoint.example/raw",
    mode: "live",
    accessToken: FAKE_TOKEN,
    fetch: () => Promise.resolve(Response.json({ ok: true })),
  });
  assert.deepEqual(provenanceOf(raw), { kind: "live" });
});

Deno.test("a replayed stream: every chunk, and the collected answer, carry the recording's origin", async () => {
  await withEnv(CLEAN_ENV, async () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "What is deep learning?" },
    ];
    const options = {
      model: "meta-llama/Llama-3.1-8B-Instruct",
      provider: "hf-inference" as const,
      mode: "replay" as const,
      parameters: { max_tokens: 20 },
    };
    const chunks = [];
    for await (const chunk of chatCompletionStream(messages, options)) chunks.push(chunk);
    assert.ok(chunks.length > 1);
    for (const chunk of chunks) assert.equal(provenanceOf(chunk)?.kind, "upstream");
    const answer = await collectStream(chatCompletionStream(messages, options));
    assert.match(answer.text, /^Deep learning is a subset of machine learning/);
    assert.equal(
      provenanceLabel(provenanceOf(answer)!),
      provenanceLabel(provenanceOf(chunks[0])!),
    );
    assert.match(
      provenanceLabel(provenanceOf(answer)!),
      /^replayed · recorded by huggingface\/huggingface_hub \(/,
    );
  });
});

Deno.test("a live stream: every chunk, and the collected answer, say live and the provider that answered", async () => {
  const events = [
    { token: { id: 1, text: " forty", logprob: -0.1, special: false }, generated_text: null, details: null },
    {
      token: { id: 2, text: "-two", logprob: -0.1, special: false },
      generated_text: " forty-two",
      details: null,
    },
  ].map((e) => `data:${JSON.stringify(e)}\n\n`).join("");
  const stream = textGenerationStream("The answer is", {
    model: "openai-community/gpt2",
    mode: "live",
    accessToken: FAKE_TOKEN,
    fetch: (input) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith("https://huggingface.co/api/models/")) {
        return Promise.resolve(Response.json({
          id: "openai-community/gpt2",
          inferenceProviderMapping: {
            "hf-inference": { status: "live", providerId: "openai-community/gpt2", task: "text-generation" },
          },
        }));
      }
      return Promise.resolve(
        new Response(events + "data: [DONE]\n\n", {
          headers: { "content-type": "text/event-stream", "x-inference-provider": "hf-inference-eu" },
        }),
      );
    },
  });
  const chunks: unknown[] = [];
  const answer = await collectStream((async function* () {
    for await (const chunk of stream) yield (chunks.push(chunk), chunk);
  })());
  assert.equal(answer.text, " forty-two");
  assert.equal(chunks.length, 2);
  for (const chunk of chunks) {
    assert.deepEqual(provenanceOf(chunk), { kind: "live", provider: "hf-inference-eu" });
  }
  assert.deepEqual(provenanceOf(answer), { kind: "live", provider: "hf-inference-eu" });
});

Deno.test("collectStream of chunks that carry no provenance carries none", async () => {
  async function* chunks() {
    yield { text: "a", finish_reason: "length" };
  }
  const answer = await collectStream(chunks());
  assert.equal(answer.text, "a");
  assert.equal(provenanceOf(answer), undefined);
});

Deno.test("a replayed mapping look-up says whether it is authored or recorded upstream, on the answer, its list and each entry", async () => {
  await withEnv(CLEAN_ENV, async () => {
    const authored = await modelProviders("csebuetnlp/mT5_multilingual_XLSum", { mode: "replay" });
    assert.equal(authored.hfInference?.status, "live");
    for (const value of [authored, authored.providers, authored.hfInference]) {
      assert.equal(provenanceOf(value)?.kind, "authored");
    }
    const upstream = await modelProviders("meta-llama/Llama-3.1-8B-Instruct", { mode: "replay" });
    assert.ok(upstream.providers.length > 1);
    for (const value of [upstream, upstream.providers, ...upstream.providers]) {
      assert.equal(
        provenanceLabel(provenanceOf(value)!),
        "replayed · recorded by huggingface/huggingface_hub (2025-03-12, 573a10d)",
      );
    }
  });
});

Deno.test("a live mapping look-up says live", async () => {
  const info = await modelProviders("Helsinki-NLP/opus-mt-zh-en", {
    mode: "live",
    fetch: serviceFetch("Helsinki-NLP/opus-mt-zh-en", "translation", {}).fetch,
  });
  assert.equal(info.hfInference?.task, "translation");
  assert.deepEqual(provenanceOf(info), { kind: "live" });
  assert.deepEqual(provenanceOf(info.providers), { kind: "live" });
});
