import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import {
  cosineSimilarity,
  embeddingShape,
  featureExtraction,
  sentenceVectors,
  similarityMatrix,
} from "../lib/tasks/feature_extraction.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

const TASK = "feature-extraction";
const MULTILINGUAL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2";
const SENTENCES = [
  "今天天氣很好，我們去公園散步吧。",
  "The weather is lovely today, let's go for a walk in the park.",
  "股市今天大跌，投資人紛紛拋售。",
  "Stock markets fell sharply today as investors sold off.",
  "我的貓喜歡在窗邊睡覺。",
];

/** The task the Hub lists sentence-transformers models under. */
const HUB_TASK = "sentence-similarity";

/** The mapping look-up (task as the Hub lists sentence-transformers models), then `answer`. */
const stub = (answer: unknown, task = HUB_TASK) => taskFetch(task, answer);

Deno.test("featureExtraction() returns one recorded vector per sentence, from recordings/ only", async () => {
  const output = await fromRecordings((replay) =>
    featureExtraction(SENTENCES, { ...replay, model: MULTILINGUAL })
  );
  assert.deepEqual(embeddingShape(output), [5, 384]);
  const matrix = similarityMatrix(sentenceVectors(output));
  // the same subject in two languages is closer than two subjects in one language
  assert.ok(matrix[0]![1]! > matrix[0]![2]!);
  assert.ok(matrix[2]![3]! > matrix[2]![4]!);
});

Deno.test("featureExtraction() replays one text as a flat vector, and normalize: false as a longer one", async () => {
  const [one, raw] = await fromRecordings(async (replay) => [
    await featureExtraction(SENTENCES[0]!, { ...replay, model: MULTILINGUAL }),
    await featureExtraction(SENTENCES[0]!, {
      ...replay,
      model: MULTILINGUAL,
      parameters: { normalize: false },
    }),
  ]);
  assert.deepEqual(embeddingShape(one), [384]);
  assert.ok(Math.abs(Math.hypot(...(one as number[])) - 1) < 1e-3);
  assert.ok(Math.hypot(...(raw as number[])) > 2);
  assert.ok(Math.abs(cosineSimilarity(one as number[], raw as number[]) - 1) < 1e-6);
});

Deno.test("featureExtraction() posts to .../pipeline/feature-extraction with its parameters at the top level", async () => {
  const hub = stub([[0.1, 0.2], [0.3, 0.4]]);
  const model = uniqueModel("embedder");
  await featureExtraction(["a", "b"], {
    ...liveOptions(hub.fetch, model),
    parameters: { normalize: false, prompt_name: "query", truncate: true, truncation_direction: "left" },
  });
  const call = hub.calls.find((c) => c.method === "POST");
  assert.equal(
    call?.url,
    `https://router.huggingface.co/hf-inference/models/${model}/pipeline/feature-extraction`,
  );
  assert.deepEqual(JSON.parse(call?.body ?? ""), {
    inputs: ["a", "b"],
    normalize: false,
    prompt_name: "query",
    truncate: true,
    truncation_direction: "left",
  });
});

Deno.test("featureExtraction() accepts a model listed for feature-extraction or sentence-similarity", async () => {
  for (const task of ["feature-extraction", "sentence-similarity"]) {
    assert.deepEqual(await featureExtraction("a", liveOptions(stub([0.6, 0.8], task).fetch)), [0.6, 0.8]);
  }
});

Deno.test("featureExtraction() throws HfOutputError for an answer that is not numbers", async () => {
  await assert.rejects(
    featureExtraction("a", liveOptions(stub([{ label: "x", score: 1 }]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /feature-extraction answer/.test(error.message),
  );
});

Deno.test({
  name: "featureExtraction() parses every real hf-inference feature-extraction success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const shapes = new Set<string>();
    await parsesEveryReferenceSuccess({
      task: TASK,
      hubTask: HUB_TASK,
      count: { atLeast: 31 },
      call: (live) => featureExtraction(["hello", "That is a happy person"], live),
      expect: (output, c) => {
        assert.deepEqual(output, c.responseBody, c.where);
        shapes.add(embeddingShape(output).length === 1 ? "[dim]" : `depth ${embeddingShape(output).length}`);
      },
    });
    assert.deepEqual([...shapes].sort(), ["[dim]", "depth 3", "depth 4"]);
  },
});

Deno.test({
  name:
    "featureExtraction() turns every real hf-inference feature-extraction error into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: { atLeast: 5 }, // the 5 recorded 503s
      route: (model) => `/hf-inference/models/${model}/pipeline/feature-extraction`,
      call: (live) => featureExtraction("That is a happy person", live),
      expect: (error, c) => {
        assert.equal(error.status, 503);
        assert.equal(
          error.serviceMessage,
          (JSON.parse(c.responseBodyRaw ?? "{}") as { error: string }).error,
        );
        assert.match(error.serviceMessage, /is currently loading/);
      },
    });
  },
});

