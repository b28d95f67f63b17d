import assert from "node:assert/strict";
import { FILL_MASK_MODEL, fillMask, HfApiError, maskTokenOf } from "../lib/mod.ts";
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

const live = { mode: "live" as const, accessToken: "hf_test" };
const ZH = "今天的天氣很[MASK]。";
const ZH_MODEL = "google-bert/bert-base-chinese";

Deno.test("maskTokenOf() knows BERT's [MASK] and RoBERTa's <mask>, and nothing else", () => {
  assert.equal(maskTokenOf(FILL_MASK_MODEL), "[MASK]");
  assert.equal(maskTokenOf("bert-base-uncased"), "[MASK]");
  assert.equal(maskTokenOf("Google-BERT/bert-base-chinese"), "[MASK]", "ids compared without case");
  assert.equal(maskTokenOf("hfl/chinese-roberta-wwm-ext"), "[MASK]", "a BERT tokenizer despite its name");
  assert.equal(maskTokenOf("FacebookAI/roberta-base"), "<mask>");
  assert.equal(maskTokenOf("FacebookAI/xlm-roberta-base"), "<mask>");
  assert.equal(maskTokenOf("someone/my-model"), undefined);
});

Deno.test("fillMask() replays notebook 05: candidates best first, with top_k and targets", async () => {
  const network = countingFetch();
  await withEnv(CLEAN_ENV, async () => {
    const options = { mode: "replay" as const, fetch: network.fetch, model: ZH_MODEL };
    const all = await fillMask(ZH, options);
    assert.deepEqual(all.map((c) => c.token_str), ["好", "熱", "冷", "差", "悶"]);
    assert.deepEqual(all.map((c) => c.score), [...all.map((c) => c.score)].sort((a, b) => b - a));
    assert.equal(all[0]?.sequence, "今 天 的 天 氣 很 好 。");
    const three = await fillMask(ZH, { ...options, parameters: { top_k: 3 } });
    assert.deepEqual(three, all.slice(0, 3));
    const targets = await fillMask(ZH, { ...options, parameters: { targets: ["熱", "冷"] } });
    assert.deepEqual(targets.map((c) => c.token_str), ["熱", "冷"]);

    const [capital] = await fillMask("Paris is the [MASK] of France.", {
      mode: "replay",
      fetch: network.fetch,
    });
    assert.equal(capital?.token_str, "capital");
    const [roberta] = await fillMask("Paris is the <mask> of France.", {
      mode: "replay",
      fetch: network.fetch,
      model: "FacebookAI/roberta-base",
    });
    assert.equal(roberta?.token_str, " capital");
  });
  assert.equal(network.calls.length, 0);
});

Deno.test("fillMask() sends top_k and targets as the API names them; an unknown model's input is not checked", async () => {
  const network = taskFetch("fill-mask", [{ score: 0.5, token: 1, token_str: "x", sequence: "a x" }]);
  await fillMask("a {{hole}}", {
    ...live,
    model: uniqueModel("unknown-mlm"),
    fetch: network.fetch,
    parameters: { top_k: 2, targets: ["x", "y"] },
  });
  assert.deepEqual(taskCalls(network)[0]?.body, {
    inputs: "a {{hole}}",
    parameters: { top_k: 2, targets: ["x", "y"] },
  });
});

Deno.test({
  name: "fillMask() parses every real hf-inference fill-mask answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = await referenceSuccesses("fill-mask");
    assert.ok(cases.length > 0);
    let parsed = 0;
    for (const c of cases) {
      const recorded = (c.requestBody as { inputs?: string } | null)?.inputs;
      const network = taskFetch("fill-mask", c.responseBody);
      const output = await fillMask(recorded ?? "[MASK] world!", {
        ...live,
        model: c.model!,
        fetch: network.fetch,
      });
      assert.deepEqual(output, c.responseBody, c.where);
      parsed++;
    }
    assert.equal(parsed, cases.length);
    console.log(`fill-mask: parsed ${parsed} of ${cases.length} real hf-inference answers`);
  },
});

