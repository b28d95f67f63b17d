import assert from "node:assert/strict";
import {
  InferenceClientProviderOutputError,
  zeroShotClassification as libraryZeroShotClassification,
} from "@huggingface/inference";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  MAX_CANDIDATE_LABELS,
  zeroShotClassification,
  type ZeroShotClassificationOptions,
} from "../lib/tasks/zero_shot_classification.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
} from "./_task_contract.ts";
import { type FakeResponse, scenarios, startFakeHf } from "./fake_hf_server.ts";

const TASK = "zero-shot-classification";
const ENGLISH_TEXT =
  "The new graphics card trains neural networks twice as fast, and the company's shares jumped 8% on the news.";
const ENGLISH_LABELS = ["technology", "business", "sports", "cooking"];

const stub = (answer: unknown) => taskFetch(TASK, answer);

/** Live options against `fetch`, with `candidate_labels` (the English ones unless told). */
function labelled(
  fetch: typeof globalThis.fetch,
  candidate_labels: string[] = ENGLISH_LABELS,
  model = uniqueModel("nli"),
): ZeroShotClassificationOptions {
  return { ...liveOptions(fetch, model), parameters: { candidate_labels } };
}

interface SequenceScores {
  sequence: string;
  labels: string[];
  scores: number[];
}

Deno.test("zeroShotClassification() returns the recorded scores, highest first, from recordings/ only", async () => {
  const scores = await fromRecordings((replay) =>
    zeroShotClassification(ENGLISH_TEXT, {
      ...replay,
      model: "facebook/bart-large-mnli",
      parameters: { candidate_labels: ENGLISH_LABELS },
    })
  );
  assert.deepEqual(scores.map((s) => s.label), ["technology", "business", "sports", "cooking"]);
  assert.ok(Math.abs(scores.reduce((sum, s) => sum + s.score, 0) - 1) < 1e-3);
});

Deno.test("zeroShotClassification() replays multi_label and the Chinese hypothesis template", async () => {
  const [multi, chinese] = await fromRecordings(async (replay) => [
    await zeroShotClassification(ENGLISH_TEXT, {
      ...replay,
      parameters: { candidate_labels: ENGLISH_LABELS, multi_label: true },
    }),
    await zeroShotClassification("台積電第三季營收創下新高，股價應聲上漲。", {
      ...replay,
      model: "MoritzLaurer/mDeBERTa-v3-base-mnli-xnli",
      parameters: {
        candidate_labels: ["財經", "體育", "科技", "政治"],
        hypothesis_template: "這段文字是關於{}。",
      },
    }),
  ]);
  assert.ok(multi[0]!.score > 0.9 && multi[1]!.score > 0.9, "two labels can both be near 1");
  assert.equal(chinese[0]?.label, "財經");
});

Deno.test("zeroShotClassification() sends the text and every parameter", async () => {
  const hub = stub({ sequence: "x", labels: ["a", "b"], scores: [0.6, 0.4] });
  const model = uniqueModel("nli");
  await zeroShotClassification("A text", {
    ...labelled(hub.fetch, ["a", "b"], model),
    parameters: { candidate_labels: ["a", "b"], hypothesis_template: "It is about {}.", multi_label: true },
  });
  const call = hub.calls.find((c) => c.method === "POST");
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(JSON.parse(call?.body ?? ""), {
    inputs: "A text",
    parameters: { candidate_labels: ["a", "b"], hypothesis_template: "It is about {}.", multi_label: true },
  });
});

Deno.test("zeroShotClassification() sorts by score whatever order the answer has", async () => {
  const scores = await zeroShotClassification(
    "A text",
    labelled(stub([{ label: "b", score: 0.1 }, { label: "a", score: 0.9 }]).fetch, ["a", "b"]),
  );
  assert.deepEqual(scores, [{ label: "a", score: 0.9 }, { label: "b", score: 0.1 }]);
});

Deno.test("@huggingface/inference alone rejects the [{sequence, labels, scores}] answer that zeroShotClassification() reads", async () => {
  const answer = [{ sequence: "A text", labels: ["refund", "faq"], scores: [0.88, 0.12] }];
  await assert.rejects(
    libraryZeroShotClassification(
      {
        model: uniqueModel("nli"),
        provider: "hf-inference",
        inputs: "A text",
        parameters: { candidate_labels: ["faq", "refund"] },
      },
      { fetch: stub(answer).fetch, retry_on_error: false },
    ),
    InferenceClientProviderOutputError,
  );
  const scores = await zeroShotClassification("A text", labelled(stub(answer).fetch, ["faq", "refund"]));
  assert.deepEqual(scores, [{ label: "refund", score: 0.88 }, { label: "faq", score: 0.12 }]);
});

Deno.test("zeroShotClassification() throws HfOutputError for a list of several answers or another shape", async () => {
  const two = [
    { sequence: "a", labels: ["x"], scores: [1] },
    { sequence: "b", labels: ["x"], scores: [1] },
  ];
  for (const answer of [two, { labels: ["x", "y"], scores: [1] }, [[{ label: "x", score: 1 }]]]) {
    await assert.rejects(
      zeroShotClassification("A text", labelled(stub(answer).fetch, ["x", "y"])),
      (error: unknown) =>
        error instanceof HfOutputError && /zero-shot-classification answer/.test(error.message),
    );
  }
});

