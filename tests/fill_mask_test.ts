import assert from "node:assert/strict";
import { FILL_MASK_MODEL, fillMask, type FillMaskOptions, HfApiError, maskTokenOf } from "../lib/mod.ts";
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
  await fromRecordings(async (replay) => {
    const options = { ...replay, model: ZH_MODEL };
    const all = await fillMask(ZH, options);
    assert.deepEqual(all.map((c) => c.token_str), ["好", "熱", "冷", "差", "悶"]);
    assert.deepEqual(all.map((c) => c.score), [...all.map((c) => c.score)].sort((a, b) => b - a));
    assert.equal(all[0]?.sequence, "今 天 的 天 氣 很 好 。");
    const three = await fillMask(ZH, { ...options, parameters: { top_k: 3 } });
    assert.deepEqual(three, all.slice(0, 3));
    const targets = await fillMask(ZH, { ...options, parameters: { targets: ["熱", "冷"] } });
    assert.deepEqual(targets.map((c) => c.token_str), ["熱", "冷"]);

    const [capital] = await fillMask("Paris is the [MASK] of France.", replay);
    assert.equal(capital?.token_str, "capital");
    const [roberta] = await fillMask("Paris is the <mask> of France.", {
      ...replay,
      model: "FacebookAI/roberta-base",
    });
    assert.equal(roberta?.token_str, " capital");
  });
});

Deno.test("fillMask() sends top_k and targets as the API names them; an unknown model's input is not checked", async () => {
  const network = taskFetch("fill-mask", [{ score: 0.5, token: 1, token_str: "x", sequence: "a x" }]);
  await fillMask("a {{hole}}", {
    ...LIVE,
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
    await parsesEveryReferenceSuccess({
      task: "fill-mask",
      count: { atLeast: 14 },
      // The recorded input and model: the mask token is the model's own.
      call: (live, c) =>
        fillMask((c.requestBody as { inputs?: string } | null)?.inputs ?? "[MASK] world!", {
          ...live,
          model: c.model!,
        }),
      expect: (output, c) => assert.deepEqual(output, c.responseBody, c.where),
    });
  },
});

Deno.test({
  name: "fillMask() surfaces every real fill-mask error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "fill-mask",
      count: { atLeast: 7 },
      call: (live) => fillMask("[MASK] world!", live),
      expect: (error) => assert.equal(error.kind, "not-found"),
    });
  },
});

Deno.test("fillMask() turns the router's 404 for an unknown model into an HfApiError with a hint", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("missing");
  fake.setModelTask(model, "fill-mask");
  fake.on(`/hf-inference/models/${model}`, scenarios.notFound404);
  const error = await rejection(
    fillMask("[MASK] world!", { ...LIVE, model, fetch: fake.fetch, retry: NO_WAIT }),
  );
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 404);
  assert.equal(error.serviceMessage, "Model this-model/does-not-exist-123 does not exist");
  assert.match(error.hint, /Check the model id/);
  assert.equal(fake.requests.filter((r) => r.method === "POST").length, 1, "a 404 is not retried");
});

Deno.test("fillMask() checks the mask token and its parameters before any request", async (t) => {
  const PARIS = "Paris is the [MASK].";
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot fill the mask: ",
    call: (input: string, options: FillMaskOptions | undefined, live) =>
      fillMask(input, { ...live, ...options }),
    cases: [
      ["a blank text", "", undefined, TypeError, /"inputs" must be a non-empty string/],
      [
        "no mask token",
        "Paris is the capital of France.",
        undefined,
        RangeError,
        /"inputs" must contain the mask token \[MASK\] of google-bert\/bert-base-uncased exactly once, got none/,
      ],
      [
        "RoBERTa's mask for a BERT model",
        "Paris is the <mask> of France.",
        undefined,
        RangeError,
        /the mask token \[MASK\] .* got <mask>, the mask token of other models/,
      ],
      [
        "BERT's mask for a RoBERTa model",
        "Paris is the [MASK] of France.",
        { model: "FacebookAI/roberta-base" },
        RangeError,
        /the mask token <mask> of FacebookAI\/roberta-base exactly once, got \[MASK\]/,
      ],
      [
        "two masks",
        "[MASK] is the [MASK] of France.",
        undefined,
        RangeError,
        /exactly once, got it 2 times/,
      ],
      [
        "top_k 0",
        PARIS,
        { parameters: { top_k: 0 } },
        RangeError,
        /"parameters.top_k" must be a whole number of at least 1, got 0/,
      ],
      [
        "no targets",
        PARIS,
        { parameters: { targets: [] } },
        RangeError,
        /"parameters.targets" must list at least one candidate, got an array of 0/,
      ],
      [
        "a blank target",
        PARIS,
        { parameters: { targets: ["capital", " "] } },
        TypeError,
        /"parameters.targets\[1\]"/,
      ],
      [
        "a misspelt parameter",
        PARIS,
        { parameters: { target: ["capital"] } as never },
        TypeError,
        /"parameters.target" is not a parameter of/,
      ],
    ],
  });
});
