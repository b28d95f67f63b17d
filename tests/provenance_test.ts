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
import * as mod from "../lib/mod.ts";
import type { Interaction, RecordingFile } from "../lib/transport/recordings.ts";
import { CLEAN_ENV, FAKE_TOKEN, RECORDINGS, tempDir, withEnv } from "./_helpers.ts";
import { assetByDigest, base64Bytes, modelOf } from "./_recorded.ts";

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
    model: "deepset/roberta-base-squad2", // the library keeps a model's mapping for the process: map the model asked
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

/** The first answered task request of `recordings/<task>.json` that `where` accepts. */
async function recorded(task: string, where: (i: Interaction) => boolean = () => true): Promise<Interaction> {
  const file = JSON.parse(await Deno.readTextFile(`${RECORDINGS}/${task}.json`)) as RecordingFile;
  const found = file.interactions.find((i) =>
    i.request.method === "POST" && i.response.status === 200 && where(i)
  );
  if (found === undefined) throw new Error(`recordings/${task}.json holds no such answered request`);
  return found;
}

type Body = Record<string, unknown>;
const bodyOf = (i: Interaction) => (i.request.body ?? {}) as Body;
const inputsOf = <T = never>(i: Interaction) => bodyOf(i).inputs as T;
/** A question about a picture sent in the body (`{question, image}`, base64). */
const imageQuestionOf = (i: Interaction) => {
  const { question, image } = inputsOf<Body>(i);
  return { question: String(question), image: base64Bytes(String(image)) };
};
/** The replay options of the recorded call: its model (from the URL) and its parameters. */
const replayOf = (i: Interaction) => ({
  model: modelOf(i.request.url)!,
  mode: "replay" as const,
  ...(bodyOf(i).parameters ? { parameters: bodyOf(i).parameters as never } : {}),
});
/** The uploaded file of a binary request, or the base64 text of a JSON one. */
const mediaOf = (i: Interaction) =>
  i.request.bodyKind === "binary"
    ? assetByDigest(i.request.bodyDigest!)
    : Promise.resolve(base64Bytes(inputsOf(i)));
/** The picture of a provider request (`image_url`, a data URL). */
const pictureOf = (i: Interaction) => base64Bytes(String(bodyOf(i).image_url));
const withPrompt = (i: Interaction) => ({
  mode: "replay" as const,
  parameters: { prompt: String(bodyOf(i).prompt) },
});
const chatOf = (i: Interaction) => {
  const { messages, model: _model, stream: _stream, ...parameters } = bodyOf(i);
  const options = {
    model: modelOf(i.request.url)!,
    provider: "hf-inference" as const,
    mode: "replay" as const,
  };
  return [messages as ChatMessage[], { ...options, parameters }] as const;
};
const completionOf = (i: Interaction) => {
  const { prompt, max_tokens, temperature, seed } = bodyOf(i);
  const parameters = { max_new_tokens: max_tokens, temperature, seed } as never;
  return [String(prompt), { model: modelOf(i.request.url)!, mode: "replay" as const, parameters }] as const;
};
const hfInference = (i: Interaction) => i.request.url.includes("/hf-inference/");
const streamed = (i: Interaction) => bodyOf(i).stream === true;

/**
 * One replayed call per task function of lib/mod.ts: which recording holds its
 * input, which of its requests, and the call made from that request.
 */