Deno.test("featureExtraction() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot embed text: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      featureExtraction(inputs as string, { ...live, parameters: parameters as never }),
    cases: [
      ["a number", 42, undefined, TypeError, /"inputs" must be a non-empty string, got 42/],
      ["a blank text", " ", undefined, TypeError, /"inputs" must be a non-empty string/],
      ["an empty list", [], undefined, RangeError, /"inputs" must be a non-empty list of texts, got 0/],
      [
        "a blank text in the list",
        ["a", ""],
        undefined,
        TypeError,
        /"inputs\[1\]" must be a non-empty string/,
      ],
      [
        "a number in the list",
        ["a", 3],
        undefined,
        TypeError,
        /"inputs\[1\]" must be a non-empty string, got 3/,
      ],
      [
        "normalize as text",
        "a",
        { normalize: "yes" },
        TypeError,
        /"parameters.normalize" must be true or false/,
      ],
      [
        "truncate as a number",
        "a",
        { truncate: 1 },
        TypeError,
        /"parameters.truncate" must be true or false/,
      ],
      [
        "a blank prompt_name",
        "a",
        { prompt_name: "" },
        TypeError,
        /"parameters.prompt_name" must be a non-empty string/,
      ],
      [
        "a capitalised truncation_direction (the spec spells it in lower case)",
        "a",
        { truncation_direction: "Left" },
        RangeError,
        /"parameters.truncation_direction" must be one of left, right, got "Left"/,
      ],
      [
        "a parameter of another API",
        "a",
        { dimensions: 128 },
        TypeError,
        /"parameters.dimensions" is not a parameter of feature-extraction; .* put it in extraParameters/,
      ],
    ],
  });
});

Deno.test("embeddingShape() and sentenceVectors() tell a pooled answer from a per-token one", () => {
  assert.deepEqual(embeddingShape([0.1, 0.2, 0.3]), [3]);
  assert.deepEqual(sentenceVectors([0.1, 0.2, 0.3]), [[0.1, 0.2, 0.3]]);
  assert.deepEqual(sentenceVectors([[1, 0], [0, 1]]), [[1, 0], [0, 1]]);
  const tokens = [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]];
  assert.deepEqual(embeddingShape(tokens), [1, 3, 2]);
  assert.throws(() => sentenceVectors(tokens), {
    name: "RangeError",
    message: /one vector per token \(shape \[1, 3, 2\]\)/,
  });
  assert.throws(() => sentenceVectors([tokens, tokens]), /shape \[2, 1, 3, 2\]/);
});

Deno.test("cosineSimilarity() is 1, 0 and -1 for the same, orthogonal and opposite directions", () => {
  assert.equal(cosineSimilarity([3, 4], [6, 8]), 1);
  assert.equal(cosineSimilarity([1, 0], [0, 5]), 0);
  assert.equal(cosineSimilarity([1, 2], [-2, -4]), -1);
  const a = [0.2, -0.7, 0.1];
  const b = [0.5, 0.1, -0.3];
  assert.equal(cosineSimilarity(a, b), cosineSimilarity(b, a));
  assert.ok(
    Math.abs(cosineSimilarity(a, b) - (0.1 - 0.07 - 0.03) / (Math.hypot(...a) * Math.hypot(...b))) < 1e-12,
  );
});

Deno.test("cosineSimilarity() rejects zero, empty and unequal vectors with a RangeError", () => {
  assert.throws(() => cosineSimilarity([0, 0, 0], [1, 2, 3]), {
    name: "RangeError",
    message: 'Cannot compare vectors: "a" is a zero vector, which has no direction',
  });
  assert.throws(() => cosineSimilarity([1, 2, 3], [0, 0, 0]), {
    name: "RangeError",
    message: /"b" is a zero vector/,
  });
  assert.throws(() => cosineSimilarity([1, 2, 3], [1, 2]), {
    name: "RangeError",
    message: 'Cannot compare vectors: "a" and "b" must have the same length, got 3 and 2',
  });
  assert.throws(() => cosineSimilarity([], []), { name: "RangeError", message: /"a" is empty/ });
  assert.throws(() => cosineSimilarity([1, NaN], [1, 2]), {
    name: "TypeError",
    message: /"a\[1\]" must be a finite number/,
  });
});

Deno.test("similarityMatrix() is square and symmetric with 1 on its diagonal", () => {
  const vectors = [[1, 0, 0], [0.6, 0.8, 0], [0, 0.6, 0.8], [-1, 0, 0]];
  const matrix = similarityMatrix(vectors);
  assert.equal(matrix.length, 4);
  for (let i = 0; i < 4; i++) {
    assert.equal(matrix[i]!.length, 4);
    assert.ok(Math.abs(matrix[i]![i]! - 1) < 1e-12);
    for (let j = 0; j < 4; j++) assert.equal(matrix[i]![j], matrix[j]![i]);
  }
  assert.ok(Math.abs(matrix[0]![1]! - 0.6) < 1e-12);
  assert.equal(matrix[0]![3], -1);
});

Deno.test("similarityMatrix() names the vector that cannot be compared", () => {
  assert.throws(() => similarityMatrix([]), {
    name: "RangeError",
    message: /"vectors" must list at least 1 vector, got 0/,
  });
  assert.throws(() => similarityMatrix([[1, 0], [0, 1], [1, 0, 0]]), {
    name: "RangeError",
    message: /"vectors\[0\]" and "vectors\[2\]" must have the same length, got 2 and 3/,
  });
  assert.throws(() => similarityMatrix([[1, 0], [0, 0]]), {
    name: "RangeError",
    message: /"vectors\[1\]" is a zero vector/,
  });
});
