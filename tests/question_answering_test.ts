import assert from "node:assert/strict";
import {
  answerSpan,
  HfApiError,
  QUESTION_ANSWERING_MODEL,
  questionAnswering,
  type QuestionAnsweringOutput,
  type QuestionAnsweringOutputElement,
} from "../lib/mod.ts";
import { CLEAN_ENV, countingFetch, HAS_REFERENCE, rejection, uniqueModel, withEnv } from "./_helpers.ts";
import {
  errorTexts,
  NO_WAIT,
  referenceErrors,
  referenceSuccesses,
  taskCalls,
  taskFetch,
} from "./_reference_tasks.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const live = { mode: "live" as const, accessToken: "hf_test" };

/** Ep.6's context, as the recording holds it (read from the recording, so it is the notebook's exact text). */
async function ep6Context(): Promise<string> {
  const file = JSON.parse(
    await Deno.readTextFile(new URL("../recordings/question-answering.json", import.meta.url)),
  );
  return file.interactions[1].request.body.inputs.context;
}

const QUESTIONS = ["請問Google的主要產品是什麼?", "請問創始人是誰?", "請問什麼時候開始的?"];
/** The answers the series' notebook printed. */
const PUBLISHED = [
  "平台Google Ads為廣告客戶提供了廣告投放和行銷解決方案，並通過廣告收入成為Google的主要盈利來源之一。",
  "\nGoogle在全球範圍內擁有廣泛的影響力和使用者基礎。其創始人之一拉里·佩奇（Larry",
  "Google是一家全球知名的科技公司，成立於1998年，總部位於美國加利福尼亞州的山景城。Google以其在搜尋引擎技術方面的卓越表現而聞名，早期推出的Google搜尋引擎迅速成為全球最受歡迎和廣泛使用的搜尋引擎之一。",
];

Deno.test("questionAnswering() replays Ep.6's three answers, each pointing at itself in the context", async () => {
  const context = await ep6Context();
  assert.ok(context.startsWith("Google是一家全球知名的科技公司") && context.includes("\n\n"));
  const network = countingFetch();
  await withEnv(CLEAN_ENV, async () => {
    assert.equal(QUESTION_ANSWERING_MODEL, "timpal0l/mdeberta-v3-base-squad2");
    for (const [i, question] of QUESTIONS.entries()) {
      const answer = await questionAnswering({ question, context }, { mode: "replay", fetch: network.fetch });
      assert.equal(answer.answer, PUBLISHED[i]);
      assert.equal(Array.from(context).slice(answer.start, answer.end).join(""), answer.answer);
      assert.ok(answer.score > 0 && answer.score < 1);
    }
  });
  assert.equal(network.calls.length, 0);
});

Deno.test("questionAnswering() with top_k returns every answer, best first; without it, one", async () => {
  const context = await ep6Context();
  const network = countingFetch();
  await withEnv(CLEAN_ENV, async () => {
    const options = { mode: "replay" as const, fetch: network.fetch };
    const ranked: QuestionAnsweringOutput = await questionAnswering(
      { question: QUESTIONS[1]!, context },
      { ...options, parameters: { top_k: 3 } },
    );
    assert.equal(ranked.length, 3);
    assert.equal(ranked[0]?.answer, PUBLISHED[1]);
    assert.deepEqual(ranked.map((a) => a.score), [...ranked.map((a) => a.score)].sort((a, b) => b - a));
    for (const a of ranked) assert.equal(context.slice(a.start, a.end), a.answer);
    const best: QuestionAnsweringOutputElement = await questionAnswering(
      { question: QUESTIONS[1]!, context },
      options,
    );
    assert.deepEqual(best, ranked[0]);
    assert.match(String(answerSpan(context, ranked)), /^1\. +Google在全球範圍內/);
  });
  assert.equal(network.calls.length, 0);
});

Deno.test("questionAnswering() with handle_impossible_answer can say there is no answer", async () => {
  const context = await ep6Context();
  await withEnv(CLEAN_ENV, async () => {
    const options = { mode: "replay" as const, fetch: countingFetch().fetch };
    const question = "請問Google的股價是多少?";
    const forced = await questionAnswering({ question, context }, options);
    assert.notEqual(forced.answer, "");
    const none = await questionAnswering({ question, context }, {
      ...options,
      parameters: { handle_impossible_answer: true },
    });
    assert.deepEqual({ ...none, score: 0 }, { answer: "", start: 0, end: 0, score: 0 });
  });
});

Deno.test("questionAnswering() wraps a single answer in a list when top_k is given, even top_k: 1", async () => {
  const one = { answer: "Paris", score: 0.97, start: 25, end: 30 };
  const network = taskFetch("question-answering", one);
  const input = { question: "What is the capital of France?", context: "The capital of France is Paris." };
  const list = await questionAnswering(input, {
    ...live,
    model: uniqueModel("squad2"),
    fetch: network.fetch,
    parameters: { top_k: 1, max_answer_len: 5, align_to_words: false },
  });
  assert.deepEqual(list, [one]);
  assert.deepEqual(taskCalls(network)[0]?.body, {
    inputs: input,
    parameters: { top_k: 1, max_answer_len: 5, align_to_words: false },
  });
});