const REPLAYED: Record<string, [string, (i: Interaction) => boolean, (i: Interaction) => Promise<unknown>]> =
  {
    audioClassification: [
      "audio-classification",
      () => true,
      async (i) => mod.audioClassification(await mediaOf(i), replayOf(i)),
    ],
    audioToAudio: [
      "audio-to-audio",
      () => true,
      async (i) => mod.audioToAudio(await mediaOf(i), replayOf(i)),
    ],
    automaticSpeechRecognition: [
      "automatic-speech-recognition",
      (i) => i.request.bodyKind === "binary",
      async (i) => mod.automaticSpeechRecognition(await mediaOf(i), replayOf(i)),
    ],
    chatCompletion: [
      "chat-completion",
      (i) => hfInference(i) && !streamed(i),
      (i) => mod.chatCompletion(...chatOf(i)),
    ],
    chatCompletionStream: [
      "chat-completion",
      (i) => hfInference(i) && streamed(i) && i.origin.kind === "upstream",
      (i) => mod.collectStream(mod.chatCompletionStream(...chatOf(i))),
    ],
    documentQuestionAnswering: [
      "document-question-answering",
      () => true,
      (i) =>
        mod.documentQuestionAnswering(
          imageQuestionOf(i),
          replayOf(i),
        ),
    ],
    featureExtraction: [
      "feature-extraction",
      (i) => typeof inputsOf(i) === "string",
      (i) => mod.featureExtraction(inputsOf(i), replayOf(i)),
    ],
    fillMask: ["fill-mask", () => true, (i) => mod.fillMask(inputsOf(i), replayOf(i))],
    imageClassification: [
      "image-classification",
      (i) => i.request.bodyKind === "binary",
      async (i) => mod.imageClassification(await mediaOf(i), replayOf(i)),
    ],
    imageSegmentation: [
      "image-segmentation",
      () => true,
      async (i) => mod.imageSegmentation(await mediaOf(i), replayOf(i)),
    ],
    imageTextToImage: [
      "image-text-to-image",
      () => true,
      (i) =>
        mod.imageTextToImage({ image: pictureOf(i), prompt: String(bodyOf(i).prompt) }, { mode: "replay" }),
    ],
    imageTextToVideo: [
      "image-text-to-video",
      () => true,
      (i) =>
        mod.imageTextToVideo({ image: pictureOf(i), prompt: String(bodyOf(i).prompt) }, { mode: "replay" }),
    ],
    imageToImage: ["image-to-image", () => true, (i) => mod.imageToImage(pictureOf(i), withPrompt(i))],
    imageToText: ["image-to-text", () => true, async (i) => mod.imageToText(await mediaOf(i), replayOf(i))],
    imageToVideo: ["image-to-video", () => true, (i) => mod.imageToVideo(pictureOf(i), withPrompt(i))],
    objectDetection: [
      "object-detection",
      (i) => i.request.bodyKind === "binary",
      async (i) => mod.objectDetection(await mediaOf(i), replayOf(i)),
    ],
    query: ["summarization", () => true, (i) => mod.query(bodyOf(i) as never, replayOf(i))],
    questionAnswering: [
      "question-answering",
      () => true,
      (i) => mod.questionAnswering(inputsOf(i), replayOf(i)),
    ],
    sentenceSimilarity: [
      "sentence-similarity",
      () => true,
      (i) => mod.sentenceSimilarity(inputsOf(i), replayOf(i)),
    ],
    summarization: ["summarization", () => true, (i) => mod.summarization(inputsOf(i), replayOf(i))],
    tableQuestionAnswering: [
      "table-question-answering",
      () => true,
      (i) => mod.tableQuestionAnswering(inputsOf(i), replayOf(i)),
    ],
    tabularClassification: [
      "tabular-classification",
      () => true,
      (i) => mod.tabularClassification(inputsOf(i), replayOf(i)),
    ],
    tabularRegression: [
      "tabular-regression",
      () => true,
      (i) => mod.tabularRegression(inputsOf(i), replayOf(i)),
    ],
    textClassification: [
      "text-classification",
      () => true,
      (i) => mod.textClassification(inputsOf(i), replayOf(i)),
    ],
    textGeneration: [
      "text-generation",
      (i) => i.request.url.endsWith("/v1/completions") && !streamed(i),
      (i) => mod.textGeneration(...completionOf(i)),
    ],
    textGenerationStream: [
      "text-generation",
      streamed,
      (i) => mod.collectStream(mod.textGenerationStream(...completionOf(i))),
    ],
    textToAudio: [
      "text-to-audio",
      () => true,
      (i) => mod.textToAudio(String(bodyOf(i).prompt), { mode: "replay" }),
    ],
    textToImage: ["text-to-image", () => true, (i) => mod.textToImage(inputsOf(i), replayOf(i))],
    textToSpeech: [
      "text-to-speech",
      () => true,
      (i) => mod.textToSpeech(String(bodyOf(i).text), { mode: "replay" }),
    ],
    textToVideo: [
      "text-to-video",
      () => true,
      (i) => mod.textToVideo(String(bodyOf(i).prompt), { mode: "replay" }),
    ],
    tokenClassification: [
      "token-classification",
      () => true,
      (i) => mod.tokenClassification(inputsOf(i), replayOf(i)),
    ],
    translation: ["translation", () => true, (i) => mod.translation(inputsOf(i), replayOf(i))],
    visualQuestionAnswering: [
      "visual-question-answering",
      () => true,
      (i) =>
        mod.visualQuestionAnswering(
          imageQuestionOf(i),
          replayOf(i),
        ),
    ],
    zeroShotClassification: [
      "zero-shot-classification",
      () => true,
      (i) => mod.zeroShotClassification(inputsOf(i), replayOf(i) as never),
    ],
    zeroShotImageClassification: [
      "zero-shot-image-classification",
      () => true,
      (i) =>
        mod.zeroShotImageClassification(base64Bytes(String(inputsOf<Body>(i).image)), replayOf(i) as never),
    ],
  };

/** The task functions lib/mod.ts exports: one per task file (named as the file), its streams, and `query`. */
async function exportedTaskFunctions(): Promise<string[]> {
  const names = ["query", "chatCompletionStream", "textGenerationStream"];
  for await (const entry of Deno.readDir(new URL("../lib/tasks/", import.meta.url))) {
    if (!entry.isFile || !/^[a-z][a-z_]*\.ts$/.test(entry.name)) continue;
    names.push(entry.name.slice(0, -3).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
  }
  for (const name of names) assert.equal(typeof (mod as Record<string, unknown>)[name], "function", name);
  return names.sort();
}

Deno.test("every task function of lib/mod.ts, replayed on a recorded input, carries that recording's provenance", async () => {
  const names = await exportedTaskFunctions();
  assert.deepEqual(
    Object.keys(REPLAYED).sort(),
    names,
    "a task function without a replayed call: add one to REPLAYED",
  );
  const wrong: string[] = [];
  await withEnv(CLEAN_ENV, async () => {
    for (const name of names) {
      const [task, where, call] = REPLAYED[name]!;
      const i = await recorded(task, where);
      const seen = await call(i).then(provenanceOf, (error: Error) => `${error.name}: ${error.message}`);
      const expected = provenanceOfOrigin(i.origin);
      if (JSON.stringify(seen) !== JSON.stringify(expected)) {
        wrong.push(`${name} (recordings/${task}.json, ${i.request.url}): ${JSON.stringify(seen)}`);
      }
    }
  });
  assert.deepEqual(wrong, [], `expected each to carry its recording's origin:\n${wrong.join("\n")}`);
});
