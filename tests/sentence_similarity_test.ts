import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import {
  rankSentences,
  SENTENCE_SIMILARITY_MODEL,
  sentenceSimilarity,
  type SentenceSimilarityInputs,
  type SentenceSimilarityOptions,
} from "../lib/tasks/sentence_similarity.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

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

const stub = (answer: unknown) => taskFetch(TASK, answer);

Deno.test("sentenceSimilarity() returns the recorded scores, one per sentence, from recordings/ only", async () => {
  const scores = await fromRecordings((replay) => sentenceSimilarity(ENGLISH, replay));
  assert.equal(scores.length, ENGLISH.sentences.length);
  assert.deepEqual(rankSentences(ENGLISH, scores).map((r) => r.sentence).slice(0, 2), [
    "I forgot my password and can't log in.",
    "Steps to change the password of my account",
  ]);
});

Deno.test("sentenceSimilarity() replays the notebook's Chinese example with the multilingual model", async () => {
  const inputs = {
    source_sentence: "我想退貨，請問要怎麼辦理？",
    sentences: ["如何申請退款？", "商品退換貨流程說明", "你們的營業時間是幾點到幾點？", "今天天氣很好。"],
  };
  const scores = await fromRecordings((replay) =>
    sentenceSimilarity(inputs, {
      ...replay,
      model: "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
    })
  );
  assert.equal(rankSentences(inputs, scores)[0]?.sentence, "商品退換貨流程說明");
});

Deno.test("sentenceSimilarity() posts {inputs: {source_sentence, sentences}} to .../pipeline/sentence-similarity", async () => {
  const hub = stub([0.5, 0.9, 0.1]);
  const model = uniqueModel("similarity");
  await sentenceSimilarity(HAPPY, liveOptions(hub.fetch, model));
  const call = hub.calls.find((c) => c.method === "POST");
  assert.equal(
    call?.url,
    `https://router.huggingface.co/hf-inference/models/${model}/pipeline/sentence-similarity`,
  );
  assert.deepEqual(JSON.parse(call?.body ?? ""), { inputs: HAPPY });
});

Deno.test("sentenceSimilarity() uses all-MiniLM-L6-v2 when no model is named", async () => {
  const hub = stub([0.5, 0.9, 0.1]);
  await sentenceSimilarity(HAPPY, { ...LIVE, fetch: hub.fetch });
  assert.equal(SENTENCE_SIMILARITY_MODEL, "sentence-transformers/all-MiniLM-L6-v2");
  assert.match(
    hub.calls.at(-1)?.url ?? "",
    /models\/sentence-transformers\/all-MiniLM-L6-v2\/pipeline\/sentence-similarity$/,
  );
});

Deno.test("sentenceSimilarity() throws HfOutputError when the scores do not match the sentences", async () => {
  await assert.rejects(
    sentenceSimilarity(HAPPY, liveOptions(stub([0.5, 0.9]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /2 scores for 3 sentences/.test(error.message),
  );
  await assert.rejects(
    sentenceSimilarity(HAPPY, liveOptions(stub([[0.5], [0.9], [0.1]]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /sentence-similarity answer/.test(error.message),
  );
});

Deno.test({
  name: "sentenceSimilarity() parses every real hf-inference sentence-similarity success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: { atLeast: 16 },
      call: (live) => sentenceSimilarity(HAPPY, live),
      expect: (scores, c) => {
        assert.equal((c.responseBody as number[]).length, HAPPY.sentences.length);
        assert.deepEqual(scores, c.responseBody, c.where);
      },
    });
  },
});

Deno.test({
  name:
    "sentenceSimilarity() turns every real hf-inference sentence-similarity error into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: { atLeast: 3 }, // the 2 recorded 400s and the 503
      route: (model) => `/hf-inference/models/${model}/pipeline/sentence-similarity`,
      call: (live) => sentenceSimilarity(HAPPY, live),
      expect: (error, c) => {
        const envelope = JSON.parse(c.responseBodyRaw ?? "{}") as { error: string | string[] };
        const expected = Array.isArray(envelope.error) ? envelope.error.join("; ") : envelope.error;
        // a list envelope too: @huggingface/inference alone says only "an HTTP error occurred"
        assert.equal(error.serviceMessage, expected);
        assert.ok(error.message.endsWith(expected));
        assert.equal(error.attempts, c.status === 503 ? 3 : 1);
      },
    });
  },
});

Deno.test("sentenceSimilarity() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot compare sentences: ",
    call: (inputs: unknown, options: SentenceSimilarityOptions | undefined, live) =>
      sentenceSimilarity(inputs as SentenceSimilarityInputs, { ...live, ...options }),
    cases: [
      ["no inputs", undefined, undefined, TypeError, /"inputs" must be an object, got undefined/],
      [
        "a string",
        "That is a happy person",
        undefined,
        TypeError,
        /"inputs" must be an object, got a string/,
      ],
      [
        "sourceSentence, the misspelling the service answers 400 to",
        { sourceSentence: "That is a happy person", sentences: ["That is a happy dog"] },
        undefined,
        TypeError,
        /"inputs" has no field "sourceSentence"; known: source_sentence, sentences/,
      ],
      [
        "no source_sentence",
        { sentences: ["a"] },
        undefined,
        TypeError,
        /"inputs.source_sentence" must be a non-empty string, got undefined/,
      ],
      [
        "a blank source_sentence",
        { source_sentence: " ", sentences: ["a"] },
        undefined,
        TypeError,
        /"inputs.source_sentence" must be a non-empty string/,
      ],
      [
        "no sentences",
        { source_sentence: "a", sentences: [] },
        undefined,
        RangeError,
        /"inputs.sentences" must be a non-empty list of sentences, got 0/,
      ],
      [
        "sentences as one string",
        { source_sentence: "a", sentences: "b" },
        undefined,
        TypeError,
        /"inputs.sentences" must be a non-empty list of sentences, got a string/,
      ],
      [
        "a blank sentence",
        { source_sentence: "a", sentences: ["b", ""] },
        undefined,
        TypeError,
        /"inputs.sentences\[1\]" must be a non-empty string/,
      ],
      [
        "parameters",
        HAPPY,
        { parameters: { truncate: true } } as never,
        TypeError,
        /^Cannot compare sentences: "parameters.truncate" is not a parameter of sentence-similarity; it takes none/,
      ],
    ],
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
