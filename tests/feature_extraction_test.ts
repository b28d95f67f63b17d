import assert from "node:assert/strict";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  cosineSimilarity,
  embeddingShape,
  featureExtraction,
  type FeatureExtractionOptions,
  type FeatureExtractionOutput,
  sentenceVectors,
  similarityMatrix,
} from "../lib/tasks/feature_extraction.ts";
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

const TASK = "feature-extraction";
const MULTILINGUAL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2";
const SENTENCES = [
  "今天天氣很好，我們去公園散步吧。",
  "The weather is lovely today, let's go for a walk in the park.",
  "股市今天大跌，投資人紛紛拋售。",
  "Stock markets fell sharply today as investors sold off.",
  "我的貓喜歡在窗邊睡覺。",
];
const noSleep = { sleep: () => Promise.resolve() };

/** The mapping look-up (task as the Hub lists sentence-transformers models), then `answer`. */
function stub(answer: unknown, task = "sentence-similarity") {
  return countingFetch((call: SeenCall) => {
    const id = /\/api\/models\/([^?]+)/.exec(call.url)?.[1];
    return id
      ? Response.json({
        inferenceProviderMapping: { "hf-inference": { status: "live", providerId: id, task } },
      })
      : Response.json(answer);
  });
}

function live(fetch: typeof globalThis.fetch, model = uniqueModel("embedder")): FeatureExtractionOptions {
  return { model, mode: "live", accessToken: "hf_test", fetch, retry: noSleep };
}

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

Deno.test("featureExtraction() returns one recorded vector per sentence, from recordings/ only", async () => {
  const network = countingFetch();
  const output = await withEnv(
    CLEAN_ENV,
    () => featureExtraction(SENTENCES, { model: MULTILINGUAL, mode: "replay", fetch: network.fetch }),
  );
  assert.deepEqual(embeddingShape(output), [5, 384]);
  const matrix = similarityMatrix(sentenceVectors(output));
  // the same subject in two languages is closer than two subjects in one language
  assert.ok(matrix[0]![1]! > matrix[0]![2]!);
  assert.ok(matrix[2]![3]! > matrix[2]![4]!);
  assert.equal(network.calls.length, 0);
});

Deno.test("featureExtraction() replays one text as a flat vector, and normalize: false as a longer one", async () => {
  const one = await withEnv(
    CLEAN_ENV,
    () => featureExtraction(SENTENCES[0]!, { model: MULTILINGUAL, mode: "replay" }),
  );
  const raw = await withEnv(
    CLEAN_ENV,
    () =>
      featureExtraction(SENTENCES[0]!, {
        model: MULTILINGUAL,
        mode: "replay",
        parameters: { normalize: false },
      }),
  );
  assert.deepEqual(embeddingShape(one), [384]);
  assert.ok(Math.abs(Math.hypot(...(one as number[])) - 1) < 1e-3);
  assert.ok(Math.hypot(...(raw as number[])) > 2);
  assert.ok(Math.abs(cosineSimilarity(one as number[], raw as number[]) - 1) < 1e-6);
});

Deno.test("featureExtraction() posts to .../pipeline/feature-extraction with its parameters at the top level", async () => {
  const hub = stub([[0.1, 0.2], [0.3, 0.4]]);
  const model = uniqueModel("embedder");
  await featureExtraction(["a", "b"], {
    ...live(hub.fetch, model),
    parameters: { normalize: false, prompt_name: "query", truncate: true, truncation_direction: "Left" },
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
    truncation_direction: "Left",
  });
});

Deno.test("featureExtraction() accepts a model listed for feature-extraction or sentence-similarity", async () => {
  for (const task of ["feature-extraction", "sentence-similarity"]) {
    assert.deepEqual(await featureExtraction("a", live(stub([0.6, 0.8], task).fetch)), [0.6, 0.8]);
  }
});