Deno.test({
  name:
    "zeroShotClassification() parses every real hf-inference zero-shot-classification success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    let listShaped = 0;
    const one = (body: unknown) => (Array.isArray(body) ? body[0] : body) as SequenceScores;
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: { atLeast: 11 },
      call: (live, c) => {
        if (Array.isArray(c.responseBody)) listShaped++;
        const { sequence, labels } = one(c.responseBody);
        return zeroShotClassification(sequence, {
          ...live,
          parameters: { candidate_labels: [...labels].reverse() },
        });
      },
      expect: (scores, c) => {
        const { labels, scores: recorded } = one(c.responseBody);
        assert.deepEqual(scores, labels.map((label, i) => ({ label, score: recorded[i] })), c.where);
      },
    });
    assert.ok(listShaped > 0, "some real answers are lists, which the library alone rejects");
  },
});

Deno.test("zeroShotClassification() turns the service's error bodies into HfApiError with its message", async () => {
  // hf-recorded has no zero-shot error: these are API.md's documented bodies, as the fake server sends them
  const cases: [FakeResponse, number, RegExp][] = [
    [scenarios.errorObject400, 1, /is not supported by any provider you have enabled/],
    [scenarios.errorList400, 1, /^Error in `inputs`: Invalid image: \{\}$/],
    [
      {
        status: 503,
        headers: { "content-type": "application/json" },
        text: '{"error":"Model facebook/bart-large-mnli is currently loading","estimated_time":20.0}',
      },
      3,
      /^Model facebook\/bart-large-mnli is currently loading$/,
    ],
    [scenarios.unavailable503Html, 3, /^503 Service Temporarily Unavailable$/],
  ];
  for (const [answer, attempts, message] of cases) {
    await using fake = await startFakeHf();
    const model = uniqueModel("nli");
    fake.setModelTask(model, TASK);
    fake.on(`/hf-inference/models/${model}`, answer);
    await assert.rejects(
      zeroShotClassification(ENGLISH_TEXT, labelled(fake.fetch, ENGLISH_LABELS, model)),
      (error) => {
        assert.ok(error instanceof HfApiError);
        assert.equal(error.status, answer.status);
        assert.match(error.serviceMessage, message);
        assert.equal(error.attempts, attempts);
        return true;
      },
    );
  }
});

Deno.test("zeroShotClassification() checks its input before any request", async (t) => {
  const eleven = Array.from({ length: MAX_CANDIDATE_LABELS + 1 }, (_, i) => `label ${i}`);
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot classify text: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      zeroShotClassification(inputs as string, { ...live, parameters: parameters as never }),
    cases: [
      [
        "no labels",
        "A text",
        { candidate_labels: [] },
        RangeError,
        'Cannot classify text: "parameters.candidate_labels" must list 1 to 10 distinct, non-blank labels, got an array of 0',
      ],
      [
        "eleven labels",
        "A text",
        { candidate_labels: eleven },
        RangeError,
        'Cannot classify text: "parameters.candidate_labels" must list 1 to 10 distinct, non-blank labels, got an array of 11',
      ],
      [
        "labels as one string",
        "A text",
        { candidate_labels: "a, b" },
        TypeError,
        /"parameters.candidate_labels" must list 1 to 10 distinct, non-blank labels, got a string/,
      ],
      [
        "a blank label",
        "A text",
        { candidate_labels: ["a", " "] },
        TypeError,
        /"parameters.candidate_labels\[1\]" must be a non-blank label, got " "/,
      ],
      [
        "a repeated label",
        "A text",
        { candidate_labels: ["a", "b", "a"] },
        RangeError,
        /"parameters.candidate_labels" must list 1 to 10 distinct, non-blank labels, got an array of 3/,
      ],
      [
        "a label that is not text",
        "A text",
        { candidate_labels: ["a", 2] },
        TypeError,
        /"parameters.candidate_labels\[1\]" must be a non-blank label, got 2/,
      ],
      [
        "no parameters",
        "A text",
        undefined,
        TypeError,
        /"parameters.candidate_labels" must list 1 to 10 distinct, non-blank labels, got nothing/,
      ],
      [
        "no candidate_labels",
        "A text",
        { multi_label: true },
        TypeError,
        /"parameters.candidate_labels" must list 1 to 10 distinct, non-blank labels, got nothing/,
      ],
      ["a blank text", "", { candidate_labels: ["a"] }, TypeError, /"inputs" must be a non-empty string/],
      [
        "a list of texts",
        ["A text"],
        { candidate_labels: ["a"] },
        TypeError,
        /"inputs" must be a non-empty string, got an array of 1/,
      ],
      [
        "a template without {}",
        "A text",
        { candidate_labels: ["a"], hypothesis_template: "It is about it." },
        RangeError,
        /"parameters.hypothesis_template" must mark where the label goes with \{\}/,
      ],
      [
        "multi_label as text",
        "A text",
        { candidate_labels: ["a"], multi_label: "yes" },
        TypeError,
        /"parameters.multi_label" must be true or false/,
      ],
      [
        "a misspelt parameter",
        "A text",
        { candidate_labels: ["a"], multilabel: true },
        TypeError,
        /"parameters.multilabel" is not a parameter of/,
      ],
    ],
  });
});
