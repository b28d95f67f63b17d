import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { TEXT_CLASSIFICATION_MODEL, textClassification } from "../lib/tasks/text_classification.ts";
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

const TASK = "text-classification";
const REVIEW = "A beautiful, moving film. The cast gives it everything and the score is gorgeous.";

/** A stand-in Hub and router: the mapping look-up, then `answer` for the task call. */
const stub = (answer: unknown) => taskFetch(TASK, answer);

Deno.test("textClassification() returns the recorded labels of a review, from recordings/ only", async () => {
  const labels = await fromRecordings((replay) => textClassification(REVIEW, replay));
  assert.deepEqual(labels, [{ label: "POSITIVE", score: 0.999668 }, { label: "NEGATIVE", score: 0.000332 }]);
});

Deno.test("textClassification() replays the notebook's function_to_apply answers consistently", async () => {
  const review = "The first half drags, but the ending is worth the wait.";
  const scores = async (fn: "softmax" | "sigmoid" | "none") => {
    const labels = await fromRecordings((replay) =>
      textClassification(review, { ...replay, parameters: { function_to_apply: fn } })
    );
    return Object.fromEntries(labels.map(({ label, score }) => [label, score]));
  };
  const logits = await scores("none");
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const softmax = await scores("softmax");
  assert.ok(Math.abs(softmax.POSITIVE! - sigmoid(logits.POSITIVE! - logits.NEGATIVE!)) < 1e-5);
  const independent = await scores("sigmoid");
  assert.ok(Math.abs(independent.NEGATIVE! - sigmoid(logits.NEGATIVE!)) < 1e-5);
});

Deno.test("textClassification() sends the text and parameters to the model's hf-inference URL", async () => {
  const hub = stub([[{ label: "POSITIVE", score: 0.9 }]]);
  const model = uniqueModel("sentiment");
  await textClassification(REVIEW, {
    ...liveOptions(hub.fetch, model),
    parameters: { top_k: 1, function_to_apply: "sigmoid" },
  });
  const call = hub.calls.find((c) => c.method === "POST");
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(JSON.parse(call?.body ?? ""), {
    inputs: REVIEW,
    parameters: { top_k: 1, function_to_apply: "sigmoid" },
  });
});

Deno.test("textClassification() uses distilbert SST-2 when no model is named", async () => {
  const hub = stub([[{ label: "POSITIVE", score: 0.9 }]]);
  await textClassification(REVIEW, { ...LIVE, fetch: hub.fetch });
  assert.equal(TEXT_CLASSIFICATION_MODEL, "distilbert/distilbert-base-uncased-finetuned-sst-2-english");
  assert.equal(
    hub.calls.at(-1)?.url,
    "https://router.huggingface.co/hf-inference/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english",
  );
});

Deno.test("textClassification() reads a flat [{label, score}] list, as a text-embeddings-inference endpoint answers", async () => {
  const flat = [{ label: "admiration", score: 0.81 }, { label: "joy", score: 0.12 }];
  assert.deepEqual(await textClassification(REVIEW, liveOptions(stub(flat).fetch)), flat);
});

Deno.test("textClassification() throws HfOutputError for an answer that is not labels", async () => {
  await assert.rejects(
    textClassification(REVIEW, liveOptions(stub([{ summary_text: "not a classification" }]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /text-classification answer/.test(error.message),
  );
});

Deno.test({
  name: "textClassification() parses every real hf-inference text-classification success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: { atLeast: 13 },
      call: (live) => textClassification("I like you. I love you.", live),
      expect: (labels, c) => assert.deepEqual(labels, (c.responseBody as unknown[][])[0], c.where),
    });
  },
});

Deno.test({
  name:
    "textClassification() turns every real hf-inference text-classification error into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: { atLeast: 3 }, // the 3 recorded 503s
      call: (live) => textClassification(REVIEW, live),
      expect: (error, c, posts) => {
        assert.equal(
          error.serviceMessage,
          (JSON.parse(c.responseBodyRaw ?? "{}") as { error: string }).error,
        );
        assert.match(error.message, /is currently loading/);
        assert.match(error.hint, /deno task hf check/);
        assert.equal(posts, 3, "503 may be permanent: a few attempts, then the error");
      },
    });
  },
});

Deno.test("textClassification() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot classify text: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      textClassification(inputs as string, { ...live, parameters: parameters as never }),
    cases: [
      ["a number", 42, undefined, TypeError, /"inputs" must be a non-empty string, got 42/],
      ["a blank text", "   ", undefined, TypeError, /"inputs" must be a non-empty string/],
      ["parameters that are not an object", REVIEW, [1], TypeError, /"parameters" must be an object/],
      [
        "a misspelt parameter",
        REVIEW,
        { topk: 2 },
        TypeError,
        /"parameters.topk" is not a parameter of text-classification; did you mean "top_k"\?/,
      ],
      [
        "an unknown function_to_apply",
        REVIEW,
        { function_to_apply: "relu" },
        RangeError,
        /"parameters.function_to_apply" must be one of sigmoid, softmax, none, got "relu"/,
      ],
      [
        "top_k 0",
        REVIEW,
        { top_k: 0 },
        RangeError,
        /"parameters.top_k" must be a whole number of at least 1, got 0/,
      ],
      ["top_k 1.5", REVIEW, { top_k: 1.5 }, RangeError, /"parameters.top_k" must be a whole number/],
      [
        "top_k as text",
        REVIEW,
        { top_k: "3" },
        TypeError,
        /"parameters.top_k" must be a whole number, got a string/,
      ],
    ],
  });
});
