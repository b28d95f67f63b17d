import assert from "node:assert/strict";
import {
  HfApiError,
  QUESTION_ANSWERING_MODEL,
  questionAnswering,
  type QuestionAnsweringOptions,
  type QuestionAnsweringOutput,
  type QuestionAnsweringOutputElement,
} from "../lib/mod.ts";
import { answerSpan } from "../lib/display/mod.ts";
import { HAS_REFERENCE, rejection, uniqueModel } from "./_helpers.ts";
import { NO_WAIT, type ReferenceCase, taskCalls, taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { startFakeHf } from "./fake_hf_server.ts";

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
  await fromRecordings(async (replay) => {
    assert.equal(QUESTION_ANSWERING_MODEL, "timpal0l/mdeberta-v3-base-squad2");
    for (const [i, question] of QUESTIONS.entries()) {
      const answer = await questionAnswering({ question, context }, replay);
      assert.equal(answer.answer, PUBLISHED[i]);
      assert.equal(Array.from(context).slice(answer.start, answer.end).join(""), answer.answer);
      assert.ok(answer.score > 0 && answer.score < 1);
    }
  });
});

Deno.test("questionAnswering() with top_k returns every answer, best first; without it, one", async () => {
  const context = await ep6Context();
  await fromRecordings(async (options) => {
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
});

Deno.test("questionAnswering() with handle_impossible_answer can say there is no answer", async () => {
  const context = await ep6Context();
  await fromRecordings(async (options) => {
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
    ...LIVE,
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
    /** The recorded input: `{inputs: {question, context}}`, or (one Hub cassette) the pair at the top level. */
    const recordedInput = (c: ReferenceCase) => {
      const body = c.requestBody as { inputs?: unknown; question?: string; context?: string } | null;
      const pair = (body?.inputs ?? body) as { question?: string; context?: string } | null;
      return pair?.question && pair.context
        ? { question: pair.question, context: pair.context }
        : { question: "What is the capital of France?", context: "The capital of France is Paris." };
    };
    await parsesEveryReferenceSuccess({
      task: "question-answering",
      count: { atLeast: 7 },
      call: (live, c) => questionAnswering(recordedInput(c), { ...live, model: c.model! }),
      expect: (output, c) => {
        assert.deepEqual(output, c.responseBody, c.where);
        assert.equal(recordedInput(c).context.slice(output.start, output.end), output.answer, c.where);
      },
    });
  },
});

Deno.test({
  name:
    "questionAnswering() surfaces every real question-answering error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "question-answering",
      count: { atLeast: 5 },
      call: (live) => questionAnswering({ question: "What's my name?", context: "My name is Clara." }, live),
    });
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
      ...LIVE,
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

Deno.test("questionAnswering() checks its input before any request", async (t) => {
  const ok = { question: "Who?", context: "Ann." };
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot answer the question: ",
    call: (input: unknown, parameters: QuestionAnsweringOptions["parameters"], live) =>
      questionAnswering(input as typeof ok, { ...live, parameters }),
    cases: [
      ["a string", "Who?", undefined, TypeError, /"input" must be an object, got a string/],
      ["no context", { question: "Who?" }, undefined, TypeError, /"context" must be a non-empty/],
      ["a blank question", { question: " ", context: "Ann." }, undefined, TypeError, /"question"/],
      ["a blank context", { question: "Who?", context: "" }, undefined, TypeError, /"context"/],
      [
        "a misspelt field",
        { ...ok, contxt: "x" },
        undefined,
        TypeError,
        /"input" has no parameter "contxt"/,
      ],
      [
        "top_k 0",
        ok,
        { top_k: 0 },
        RangeError,
        /"parameters.top_k" must be a whole number of at least 1, got 0/,
      ],
      ["max_seq_len 1.5", ok, { max_seq_len: 1.5 }, RangeError, /"parameters.max_seq_len"/],
      [
        "handle_impossible_answer as text",
        ok,
        { handle_impossible_answer: "yes" as never },
        TypeError,
        /"parameters.handle_impossible_answer" must be true or false/,
      ],
      [
        "a misspelt parameter",
        ok,
        { topk: 3 } as never,
        TypeError,
        /"parameters.topk" is not a parameter of/,
      ],
    ],
  });
});
