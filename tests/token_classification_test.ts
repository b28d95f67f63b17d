import assert from "node:assert/strict";
import {
  entitySpans,
  HfApiError,
  HfOutputError,
  TOKEN_CLASSIFICATION_MODEL,
  tokenClassification,
  type TokenClassificationOptions,
} from "../lib/mod.ts";
import { entities } from "../lib/display/mod.ts";
import { HAS_REFERENCE, rejection, uniqueModel } from "./_helpers.ts";
import { NO_WAIT, taskCalls, taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";

const EP5 = "台灣是一個非常美麗的地區";

Deno.test("tokenClassification() replays Ep.5: the series' per-token answer and the service's grouped one", async () => {
  await fromRecordings(async (options) => {
    assert.equal(TOKEN_CLASSIFICATION_MODEL, "FacebookAI/xlm-roberta-large-finetuned-conll03-english");
    const perToken = await tokenClassification(EP5, {
      ...options,
      parameters: { aggregation_strategy: "none" },
    });
    assert.deepEqual(perToken, [{ entity: "I-LOC", score: 0.999995, word: "▁台灣", start: 0, end: 2 }]);
    const grouped = await tokenClassification(EP5, options);
    assert.deepEqual(grouped, [{ entity_group: "LOC", score: 0.999995, word: "台灣", start: 0, end: 2 }]);
    assert.equal(EP5.slice(grouped[0]!.start, grouped[0]!.end), "台灣");
  });
});

Deno.test("tokenClassification() replays notebook 02's English sentence, offsets pointing at each entity", async () => {
  const text =
    "Hugging Face was founded in New York City by Clément Delangue, Julien Chaumond and Thomas Wolf.";
  const found = await fromRecordings((replay) => tokenClassification(text, replay));
  assert.deepEqual(found.map((e) => e.entity_group), ["ORG", "LOC", "PER", "PER", "PER"]);
  for (const e of found) assert.equal(text.slice(e.start, e.end), e.word);
  assert.equal(
    String(entities(text, entitySpans(found))).split("\n")[0],
    "[Hugging Face](ORG 1.00) was founded in [New York City](LOC 1.00) by [Clément Delangue](PER 1.00), " +
      "[Julien Chaumond](PER 1.00) and [Thomas Wolf](PER 1.00).",
  );
});

Deno.test("entitySpans() labels grouped entities by entity_group and tokens by their tag", () => {
  assert.deepEqual(
    entitySpans([
      { entity_group: "LOC", score: 0.9, word: "台灣", start: 0, end: 2 },
      { entity: "B-PER", score: 0.8, word: "▁Ann", start: 3, end: 6 },
    ]),
    [{ start: 0, end: 2, label: "LOC", score: 0.9 }, { start: 3, end: 6, label: "B-PER", score: 0.8 }],
  );
});

Deno.test("tokenClassification() sends parameters as the API names them", async () => {
  const network = taskFetch("token-classification", []);
  const output = await tokenClassification(EP5, {
    ...LIVE,
    model: uniqueModel("ner"),
    fetch: network.fetch,
    parameters: { aggregation_strategy: "first", ignore_labels: ["O", "MISC"], stride: 16 },
  });
  assert.deepEqual(output, []);
  assert.deepEqual(taskCalls(network)[0]?.body, {
    inputs: EP5,
    parameters: { aggregation_strategy: "first", ignore_labels: ["O", "MISC"], stride: 16 },
  });
});

Deno.test("tokenClassification() rejects an answer that is neither grouped nor per-token", async () => {
  const network = taskFetch("token-classification", [{ label: "LOC", score: 0.9 }]);
  const error = await rejection(
    tokenClassification(EP5, { ...LIVE, model: uniqueModel(), fetch: network.fetch }),
  );
  assert.ok(error instanceof HfOutputError);
  assert.match(error.message, /is not a token-classification answer/);
});

Deno.test({
  name: "tokenClassification() parses every real hf-inference token-classification answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: "token-classification",
      count: { atLeast: 10 },
      call: (live, c) =>
        tokenClassification((c.requestBody as { inputs?: string } | null)?.inputs ?? "stand-in text", {
          ...live,
          model: c.model!,
        }),
      expect: (output, c) => assert.deepEqual(output, c.responseBody, c.where),
    });
  },
});

Deno.test({
  name:
    "tokenClassification() surfaces every real token-classification error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "token-classification",
      count: { atLeast: 3 },
      call: (live) => tokenClassification(EP5, live),
    });
  },
});

Deno.test("tokenClassification() turns a loading 503 into an HfApiError with the service's message", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("conll03");
  fake.setModelTask(model, "token-classification");
  fake.on(`/hf-inference/models/${model}`, scenarios.loading503);
  const error = await rejection(
    tokenClassification(EP5, { ...LIVE, model, fetch: fake.fetch, retry: NO_WAIT }),
  );
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 503);
  assert.equal(error.serviceMessage, "Model facebook/bart-large-cnn is currently loading");
  assert.ok(error.attempts > 1, "a 503 is retried a few times");
});

Deno.test("tokenClassification() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot classify tokens: ",
    call: (input: unknown, parameters: TokenClassificationOptions["parameters"], live) =>
      tokenClassification(input as string, { ...live, parameters }),
    cases: [
      ["a blank text", "", undefined, TypeError, /"inputs" must be a non-empty string/],
      ["a list of texts", ["a"], undefined, TypeError, /"inputs".*got an array of 1/],
      [
        "an unknown aggregation_strategy",
        EP5,
        { aggregation_strategy: "group" as never },
        RangeError,
        /"parameters.aggregation_strategy" must be one of none, simple, first, average, max, got "group"/,
      ],
      [
        "ignore_labels as one string",
        EP5,
        { ignore_labels: "O" as never },
        TypeError,
        /"parameters.ignore_labels" must be a list, got a string/,
      ],
      [
        "a blank label to ignore",
        EP5,
        { ignore_labels: ["O", ""] },
        TypeError,
        /"parameters.ignore_labels\[1\]"/,
      ],
      [
        "a negative stride",
        EP5,
        { stride: -1 },
        RangeError,
        /"parameters.stride" must be a whole number of at least 0, got -1/,
      ],
      [
        "a misspelt parameter",
        EP5,
        { aggregation: "simple" } as never,
        TypeError,
        /"parameters.aggregation" is not a parameter of/,
      ],
    ],
  });
});
