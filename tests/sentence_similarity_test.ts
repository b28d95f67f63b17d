import assert from "node:assert/strict";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  rankSentences,
  SENTENCE_SIMILARITY_MODEL,
  sentenceSimilarity,
  type SentenceSimilarityInputs,
  type SentenceSimilarityOptions,
} from "../lib/tasks/sentence_similarity.ts";
import {
  CLEAN_ENV,
  countingFetch,
  HAS_REFERENCE,
  type ReferenceInteraction,
  referenceInteractions,
  type SeenCall,
  uniqueModel,
  withEnv,
} from "./_helpers.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "sentence-similarity";
const ENGLISH: SentenceSimilarityInputs = {
  source_sentence: "How do I reset my password?",
  sentences: [
    "I forgot my password and can't log in.",
    "What are your opening hours?",
    "Steps to change the password of my account",
    "The weather is nice today.",
  ],
};
const HAPPY: SentenceSimilarityInputs = {
  source_sentence: "That is a happy person",
  sentences: ["That is a happy dog", "That is a very happy person", "Today is a sunny day"],
};
const noSleep = { sleep: () => Promise.resolve() };

function stub(answer: unknown, task = TASK) {
  return countingFetch((call: SeenCall) => {
    const id = /\/api\/models\/([^?]+)/.exec(call.url)?.[1];
    return id
      ? Response.json({
        inferenceProviderMapping: { "hf-inference": { status: "live", providerId: id, task } },
      })
      : Response.json(answer);
  });
}

function live(fetch: typeof globalThis.fetch, model = uniqueModel("similarity")): SentenceSimilarityOptions {
  return { model, mode: "live", accessToken: "hf_test", fetch, retry: noSleep };
}

async function reference(status: "ok" | "error"): Promise<ReferenceInteraction[]> {
  const all = [
    ...await referenceInteractions("interactions.json"),
    ...await referenceInteractions("hub_cassettes.json"),
  ];
  return all.filter((r) =>
    r.task === TASK && r.provider === "hf-inference" &&
    (status === "ok" ? r.status === 200 && r.responseBodyKind === "json" : r.status >= 400)
  );
}

Deno.test("sentenceSimilarity() returns the recorded scores, one per sentence, from recordings/ only", async () => {
  const network = countingFetch();
  const scores = await withEnv(
    CLEAN_ENV,
    () => sentenceSimilarity(ENGLISH, { mode: "replay", fetch: network.fetch }),
  );
  assert.equal(scores.length, ENGLISH.sentences.length);
  assert.deepEqual(rankSentences(ENGLISH, scores).map((r) => r.sentence).slice(0, 2), [
    "I forgot my password and can't log in.",
    "Steps to change the password of my account",
  ]);
  assert.equal(network.calls.length, 0);
});

Deno.test("sentenceSimilarity() replays the notebook's Chinese example with the multilingual model", async () => {
  const inputs = {
    source_sentence: "我想退貨，請問要怎麼辦理？",
    sentences: ["如何申請退款？", "商品退換貨流程說明", "你們的營業時間是幾點到幾點？", "今天天氣很好。"],
  };
  const scores = await withEnv(CLEAN_ENV, () =>
    sentenceSimilarity(inputs, {
      model: "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
      mode: "replay",
    }));
  assert.equal(rankSentences(inputs, scores)[0]?.sentence, "商品退換貨流程說明");
});

Deno.test("sentenceSimilarity() posts {inputs: {source_sentence, sentences}} to .../pipeline/sentence-similarity", async () => {
  const hub = stub([0.5, 0.9, 0.1]);
  const model = uniqueModel("similarity");
  await sentenceSimilarity(HAPPY, live(hub.fetch, model));
  const call = hub.calls.find((c) => c.method === "POST");
  assert.equal(
    call?.url,
    `https://router.huggingface.co/hf-inference/models/${model}/pipeline/sentence-similarity`,
  );
  assert.deepEqual(JSON.parse(call?.body ?? ""), { inputs: HAPPY });
});

Deno.test("sentenceSimilarity() uses all-MiniLM-L6-v2 when no model is named", async () => {
  const hub = stub([0.5, 0.9, 0.1]);
  await sentenceSimilarity(HAPPY, { mode: "live", accessToken: "hf_test", fetch: hub.fetch });
  assert.equal(SENTENCE_SIMILARITY_MODEL, "sentence-transformers/all-MiniLM-L6-v2");
  assert.match(
    hub.calls.at(-1)?.url ?? "",
    /models\/sentence-transformers\/all-MiniLM-L6-v2\/pipeline\/sentence-similarity$/,
  );
});

