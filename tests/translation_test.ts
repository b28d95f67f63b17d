import assert from "node:assert/strict";
import { HfApiError, HfOutputError, translation, TRANSLATION_MODEL } from "../lib/mod.ts";
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

const EP2 = "這是一個很困難的問題";
const live = { mode: "live" as const, accessToken: "hf_test" };

Deno.test("translation() replays the series' Ep.2 answer from recordings/, without the network", async () => {
  const network = countingFetch();
  await withEnv(CLEAN_ENV, async () => {
    const output = await translation(EP2, { mode: "replay", fetch: network.fetch });
    assert.equal(TRANSLATION_MODEL, "Helsinki-NLP/opus-mt-zh-en");
    assert.deepEqual(output, { translation_text: "It's a very difficult question." });
  });
  assert.equal(network.calls.length, 0);
});

Deno.test("translation() replays notebook 01's other requests: en→zh, two texts, NLLB with src_lang/tgt_lang", async () => {
  const network = countingFetch();
  await withEnv(CLEAN_ENV, async () => {
    const options = { mode: "replay" as const, fetch: network.fetch };
    const back = await translation("It's a very difficult question.", {
      ...options,
      model: "Helsinki-NLP/opus-mt-en-zh",
    });
    assert.equal(back.translation_text, "这是一个非常困难的问题。");
    const both = await translation(["今天的天氣很好。", "台灣是一個非常美麗的地區"], options);
    assert.equal(both.length, 2);
    assert.equal(both[1]?.translation_text, "Taiwan is a very beautiful area.");
    const ja = await translation(EP2, {
      ...options,
      model: "facebook/nllb-200-distilled-600M",
      parameters: { src_lang: "zho_Hant", tgt_lang: "jpn_Jpan" },
    });
    assert.equal(ja.translation_text, "これはとても難しい問題です。");
  });
  assert.equal(network.calls.length, 0);
});

Deno.test("translation() sends inputs and parameters as the API names them", async () => {
  const network = taskFetch("translation", [{ translation_text: "C'est une question très difficile." }]);
  const output = await translation(EP2, {
    ...live,
    model: uniqueModel("nllb"),
    fetch: network.fetch,
    parameters: { src_lang: "zho_Hant", tgt_lang: "fra_Latn", generate_parameters: { num_beams: 4 } },
  });
  assert.equal(output.translation_text, "C'est une question très difficile.");
  assert.deepEqual(taskCalls(network)[0]?.body, {
    inputs: EP2,
    parameters: { src_lang: "zho_Hant", tgt_lang: "fra_Latn", generate_parameters: { num_beams: 4 } },
  });
});

Deno.test("translation() returns a list for a list of texts (even of one) and checks the count", async () => {
  const one = taskFetch("translation", [{ translation_text: "Good morning." }]);
  const list = await translation(["早安"], { ...live, model: uniqueModel(), fetch: one.fetch });
  assert.deepEqual(list, [{ translation_text: "Good morning." }]);

  const two = taskFetch("translation", [{ translation_text: "a" }, { translation_text: "b" }]);
  const error = await rejection(translation("早安", { ...live, model: uniqueModel(), fetch: two.fetch }));
  assert.ok(error instanceof HfOutputError);
  assert.match(error.message, /2 translations for 1 text/);
});

Deno.test({
  name: "translation() parses every real hf-inference translation answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = await referenceSuccesses("translation");
    assert.ok(cases.length > 0);
    let parsed = 0;
    for (const c of cases) {
      const answer = c.responseBody as { translation_text: string }[];
      // The recorded input when the tape kept it, else stand-ins of the same count.
      const recorded = (c.requestBody as { inputs?: string | string[] } | null)?.inputs;
      const inputs = recorded ?? (answer.length === 1 ? "stand-in" : answer.map((_, i) => `stand-in ${i}`));
      const network = taskFetch("translation", answer);
      const options = { ...live, model: c.model!, fetch: network.fetch };
      const output = Array.isArray(inputs)
        ? await translation(inputs, options)
        : [await translation(inputs, options)];
      assert.deepEqual(output, answer, c.where);
      parsed++;
    }
    assert.equal(parsed, cases.length);
    console.log(`translation: parsed ${parsed} of ${cases.length} real hf-inference answers`);
  },
});