Deno.test({
  name: "questionAnswering() parses every real hf-inference question-answering answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = await referenceSuccesses("question-answering");
    assert.ok(cases.length > 0);
    let parsed = 0;
    for (const c of cases) {
      // The recorded input: `{inputs: {question, context}}`, or (one Hub cassette) the pair at the top level.
      const body = c.requestBody as { inputs?: unknown; question?: string; context?: string } | null;
      const pair = (body?.inputs ?? body) as { question?: string; context?: string } | null;
      const input = pair?.question && pair.context
        ? { question: pair.question, context: pair.context }
        : { question: "What is the capital of France?", context: "The capital of France is Paris." };
      const network = taskFetch("question-answering", c.responseBody);
      const output = await questionAnswering(input, { ...live, model: c.model!, fetch: network.fetch });
      assert.deepEqual(output, c.responseBody, c.where);
      assert.equal(input.context.slice(output.start, output.end), output.answer, c.where);
      parsed++;
    }
    assert.equal(parsed, cases.length);
    console.log(`question-answering: parsed ${parsed} of ${cases.length} real hf-inference answers`);
  },
});

Deno.test({
  name:
    "questionAnswering() surfaces every real question-answering error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = await referenceErrors("question-answering");
    assert.ok(errors.length > 0);
    await using fake = await startFakeHf();
    let surfaced = 0;
    for (const c of errors) {
      const model = uniqueModel("squad2");
      fake.setModelTask(model, "question-answering");
      fake.on(`/hf-inference/models/${model}`, {
        status: c.status,
        headers: { "content-type": "application/json" },
        text: c.responseBodyRaw!,
      });
      const error = await rejection(
        questionAnswering({ question: "What's my name?", context: "My name is Clara." }, {
          ...live,
          model,
          fetch: fake.fetch,
          retry: NO_WAIT,
        }),
      );
      assert.ok(error instanceof HfApiError, c.where);
      assert.equal(error.status, c.status);
      for (const text of errorTexts(c.responseBodyRaw!)) {
        assert.ok(error.serviceMessage.includes(text), c.where);
      }
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
    console.log(`question-answering: surfaced ${surfaced} of ${errors.length} real error answers`);
  },
});

Deno.test("questionAnswering() shows the message of a 400 whose error is a list, not a generic one", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("squad2");
  fake.setModelTask(model, "question-answering");
  fake.on(`/hf-inference/models/${model}`, {
    status: 400,
    json: { error: ["Error in `inputs.context`: field required"] },
  });
  const error = await rejection(
    questionAnswering({ question: "What's my name?", context: "My name is Clara." }, {
      ...live,
      model,
      fetch: fake.fetch,
      retry: NO_WAIT,
    }),
  );
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 400);
  assert.equal(error.serviceMessage, "Error in `inputs.context`: field required");
  assert.equal(fake.requests.filter((r) => r.method === "POST").length, 1, "a 400 is not retried");
});

Deno.test("questionAnswering() checks its input before any request", async () => {
  const network = countingFetch();
  const options = { ...live, model: uniqueModel(), fetch: network.fetch };
  const ok = { question: "Who?", context: "Ann." };
  const bad: [() => Promise<unknown>, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
    [() => questionAnswering("Who?" as never, options), TypeError, /"input" must be an object, got a string/],
    [
      () => questionAnswering({ question: "Who?" } as never, options),
      TypeError,
      /"context" must be a non-empty/,
    ],
    [() => questionAnswering({ question: " ", context: "Ann." }, options), TypeError, /"question"/],
    [() => questionAnswering({ question: "Who?", context: "" }, options), TypeError, /"context"/],
    [
      () => questionAnswering({ ...ok, contxt: "x" } as never, options),
      TypeError,
      /"input" has no parameter "contxt"/,
    ],
    [
      () => questionAnswering(ok, { ...options, parameters: { top_k: 0 } }),
      RangeError,
      /"parameters.top_k" must be a whole number of at least 1, got 0/,
    ],
    [
      () => questionAnswering(ok, { ...options, parameters: { max_seq_len: 1.5 } }),
      RangeError,
      /"parameters.max_seq_len"/,
    ],
    [
      () => questionAnswering(ok, { ...options, parameters: { handle_impossible_answer: "yes" as never } }),
      TypeError,
      /"parameters.handle_impossible_answer" must be true or false/,
    ],
    [
      () => questionAnswering(ok, { ...options, parameters: { topk: 3 } as never }),
      TypeError,
      /"parameters" has no parameter "topk"/,
    ],
  ];
  for (const [call, type, message] of bad) {
    const error = await rejection(call());
    assert.ok(error instanceof type, `${error.name}: ${error.message}`);
    assert.match(error.message, /^Cannot answer the question: /);
    assert.match(error.message, message);
  }
  assert.equal(network.calls.length, 0);
});
