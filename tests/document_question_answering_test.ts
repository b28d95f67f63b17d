/**
 * documentQuestionAnswering(): huggingface.js's test invoice and question on
 * their recorded answers (LayoutLM and Donut), what is sent, every answer
 * kept, every real recorded answer and error, input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import {
  DOCUMENT_QUESTION_ANSWERING_MODEL,
  documentQuestionAnswering,
  type DocumentQuestionAnsweringOptions,
} from "../lib/tasks/document_question_answering.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, EN_WAV } from "./_media_fixtures.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

const TASK = "document-question-answering";
const INVOICE_PATH = new URL("../notebooks/assets/upstream/invoice.png", import.meta.url).pathname;
const INVOICE = Deno.readFileSync(INVOICE_PATH);
const QUESTION = "Invoice number?";
const ANSWERS = [{ answer: "us-001", score: 0.6, start: 16, end: 16 }, {
  answer: "001",
  score: 0.1,
  start: 17,
  end: 17,
}];

Deno.test("documentQuestionAnswering() replays huggingface.js's recorded answers about its invoice, LayoutLM and Donut", async () => {
  const [layoutlm, donut] = await fromRecordings(async (replay) => [
    await documentQuestionAnswering({ image: INVOICE_PATH, question: QUESTION }, replay),
    await documentQuestionAnswering(
      { image: INVOICE, question: QUESTION },
      { ...replay, model: "naver-clova-ix/donut-base-finetuned-docvqa" },
    ),
  ]);
  assert.equal(layoutlm.length, 1);
  assert.equal(layoutlm[0]?.answer, "us-001");
  assert.equal(typeof layoutlm[0]?.score, "number");
  assert.deepEqual(donut, [{ answer: "us-001" }], "Donut generates its answer: no score, no word indexes");
  assert.equal(provenanceOf(layoutlm)?.kind, "upstream");
  assert.equal(provenanceOf(donut)?.kind, "upstream");
});

Deno.test("documentQuestionAnswering() sends {inputs: {question, image: base64}, parameters} and keeps every answer", async () => {
  const hub = mediaFetch(TASK, { json: ANSWERS });
  const model = uniqueModel("layoutlm");
  const parameters = { top_k: 2, lang: "eng", word_boxes: ["US-001", [10, 20, 110, 40]] };
  const answers = await documentQuestionAnswering(
    { image: new Blob([INVOICE as Uint8Array<ArrayBuffer>]), question: QUESTION },
    { ...liveOptions(hub.fetch, model), parameters },
  );
  assert.deepEqual(answers, ANSWERS, "the library alone keeps only the first");
  const [call] = hub.posts();
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(JSON.parse(call!.text), {
    inputs: { question: QUESTION, image: base64(INVOICE) },
    parameters,
  });
});

Deno.test("documentQuestionAnswering() uses impira/layoutlm-document-qa when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: ANSWERS });
  await documentQuestionAnswering({ image: INVOICE, question: QUESTION }, { ...LIVE, fetch: hub.fetch });
  assert.equal(DOCUMENT_QUESTION_ANSWERING_MODEL, "impira/layoutlm-document-qa");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/impira\/layoutlm-document-qa$/);
});

Deno.test("documentQuestionAnswering() throws HfOutputError for an answer that is not answers", async () => {
  await assert.rejects(
    documentQuestionAnswering(
      { image: INVOICE, question: QUESTION },
      liveOptions(mediaFetch(TASK, { json: { answer: "us-001" } }).fetch),
    ),
    (error: unknown) =>
      error instanceof HfOutputError && /document-question-answering answer/.test(error.message),
  );
});

Deno.test({
  name:
    "documentQuestionAnswering() parses every real hf-inference document-question-answering success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    let withoutScore = 0;
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 9, // 6 in interactions.json (the invoice), 3 in hub_cassettes.json (a purchase amount, Donut)
      call: (live) => documentQuestionAnswering({ image: INVOICE, question: QUESTION }, live),
      expect: (answers, c) => {
        assert.deepEqual(answers, c.responseBody, c.where);
        assert.ok(answers.length > 0 && answers.every((a) => typeof a.answer === "string"), c.where);
        if (answers[0]?.score === undefined) withoutScore++;
      },
    });
    assert.equal(withoutScore, 4, "Donut's 4 answers carry no score");
  },
});

Deno.test({
  name:
    "documentQuestionAnswering() turns the real 503s (Donut loading) into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: 3,
      call: (live) => documentQuestionAnswering({ image: INVOICE, question: QUESTION }, live),
      expect: (error) => {
        assert.equal(error.status, 503);
        assert.equal(
          error.serviceMessage,
          "Model naver-clova-ix/donut-base-finetuned-docvqa is currently loading",
        );
      },
    });
  },
});

Deno.test("documentQuestionAnswering() refuses a box of 3 numbers before any request: a box is [x0, y0, x1, y1]", async () => {
  const hub = mediaFetch(TASK, { json: ANSWERS });
  await assert.rejects(
    documentQuestionAnswering({ image: INVOICE, question: QUESTION }, {
      ...liveOptions(hub.fetch),
      parameters: { word_boxes: ["US-001", [1, 2, 3]] },
    }),
    (error: unknown) =>
      (error instanceof TypeError || error instanceof RangeError) &&
      /"parameters.word_boxes(\.1|\[1\])" must be .*, got an array of 3/.test(error.message),
  );
  assert.equal(hub.calls.length, 0);
});

Deno.test("documentQuestionAnswering() checks its input before any request", async (t) => {
  const ok = { image: INVOICE, question: QUESTION };
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot answer the question about the document: ",
    call: (input: unknown, options: DocumentQuestionAnsweringOptions | undefined, live) =>
      documentQuestionAnswering(input as typeof ok, { ...live, ...options }),
    cases: [
      [
        "a picture alone",
        INVOICE,
        undefined,
        TypeError,
        /"input" must be \{image, question\}, got a picture alone/,
      ],
      [
        "a blank question",
        { ...ok, question: "" },
        undefined,
        TypeError,
        /"question" must be a non-empty string/,
      ],
      [
        "a recording",
        { ...ok, image: EN_WAV },
        undefined,
        TypeError,
        /"image" must be an image in PNG.*, got audio \(WAV\)/,
      ],
      [
        "not an image",
        { ...ok, image: new TextEncoder().encode("%PDF-1.7") },
        undefined,
        TypeError,
        /got text "%PDF-1.7"/,
      ],
      ["a misspelt field", { ...ok, query: "x" }, undefined, TypeError, /"input" has no parameter "query"/],
      [
        "top_k 0",
        ok,
        { parameters: { top_k: 0 } },
        RangeError,
        /"parameters.top_k" must be a whole number of at least 1/,
      ],
      [
        "doc_stride -1",
        ok,
        { parameters: { doc_stride: -1 } },
        RangeError,
        /"parameters.doc_stride" must be a whole number of at least 0/,
      ],
      [
        "handle_impossible_answer as text",
        ok,
        { parameters: { handle_impossible_answer: "yes" as never } },
        TypeError,
        /"parameters.handle_impossible_answer" must be true or false/,
      ],
      [
        "lang as a number",
        ok,
        { parameters: { lang: 5 as never } },
        TypeError,
        /"parameters.lang" must be .*, got 5/,
      ],
      [
        "a number for a box",
        ok,
        { parameters: { word_boxes: ["US-001", 42 as never] } },
        TypeError,
        /"parameters.word_boxes(\.1|\[1\])" must be .*, got 42/,
      ],
      [
        "a misspelt parameter",
        ok,
        { parameters: { topk: 1 } as never },
        TypeError,
        /"parameters.topk" is not a parameter of document-question-answering; did you mean "top_k"\?/,
      ],
      [
        "a picture of no document",
        { ...ok, image: 42 },
        undefined,
        TypeError,
        /"image" must be a picture: a file path, a Uint8Array/,
      ],
    ],
  });
});