Deno.test("translation() surfaces the service's own message from real error bodies, through a fake server", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("opus-mt-zh-en");
  fake.setModelTask(model, "translation");
  fake.on(`/hf-inference/models/${model}`, scenarios.notFound404);
  const error = await rejection(translation(EP2, { ...live, model, fetch: fake.fetch, retry: NO_WAIT }));
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 404);
  assert.equal(error.serviceMessage, "Model this-model/does-not-exist-123 does not exist");
  assert.match(error.hint, /model id/);

  fake.on(`/hf-inference/models/${model}`, scenarios.server500WithWarnings);
  const busy = await rejection(translation(EP2, { ...live, model, fetch: fake.fetch, retry: NO_WAIT }));
  assert.ok(busy instanceof HfApiError);
  assert.equal(busy.status, 500);
  assert.match(busy.serviceMessage, /^unknown error \(warnings: There was an inference error/);
});

Deno.test({
  name:
    "translation(): hf-recorded holds no translation error; its real hf-inference errors of other text tasks surface",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    assert.equal((await referenceErrors("translation")).length, 0);
    // The router's error bodies do not depend on the task: feed the fill-mask ones (unknown model) to translation.
    const errors = await referenceErrors("fill-mask");
    await using fake = await startFakeHf();
    let surfaced = 0;
    for (const c of errors) {
      const model = uniqueModel("gone");
      fake.setModelTask(model, "translation");
      fake.on(`/hf-inference/models/${model}`, {
        status: c.status,
        headers: { "content-type": "application/json" },
        text: c.responseBodyRaw!,
      });
      const error = await rejection(translation(EP2, { ...live, model, fetch: fake.fetch, retry: NO_WAIT }));
      assert.ok(error instanceof HfApiError, c.where);
      assert.equal(error.status, c.status);
      for (const text of errorTexts(c.responseBodyRaw!)) {
        assert.ok(error.serviceMessage.includes(text), c.where);
      }
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
    console.log(
      `translation: surfaced ${surfaced} of ${errors.length} real error answers (fill-mask's, unknown model)`,
    );
  },
});

Deno.test("translation() checks its input before any request", async () => {
  const network = countingFetch();
  const options = { ...live, model: uniqueModel(), fetch: network.fetch };
  const bad: [() => Promise<unknown>, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
    [() => translation("", options), TypeError, /"inputs" must be a non-empty string, got "" \(blank\)/],
    [() => translation("   ", options), TypeError, /"inputs"/],
    [() => translation(42 as unknown as string, options), TypeError, /"inputs" must be a string or an array/],
    [() => translation([], options), RangeError, /"inputs" must list at least one text/],
    [() => translation(["ok", " "], options), TypeError, /"inputs\[1\]"/],
    [
      () => translation(EP2, { ...options, parameters: { src_lng: "zh" } as never }),
      TypeError,
      /"parameters" has no parameter "src_lng"/,
    ],
    [
      () => translation(EP2, { ...options, parameters: { src_lang: "zho Hant" } }),
      RangeError,
      /"parameters.src_lang" must be a language code without spaces/,
    ],
    [
      () => translation(EP2, { ...options, parameters: { tgt_lang: "" } }),
      TypeError,
      /"parameters.tgt_lang"/,
    ],
    [
      () => translation(EP2, { ...options, parameters: { truncation: "sometimes" as never } }),
      RangeError,
      /"parameters.truncation" must be one of/,
    ],
    [
      () => translation(EP2, { ...options, parameters: { generate_parameters: { top_p: 2 } } }),
      RangeError,
      /"parameters.generate_parameters.top_p"/,
    ],
    [() => translation(EP2, { ...options, model: "not a model" }), TypeError, /"model"/],
  ];
  for (const [call, type, message] of bad) {
    const error = await rejection(call());
    assert.ok(error instanceof type, `${error.name}: ${error.message}`);
    assert.match(error.message, /^Cannot translate: /);
    assert.match(error.message, message);
  }
  assert.equal(network.calls.length, 0);
});
