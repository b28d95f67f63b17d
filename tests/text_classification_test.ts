import assert from "node:assert/strict";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  TEXT_CLASSIFICATION_MODEL,
  textClassification,
  type TextClassificationOptions,
} from "../lib/tasks/text_classification.ts";
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

const TASK = "text-classification";
const REVIEW = "A beautiful, moving film. The cast gives it everything and the score is gorgeous.";
const noSleep = { sleep: () => Promise.resolve() };

/** A stand-in Hub and router: the mapping look-up, then `answer` for the task call. */
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

function live(fetch: typeof globalThis.fetch, model = uniqueModel("sentiment")): TextClassificationOptions {
  return { model, mode: "live", accessToken: "hf_test", fetch, retry: noSleep };
}

/** The real hf-inference interactions of this task in ../shared/reference/hf-recorded. */
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

Deno.test("textClassification() returns the recorded labels of a review, from recordings/ only", async () => {
  const network = countingFetch();
  const labels = await withEnv(
    CLEAN_ENV,
    () => textClassification(REVIEW, { mode: "replay", fetch: network.fetch }),
  );
  assert.deepEqual(labels, [{ label: "POSITIVE", score: 0.999668 }, { label: "NEGATIVE", score: 0.000332 }]);
  assert.equal(network.calls.length, 0);
});

Deno.test("textClassification() replays the notebook's function_to_apply answers consistently", async () => {
  const review = "The first half drags, but the ending is worth the wait.";
  const scores = async (fn: "softmax" | "sigmoid" | "none") => {
    const labels = await withEnv(
      CLEAN_ENV,
      () => textClassification(review, { mode: "replay", parameters: { function_to_apply: fn } }),
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
    ...live(hub.fetch, model),
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
  await textClassification(REVIEW, { mode: "live", accessToken: "hf_test", fetch: hub.fetch });
  assert.equal(TEXT_CLASSIFICATION_MODEL, "distilbert/distilbert-base-uncased-finetuned-sst-2-english");
  assert.equal(
    hub.calls.at(-1)?.url,
    "https://router.huggingface.co/hf-inference/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english",
  );
});

Deno.test("textClassification() reads a flat [{label, score}] list, as a text-embeddings-inference endpoint answers", async () => {
  const flat = [{ label: "admiration", score: 0.81 }, { label: "joy", score: 0.12 }];
  assert.deepEqual(await textClassification(REVIEW, live(stub(flat).fetch)), flat);
});

Deno.test("textClassification() throws HfOutputError for an answer that is not labels", async () => {
  await assert.rejects(
    textClassification(REVIEW, live(stub([{ summary_text: "not a classification" }]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /text-classification answer/.test(error.message),
  );
});

Deno.test({
  name: "textClassification() parses every real hf-inference text-classification success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = await reference("ok");
    let parsed = 0;
    for (const recorded of successes) {
      const body = recorded.responseBody as unknown[][];
      const labels = await textClassification("I like you. I love you.", live(stub(body).fetch));
      assert.deepEqual(labels, body[0]);
      parsed++;
    }
    assert.ok(successes.length >= 13, `expected the 13 recorded successes, found ${successes.length}`);
    assert.equal(parsed, successes.length);
  },
});

Deno.test({
  name:
    "textClassification() turns every real hf-inference text-classification error into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = await reference("error");
    assert.ok(errors.length >= 3, `expected the 3 recorded 503s, found ${errors.length}`);
    let surfaced = 0;
    for (const recorded of errors) {
      await using fake = await startFakeHf();
      const model = uniqueModel("sentiment");
      fake.setModelTask(model, TASK);
      fake.on(`/hf-inference/models/${model}`, {
        status: recorded.status,
        headers: { "content-type": recorded.headers["content-type"] ?? "application/json" },
        text: recorded.responseBodyRaw ?? "",
      });
      const expected = (JSON.parse(recorded.responseBodyRaw ?? "{}") as { error: string }).error;
      await assert.rejects(textClassification(REVIEW, live(fake.fetch, model)), (error: unknown) => {
        assert.ok(error instanceof HfApiError);
        assert.equal(error.status, recorded.status);
        assert.equal(error.serviceMessage, expected);
        assert.match(error.message, /is currently loading/);
        assert.match(error.hint, /deno task hf check/);
        return true;
      });
      // 503 may be permanent: a few attempts, then the error
      assert.equal(fake.requests.filter((r) => r.method === "POST").length, 3);
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
  },
});

Deno.test("textClassification() checks its input before any request", async (t) => {
  const bad: [
    string,
    unknown,
    TextClassificationOptions["parameters"] | unknown,
    RegExp,
    ErrorConstructor,
  ][] = [
    ["a number", 42, undefined, /"inputs" must be a non-empty string, got 42/, TypeError],
    ["a blank text", "   ", undefined, /"inputs" must be a non-empty string/, TypeError],
    ["parameters that are not an object", REVIEW, [1], /"parameters" must be an object/, TypeError],
    ["a misspelt parameter", REVIEW, { topk: 2 }, /"parameters" has no parameter "topk"/, TypeError],
    [
      "an unknown function_to_apply",
      REVIEW,
      { function_to_apply: "relu" },
      /"parameters.function_to_apply" must be one of sigmoid, softmax, none, got "relu"/,
      RangeError,
    ],
    [
      "top_k 0",
      REVIEW,
      { top_k: 0 },
      /"parameters.top_k" must be a whole number of at least 1, got 0/,
      RangeError,
    ],
    ["top_k 1.5", REVIEW, { top_k: 1.5 }, /"parameters.top_k" must be a whole number/, RangeError],
    ["top_k as text", REVIEW, { top_k: "3" }, /"parameters.top_k" must be a number/, TypeError],
  ];
  for (const [what, inputs, parameters, message, type] of bad) {
    await t.step(what, async () => {
      const network = countingFetch();
      await assert.rejects(
        textClassification(inputs as string, {
          ...live(network.fetch),
          ...(parameters === undefined ? {} : { parameters: parameters as never }),
        }),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
      );
      assert.equal(network.calls.length, 0);
    });
  }
});
