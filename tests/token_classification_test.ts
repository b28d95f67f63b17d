import assert from "node:assert/strict";
import {
  entities,
  entitySpans,
  HfApiError,
  HfOutputError,
  TOKEN_CLASSIFICATION_MODEL,
  tokenClassification,
} from "../lib/mod.ts";
import { CLEAN_ENV, countingFetch, HAS_REFERENCE, rejection, uniqueModel, withEnv } from "./_helpers.ts";
import {
  errorTexts,
  NO_WAIT,
  referenceErrors,
  referenceSuccesses,
  taskCalls,
  taskFetch,
} from "./_reference_tasks.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";

const EP5 = "台灣是一個非常美麗的地區";
const live = { mode: "live" as const, accessToken: "hf_test" };

Deno.test("tokenClassification() replays Ep.5: the series' per-token answer and the service's grouped one", async () => {
  const network = countingFetch();
  await withEnv(CLEAN_ENV, async () => {
    const options = { mode: "replay" as const, fetch: network.fetch };
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
  assert.equal(network.calls.length, 0);
});

Deno.test("tokenClassification() replays notebook 02's English sentence, offsets pointing at each entity", async () => {
  const text =
    "Hugging Face was founded in New York City by Clément Delangue, Julien Chaumond and Thomas Wolf.";
  const found = await withEnv(
    CLEAN_ENV,
    () => tokenClassification(text, { mode: "replay", fetch: countingFetch().fetch }),
  );
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
    ...live,
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
    tokenClassification(EP5, { ...live, model: uniqueModel(), fetch: network.fetch }),
  );
  assert.ok(error instanceof HfOutputError);
  assert.match(error.message, /is not a token-classification answer/);
});

Deno.test({
  name: "tokenClassification() parses every real hf-inference token-classification answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = await referenceSuccesses("token-classification");
    assert.ok(cases.length > 0);
    let parsed = 0;
    for (const c of cases) {
      const recorded = (c.requestBody as { inputs?: string } | null)?.inputs;
      const network = taskFetch("token-classification", c.responseBody);
      const output = await tokenClassification(recorded ?? "stand-in text", {
        ...live,
        model: c.model!,
        fetch: network.fetch,
      });
      assert.deepEqual(output, c.responseBody, c.where);
      parsed++;
    }
    assert.equal(parsed, cases.length);
    console.log(`token-classification: parsed ${parsed} of ${cases.length} real hf-inference answers`);
  },
});

Deno.test({
  name:
    "tokenClassification() surfaces every real token-classification error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = await referenceErrors("token-classification");
    assert.ok(errors.length > 0);
    await using fake = await startFakeHf();
    let surfaced = 0;
    for (const c of errors) {
      const model = uniqueModel("conll03");
      fake.setModelTask(model, "token-classification");
      fake.on(`/hf-inference/models/${model}`, {
        status: c.status,
        headers: { "content-type": "application/json" },
        text: c.responseBodyRaw!,
      });
      const error = await rejection(
        tokenClassification(EP5, { ...live, model, fetch: fake.fetch, retry: NO_WAIT }),
      );
      assert.ok(error instanceof HfApiError, c.where);
      assert.equal(error.status, c.status);
      for (const text of errorTexts(c.responseBodyRaw!)) {
        assert.ok(error.serviceMessage.includes(text), c.where);
      }
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
    console.log(`token-classification: surfaced ${surfaced} of ${errors.length} real error answers`);
  },
});

Deno.test("tokenClassification() turns a loading 503 into an HfApiError with the service's message", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("conll03");
  fake.setModelTask(model, "token-classification");
  fake.on(`/hf-inference/models/${model}`, scenarios.loading503);
  const error = await rejection(
    tokenClassification(EP5, { ...live, model, fetch: fake.fetch, retry: NO_WAIT }),
  );
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 503);
  assert.equal(error.serviceMessage, "Model facebook/bart-large-cnn is currently loading");
  assert.ok(error.attempts > 1, "a 503 is retried a few times");
});

Deno.test("tokenClassification() checks its input before any request", async () => {
  const network = countingFetch();
  const options = { ...live, model: uniqueModel(), fetch: network.fetch };
  const bad: [() => Promise<unknown>, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
    [() => tokenClassification("", options), TypeError, /"inputs" must be a non-empty string/],
    [
      () => tokenClassification(["a"] as unknown as string, options),
      TypeError,
      /"inputs".*got an array of 1/,
    ],
    [
      () => tokenClassification(EP5, { ...options, parameters: { aggregation_strategy: "group" as never } }),
      RangeError,
      /"parameters.aggregation_strategy" must be one of none, simple, first, average, max, got "group"/,
    ],
    [
      () => tokenClassification(EP5, { ...options, parameters: { ignore_labels: "O" as never } }),
      TypeError,
      /"parameters.ignore_labels" must be an array/,
    ],
    [
      () => tokenClassification(EP5, { ...options, parameters: { ignore_labels: ["O", ""] } }),
      TypeError,
      /"parameters.ignore_labels\[1\]"/,
    ],
    [
      () => tokenClassification(EP5, { ...options, parameters: { stride: -1 } }),
      RangeError,
      /"parameters.stride" must be a whole number of at least 0, got -1/,
    ],
    [
      () => tokenClassification(EP5, { ...options, parameters: { aggregation: "simple" } as never }),
      TypeError,
      /"parameters" has no parameter "aggregation"/,
    ],
  ];
  for (const [call, type, message] of bad) {
    const error = await rejection(call());
    assert.ok(error instanceof type, `${error.name}: ${error.message}`);
    assert.match(error.message, /^Cannot classify tokens: /);
    assert.match(error.message, message);
  }
  assert.equal(network.calls.length, 0);
});
