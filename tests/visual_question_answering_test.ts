/**
 * visualQuestionAnswering(): huggingface.js's test picture and question on
 * their recorded answers, what is sent, every answer kept, every real
 * recorded answer, input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import {
  VISUAL_QUESTION_ANSWERING_MODEL,
  visualQuestionAnswering,
  type VisualQuestionAnsweringOptions,
} from "../lib/tasks/visual_question_answering.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, EN_WAV, PICTURE } from "./_media_fixtures.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
} from "./_task_contract.ts";

const TASK = "visual-question-answering";
const CATS_PATH = new URL("../notebooks/assets/upstream/cats.png", import.meta.url).pathname;
const QUESTION = "How many cats are lying down?";
const ANSWERS = [{ answer: "apple", score: 0.81 }, { answer: "orange", score: 0.07 }];

Deno.test("visualQuestionAnswering() replays huggingface.js's recorded answers about its cats, from recordings/ only", async () => {
  const answers = await fromRecordings((replay) =>
    visualQuestionAnswering({ image: CATS_PATH, question: QUESTION }, replay)
  );
  assert.deepEqual(answers.map((a) => a.answer), ["2", "3", "1", "4", "5"]);
  assert.ok(answers.every((a, i) => i === 0 || a.score <= answers[i - 1]!.score), "best first");
  assert.equal(provenanceOf(answers)?.kind, "upstream");
});

Deno.test("visualQuestionAnswering() sends {inputs: {question, image: base64}, parameters} and keeps every answer", async () => {
  const hub = mediaFetch(TASK, { json: ANSWERS });
  const model = uniqueModel("vilt");
  const answers = await visualQuestionAnswering(
    { image: new Blob([PICTURE as Uint8Array<ArrayBuffer>]), question: "What fruit is it?" },
    { ...liveOptions(hub.fetch, model), parameters: { top_k: 2 } },
  );
  assert.deepEqual(answers, ANSWERS, "the library alone keeps only the first");
  const [call] = hub.posts();
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(JSON.parse(call!.text), {
    inputs: { question: "What fruit is it?", image: base64(PICTURE) },
    parameters: { top_k: 2 },
  });
});

Deno.test("visualQuestionAnswering() uses dandelin/vilt-b32-finetuned-vqa when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: ANSWERS });
  await visualQuestionAnswering({ image: PICTURE, question: "What fruit is it?" }, {
    ...LIVE,
    fetch: hub.fetch,
  });
  assert.equal(VISUAL_QUESTION_ANSWERING_MODEL, "dandelin/vilt-b32-finetuned-vqa");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/dandelin\/vilt-b32-finetuned-vqa$/);
});

Deno.test("visualQuestionAnswering() throws HfOutputError for an answer that is not answers", async () => {
  await assert.rejects(
    visualQuestionAnswering(
      { image: PICTURE, question: "What fruit is it?" },
      liveOptions(mediaFetch(TASK, { json: [{ label: "apple", score: 0.9 }] }).fetch),
    ),
    (error: unknown) =>
      error instanceof HfOutputError && /visual-question-answering answer/.test(error.message),
  );
});

Deno.test({
  name:
    "visualQuestionAnswering() parses every real hf-inference visual-question-answering success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 8, // 5 in interactions.json (cats), 3 in hub_cassettes.json (a woman)
      call: (live) => visualQuestionAnswering({ image: PICTURE, question: QUESTION }, live),
      expect: (answers, c) => {
        assert.deepEqual(answers, c.responseBody, c.where);
        assert.ok(answers.length === 5 && answers.every((a) => typeof a.answer === "string"), c.where);
      },
    });
  },
});

Deno.test("visualQuestionAnswering() checks its input before any request", async (t) => {
  const ok = { image: PICTURE, question: "What fruit is it?" };
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot answer the question about the image: ",
    call: (input: unknown, options: VisualQuestionAnsweringOptions | undefined, live) =>
      visualQuestionAnswering(input as typeof ok, { ...live, ...options }),
    cases: [
      [
        "a picture alone",
        PICTURE,
        undefined,
        TypeError,
        /"input" must be \{image, question\}, got a picture alone/,
      ],
      ["a path alone", "cats.png", undefined, TypeError, /"input" must be an object, got a string/],
      [
        "no question",
        { image: PICTURE },
        undefined,
        TypeError,
        /"question" must be a non-empty string, got undefined/,
      ],
      [
        "a blank question",
        { ...ok, question: "  " },
        undefined,
        TypeError,
        /"question" must be a non-empty string/,
      ],
      ["no image", { question: "Why?" }, undefined, TypeError, /"image" must be a picture: a file path/],
      [
        "a recording",
        { ...ok, image: EN_WAV },
        undefined,
        TypeError,
        /"image" must be an image in PNG.*, got audio \(WAV\)/,
      ],
      [
        "a misspelt field",
        { ...ok, picture: PICTURE },
        undefined,
        TypeError,
        /"input" has no parameter "picture"/,
      ],
      [
        "too large once base64",
        { ...ok, image: new Uint8Array(7_600_000) },
        undefined,
        RangeError,
        /"image" must be at most 10 MB as sent, got 7.6 MB \(10.1 MB as base64, which parameters need\)/,
      ],
      [
        "top_k 0",
        ok,
        { parameters: { top_k: 0 } },
        RangeError,
        /"parameters.top_k" must be a whole number of at least 1/,
      ],
      [
        "a misspelt parameter",
        ok,
        { parameters: { topk: 1 } as never },
        TypeError,
        /"parameters.topk" is not a parameter of visual-question-answering; did you mean "top_k"\?/,
      ],
    ],
  });
});
