/**
 * zeroShotImageClassification(): the project's picture against three captions
 * on its recording, the JSON it sends, every real recorded answer, input checks.
 */
import assert from "node:assert/strict";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  ZERO_SHOT_IMAGE_CLASSIFICATION_MODEL,
  zeroShotImageClassification,
  type ZeroShotImageClassificationOptions,
} from "../lib/tasks/zero_shot_image_classification.ts";
import { countingFetch, HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, PICTURE } from "./_media_fixtures.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
} from "./_task_contract.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "zero-shot-image-classification";
const LABELS = ["a cat on a sofa", "an apple on a window", "a city street at night"];

/** Live options against `fetch`, with the three captions as candidate labels. */
function labelled(
  fetch: typeof globalThis.fetch,
  model = uniqueModel("clip"),
): ZeroShotImageClassificationOptions {
  return { ...liveOptions(fetch, model), parameters: { candidate_labels: LABELS } };
}

Deno.test("zeroShotImageClassification() replays the picture's scores, best first, from recordings/ only", async () => {
  const scores = await fromRecordings((replay) =>
    zeroShotImageClassification(PICTURE, { ...replay, parameters: { candidate_labels: LABELS } })
  );
  assert.deepEqual(scores.map((s) => s.label), [
    "an apple on a window",
    "a city street at night",
    "a cat on a sofa",
  ]);
  assert.ok(Math.abs(scores.reduce((sum, s) => sum + s.score, 0) - 1) < 1e-9);
});

Deno.test("zeroShotImageClassification() sends {inputs: {image: base64}, parameters}, as the library builds it", async () => {
  const hub = mediaFetch(TASK, {
    json: [{ label: "a cat on a sofa", score: 0.1 }, { label: "an apple on a window", score: 0.9 }],
  });
  const model = uniqueModel("clip");
  const scores = await zeroShotImageClassification(PICTURE, {
    ...labelled(hub.fetch, model),
    parameters: { candidate_labels: LABELS, hypothesis_template: "A drawing of {}." },
  });
  assert.equal(scores[0]?.label, "an apple on a window", "sorted, best first");
  const [call] = hub.posts();
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(JSON.parse(call!.text), {
    inputs: { image: base64(PICTURE) },
    parameters: { candidate_labels: LABELS, hypothesis_template: "A drawing of {}." },
  });
});

Deno.test("zeroShotImageClassification() uses openai/clip-vit-base-patch32 when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: [{ label: "x", score: 1 }] });
  await zeroShotImageClassification(PICTURE, {
    ...LIVE,
    fetch: hub.fetch,
    parameters: { candidate_labels: ["x"] },
  });
  assert.equal(ZERO_SHOT_IMAGE_CLASSIFICATION_MODEL, "openai/clip-vit-base-patch32");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/openai\/clip-vit-base-patch32$/);
});

Deno.test("zeroShotImageClassification() is served by HF Inference only: another provider is refused before any request", async () => {
  const network = countingFetch();
  await assert.rejects(
    zeroShotImageClassification(PICTURE, { ...labelled(network.fetch), provider: "fal-ai" }),
    {
      name: "TypeError",
      message:
        /^Cannot classify image: Task 'zero-shot-image-classification' not supported for provider 'fal-ai'/,
    },
  );
  assert.equal(network.calls.length, 0);
});

Deno.test("zeroShotImageClassification() throws HfOutputError for the text task's {sequence, labels, scores}", async () => {
  const text = { sequence: "x", labels: ["a"], scores: [1] };
  await assert.rejects(
    zeroShotImageClassification(PICTURE, labelled(mediaFetch(TASK, { json: text }).fetch)),
    (error: unknown) =>
      error instanceof HfOutputError && /zero-shot-image-classification answer/.test(error.message),
  );
});

Deno.test({
  name: "zeroShotImageClassification() parses every real hf-inference success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 8, // 5 in interactions.json, 3 in hub_cassettes.json
      call: (live, c) =>
        zeroShotImageClassification(PICTURE, {
          ...live,
          parameters: { candidate_labels: (c.responseBody as { label: string }[]).map((b) => b.label) },
        }),
      expect: (scores, c) => {
        const body = c.responseBody as { label: string; score: number }[];
        assert.deepEqual(scores, [...body].sort((a, b) => b.score - a.score), c.where);
      },
    });
  },
});

Deno.test("zeroShotImageClassification() keeps the service's message of an error", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("clip");
  fake.setModelTask(model, TASK);
  // No zero-shot-image-classification error is recorded in hf-recorded; this is the list envelope of its image tasks.
  fake.on(`/hf-inference/models/${model}`, {
    status: 400,
    json: { error: ["Error in `inputs`: Invalid image: {}"] },
  });
  await assert.rejects(
    zeroShotImageClassification(PICTURE, labelled(fake.fetch, model)),
    (error: unknown) => {
      assert.ok(error instanceof HfApiError);
      assert.equal(error.serviceMessage, "Error in `inputs`: Invalid image: {}");
      return true;
    },
  );
});

Deno.test("zeroShotImageClassification() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot classify image: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      zeroShotImageClassification(inputs as Uint8Array, { ...live, parameters: parameters as never }),
    cases: [
      [
        "no parameters",
        PICTURE,
        undefined,
        TypeError,
        /"parameters.candidate_labels" must list distinct, non-blank labels \(at least one\), got nothing/,
      ],
      [
        "no labels",
        PICTURE,
        { candidate_labels: [] },
        RangeError,
        /"parameters.candidate_labels" must list distinct, non-blank labels \(at least one\), got an array of 0/,
      ],
      [
        "a repeated label",
        PICTURE,
        { candidate_labels: ["cat", "cat"] },
        RangeError,
        /"parameters.candidate_labels" must list distinct, non-blank labels \(at least one\), got an array of 2/,
      ],
      [
        "a blank label",
        PICTURE,
        { candidate_labels: ["cat", " "] },
        TypeError,
        /"parameters.candidate_labels\[1\]" must be a non-blank label, got " "/,
      ],
      [
        "a template without {}",
        PICTURE,
        { candidate_labels: ["cat"], hypothesis_template: "A photo." },
        RangeError,
        /"parameters.hypothesis_template" must mark where the label goes with \{\}/,
      ],
      [
        "not a picture",
        new TextEncoder().encode("hello"),
        { candidate_labels: ["cat"] },
        TypeError,
        /got text "hello"/,
      ],
    ],
  });
});