Deno.test("sentenceSimilarity() throws HfOutputError when the scores do not match the sentences", async () => {
  await assert.rejects(
    sentenceSimilarity(HAPPY, live(stub([0.5, 0.9]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /2 scores for 3 sentences/.test(error.message),
  );
  await assert.rejects(
    sentenceSimilarity(HAPPY, live(stub([[0.5], [0.9], [0.1]]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /sentence-similarity answer/.test(error.message),
  );
});

Deno.test({
  name: "sentenceSimilarity() parses every real hf-inference sentence-similarity success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = await reference("ok");
    let parsed = 0;
    for (const recorded of successes) {
      const body = recorded.responseBody as number[];
      assert.equal(body.length, HAPPY.sentences.length);
      assert.deepEqual(await sentenceSimilarity(HAPPY, live(stub(body).fetch)), body);
      parsed++;
    }
    assert.ok(successes.length >= 16, `expected the 16 recorded successes, found ${successes.length}`);
    assert.equal(parsed, successes.length);
  },
});

Deno.test({
  name:
    "sentenceSimilarity() turns every real hf-inference sentence-similarity error into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = await reference("error");
    assert.ok(errors.length >= 3, `expected the 2 recorded 400s and the 503, found ${errors.length}`);
    let surfaced = 0;
    for (const recorded of errors) {
      await using fake = await startFakeHf();
      const model = uniqueModel("similarity");
      fake.setModelTask(model, TASK);
      fake.on(`/hf-inference/models/${model}/pipeline/sentence-similarity`, {
        status: recorded.status,
        headers: { "content-type": recorded.headers["content-type"] ?? "application/json" },
        text: recorded.responseBodyRaw ?? "",
      });
      const envelope = JSON.parse(recorded.responseBodyRaw ?? "{}") as { error: string | string[] };
      const expected = Array.isArray(envelope.error) ? envelope.error.join("; ") : envelope.error;
      await assert.rejects(sentenceSimilarity(HAPPY, live(fake.fetch, model)), (error: unknown) => {
        assert.ok(error instanceof HfApiError);
        assert.equal(error.status, recorded.status);
        // a list envelope too: @huggingface/inference alone says only "an HTTP error occurred"
        assert.equal(error.serviceMessage, expected);
        assert.ok(error.message.endsWith(expected));
        assert.equal(error.attempts, recorded.status === 503 ? 3 : 1);
        return true;
      });
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
  },
});

Deno.test("sentenceSimilarity() checks its input before any request", async (t) => {
  const bad: [string, unknown, RegExp, ErrorConstructor][] = [
    ["no inputs", undefined, /"inputs" must be an object, got undefined/, TypeError],
    ["a string", "That is a happy person", /"inputs" must be an object, got a string/, TypeError],
    [
      "sourceSentence, the misspelling the service answers 400 to",
      { sourceSentence: "That is a happy person", sentences: ["That is a happy dog"] },
      /"inputs" has no field "sourceSentence"; known: source_sentence, sentences/,
      TypeError,
    ],
    [
      "no source_sentence",
      { sentences: ["a"] },
      /"inputs.source_sentence" must be a non-empty string, got undefined/,
      TypeError,
    ],
    [
      "a blank source_sentence",
      { source_sentence: " ", sentences: ["a"] },
      /"inputs.source_sentence" must be a non-empty string/,
      TypeError,
    ],
    [
      "no sentences",
      { source_sentence: "a", sentences: [] },
      /"inputs.sentences" must be a non-empty list of sentences, got 0/,
      RangeError,
    ],
    [
      "sentences as one string",
      { source_sentence: "a", sentences: "b" },
      /"inputs.sentences" must be a non-empty list of sentences, got a string/,
      TypeError,
    ],
    [
      "a blank sentence",
      { source_sentence: "a", sentences: ["b", ""] },
      /"inputs.sentences\[1\]" must be a non-empty string/,
      TypeError,
    ],
  ];
  for (const [what, inputs, message, type] of bad) {
    await t.step(what, async () => {
      const network = countingFetch();
      await assert.rejects(
        sentenceSimilarity(inputs as SentenceSimilarityInputs, live(network.fetch)),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
      );
      assert.equal(network.calls.length, 0);
    });
  }
  await t.step("parameters", async () => {
    const network = countingFetch();
    const options = {
      ...live(network.fetch),
      parameters: { truncate: true },
    } as unknown as SentenceSimilarityOptions;
    await assert.rejects(sentenceSimilarity(HAPPY, options), {
      name: "TypeError",
      message: 'Cannot compare sentences: sentence-similarity takes no "parameters"',
    });
    assert.equal(network.calls.length, 0);
  });
});

Deno.test("rankSentences() orders the sentences by score and checks the scores fit", () => {
  assert.deepEqual(rankSentences(HAPPY, [0.66, 0.94, 0.23]), [
    { rank: 1, sentence: "That is a very happy person", score: 0.94 },
    { rank: 2, sentence: "That is a happy dog", score: 0.66 },
    { rank: 3, sentence: "Today is a sunny day", score: 0.23 },
  ]);
  assert.throws(() => rankSentences(HAPPY, [0.5]), {
    name: "RangeError",
    message: 'Cannot rank sentences: "scores" must hold one score per sentence (3), got 1',
  });
});