Deno.test("featureExtraction() throws HfOutputError for an answer that is not numbers", async () => {
  await assert.rejects(
    featureExtraction("a", live(stub([{ label: "x", score: 1 }]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /feature-extraction answer/.test(error.message),
  );
});

Deno.test({
  name: "featureExtraction() parses every real hf-inference feature-extraction success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = await reference("ok");
    const shapes = new Set<string>();
    let parsed = 0;
    for (const recorded of successes) {
      const body = recorded.responseBody as FeatureExtractionOutput;
      const output = await featureExtraction(["hello", "That is a happy person"], live(stub(body).fetch));
      assert.deepEqual(output, body);
      shapes.add(embeddingShape(output).length === 1 ? "[dim]" : `depth ${embeddingShape(output).length}`);
      parsed++;
    }
    assert.ok(successes.length >= 31, `expected the 31 recorded successes, found ${successes.length}`);
    assert.deepEqual([...shapes].sort(), ["[dim]", "depth 3", "depth 4"]);
    assert.equal(parsed, successes.length);
  },
});

Deno.test({
  name:
    "featureExtraction() turns every real hf-inference feature-extraction error into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = await reference("error");
    assert.ok(errors.length >= 5, `expected the 5 recorded 503s, found ${errors.length}`);
    let surfaced = 0;
    for (const recorded of errors) {
      await using fake = await startFakeHf();
      const model = uniqueModel("embedder");
      fake.setModelTask(model, TASK);
      fake.on(`/hf-inference/models/${model}/pipeline/feature-extraction`, {
        status: recorded.status,
        headers: { "content-type": recorded.headers["content-type"] ?? "application/json" },
        text: recorded.responseBodyRaw ?? "",
      });
      const expected = (JSON.parse(recorded.responseBodyRaw ?? "{}") as { error: string }).error;
      await assert.rejects(
        featureExtraction("That is a happy person", live(fake.fetch, model)),
        (error: unknown) => {
          assert.ok(error instanceof HfApiError);
          assert.equal(error.status, 503);
          assert.equal(error.serviceMessage, expected);
          assert.match(error.serviceMessage, /is currently loading/);
          return true;
        },
      );
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
  },
});

Deno.test("featureExtraction() checks its input before any request", async (t) => {
  const bad: [string, unknown, unknown, RegExp, ErrorConstructor][] = [
    ["a number", 42, undefined, /"inputs" must be a non-empty string, got 42/, TypeError],
    ["a blank text", " ", undefined, /"inputs" must be a non-empty string/, TypeError],
    ["an empty list", [], undefined, /"inputs" must be a non-empty list of texts, got 0/, RangeError],
    ["a blank text in the list", ["a", ""], undefined, /"inputs\[1\]" must be a non-empty string/, TypeError],
    [
      "a number in the list",
      ["a", 3],
      undefined,
      /"inputs\[1\]" must be a non-empty string, got 3/,
      TypeError,
    ],
    [
      "normalize as text",
      "a",
      { normalize: "yes" },
      /"parameters.normalize" must be true or false/,
      TypeError,
    ],
    ["truncate as a number", "a", { truncate: 1 }, /"parameters.truncate" must be true or false/, TypeError],
    [
      "a blank prompt_name",
      "a",
      { prompt_name: "" },
      /"parameters.prompt_name" must be a non-empty string/,
      TypeError,
    ],
    [
      "a lower-case truncation_direction",
      "a",
      { truncation_direction: "left" },
      /"parameters.truncation_direction" must be one of Left, Right, got "left"/,
      RangeError,
    ],
    [
      "a parameter of another API",
      "a",
      { dimensions: 128 },
      /"parameters" has no parameter "dimensions"/,
      TypeError,
    ],
  ];
  for (const [what, inputs, parameters, message, type] of bad) {
    await t.step(what, async () => {
      const network = countingFetch();
      const options = {
        ...live(network.fetch),
        ...(parameters ? { parameters } : {}),
      } as FeatureExtractionOptions;
      await assert.rejects(
        featureExtraction(inputs as string, options),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
      );
      assert.equal(network.calls.length, 0);
    });
  }
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