Deno.test({
  name: "fillMask() surfaces every real fill-mask error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = await referenceErrors("fill-mask");
    assert.ok(errors.length > 0);
    await using fake = await startFakeHf();
    let surfaced = 0;
    for (const c of errors) {
      const model = uniqueModel("missing");
      fake.setModelTask(model, "fill-mask");
      fake.on(`/hf-inference/models/${model}`, {
        status: c.status,
        headers: { "content-type": "application/json" },
        text: c.responseBodyRaw!,
      });
      const error = await rejection(
        fillMask("[MASK] world!", { ...live, model, fetch: fake.fetch, retry: NO_WAIT }),
      );
      assert.ok(error instanceof HfApiError, c.where);
      assert.equal(error.status, c.status);
      assert.equal(error.kind, "not-found");
      for (const text of errorTexts(c.responseBodyRaw!)) {
        assert.ok(error.serviceMessage.includes(text), c.where);
      }
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
    console.log(`fill-mask: surfaced ${surfaced} of ${errors.length} real error answers`);
  },
});

Deno.test("fillMask() turns the router's 404 for an unknown model into an HfApiError with a hint", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("missing");
  fake.setModelTask(model, "fill-mask");
  fake.on(`/hf-inference/models/${model}`, scenarios.notFound404);
  const error = await rejection(
    fillMask("[MASK] world!", { ...live, model, fetch: fake.fetch, retry: NO_WAIT }),
  );
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 404);
  assert.equal(error.serviceMessage, "Model this-model/does-not-exist-123 does not exist");
  assert.match(error.hint, /Check the model id/);
  assert.equal(fake.requests.filter((r) => r.method === "POST").length, 1, "a 404 is not retried");
});

Deno.test("fillMask() checks the mask token and its parameters before any request", async () => {
  const network = countingFetch();
  const options = { ...live, fetch: network.fetch };
  const bad: [() => Promise<unknown>, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
    [() => fillMask("", options), TypeError, /"inputs" must be a non-empty string/],
    [
      () => fillMask("Paris is the capital of France.", options),
      RangeError,
      /"inputs" must contain the mask token \[MASK\] of google-bert\/bert-base-uncased exactly once, got none/,
    ],
    [
      () => fillMask("Paris is the <mask> of France.", options),
      RangeError,
      /the mask token \[MASK\] .* got <mask>, the mask token of other models/,
    ],
    [
      () => fillMask("Paris is the [MASK] of France.", { ...options, model: "FacebookAI/roberta-base" }),
      RangeError,
      /the mask token <mask> of FacebookAI\/roberta-base exactly once, got \[MASK\]/,
    ],
    [() => fillMask("[MASK] is the [MASK] of France.", options), RangeError, /exactly once, got it 2 times/],
    [
      () => fillMask("Paris is the [MASK].", { ...options, parameters: { top_k: 0 } }),
      RangeError,
      /"parameters.top_k" must be a whole number of at least 1, got 0/,
    ],
    [
      () => fillMask("Paris is the [MASK].", { ...options, parameters: { targets: [] } }),
      TypeError,
      /"parameters.targets" must list at least one candidate, got an array of 0/,
    ],
    [
      () => fillMask("Paris is the [MASK].", { ...options, parameters: { targets: ["capital", " "] } }),
      TypeError,
      /"parameters.targets\[1\]"/,
    ],
    [
      () => fillMask("Paris is the [MASK].", { ...options, parameters: { target: ["capital"] } as never }),
      TypeError,
      /"parameters" has no parameter "target"/,
    ],
  ];
  for (const [call, type, message] of bad) {
    const error = await rejection(call());
    assert.ok(error instanceof type, `${error.name}: ${error.message}`);
    assert.match(error.message, /^Cannot fill the mask: /);
    assert.match(error.message, message);
  }
  assert.equal(network.calls.length, 0);
});
