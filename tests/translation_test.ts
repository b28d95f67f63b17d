import assert from "node:assert/strict";
import {
  HfApiError,
  HfOutputError,
  translation,
  TRANSLATION_MODEL,
  type TranslationOptions,
} from "../lib/mod.ts";
import { HAS_REFERENCE, rejection, uniqueModel } from "./_helpers.ts";
import { NO_WAIT, referenceErrors, taskCalls, taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";

const EP2 = "這是一個很困難的問題";

Deno.test("translation() replays the series' Ep.2 answer from recordings/, without the network", async () => {
  await fromRecordings(async (replay) => {
    const output = await translation(EP2, replay);
    assert.equal(TRANSLATION_MODEL, "Helsinki-NLP/opus-mt-zh-en");
    assert.deepEqual(output, { translation_text: "It's a very difficult question." });
  });
});

Deno.test("translation() replays notebook 01's other requests: en→zh, two texts, NLLB with src_lang/tgt_lang", async () => {
  await fromRecordings(async (options) => {
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
});

Deno.test("translation() sends inputs and parameters as the API names them", async () => {
  const network = taskFetch("translation", [{ translation_text: "C'est une question très difficile." }]);
  const output = await translation(EP2, {
    ...LIVE,
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
  const list = await translation(["早安"], { ...LIVE, model: uniqueModel(), fetch: one.fetch });
  assert.deepEqual(list, [{ translation_text: "Good morning." }]);

  const two = taskFetch("translation", [{ translation_text: "a" }, { translation_text: "b" }]);
  const error = await rejection(translation("早安", { ...LIVE, model: uniqueModel(), fetch: two.fetch }));
  assert.ok(error instanceof HfOutputError);
  assert.match(error.message, /2 translations for 1 text/);
});

Deno.test({
  name: "translation() parses every real hf-inference translation answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: "translation",
      count: { atLeast: 17 },
      call: async (live, c) => {
        // The recorded input when the tape kept it, else stand-ins of the same count.
        const answer = c.responseBody as { translation_text: string }[];
        const recorded = (c.requestBody as { inputs?: string | string[] } | null)?.inputs;
        const inputs = recorded ??
          (answer.length === 1 ? "stand-in" : answer.map((_, i) => `stand-in ${i}`));
        const options = { ...live, model: c.model! };
        return Array.isArray(inputs)
          ? await translation(inputs, options)
          : [await translation(inputs, options)];
      },
      expect: (output, c) => assert.deepEqual(output, c.responseBody, c.where),
    });
  },
});

Deno.test("translation() surfaces the service's own message from real error bodies, through a fake server", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("opus-mt-zh-en");
  fake.setModelTask(model, "translation");
  fake.on(`/hf-inference/models/${model}`, scenarios.notFound404);
  const error = await rejection(translation(EP2, { ...LIVE, model, fetch: fake.fetch, retry: NO_WAIT }));
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 404);
  assert.equal(error.serviceMessage, "Model this-model/does-not-exist-123 does not exist");
  assert.match(error.hint, /model id/);

  fake.on(`/hf-inference/models/${model}`, scenarios.server500WithWarnings);
  const busy = await rejection(translation(EP2, { ...LIVE, model, fetch: fake.fetch, retry: NO_WAIT }));
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
    await surfacesEveryReferenceError({
      task: "translation",
      cases: await referenceErrors("fill-mask"),
      count: { atLeast: 7 },
      call: (live) => translation(EP2, live),
      note: "(fill-mask's, unknown model)",
    });
  },
});

Deno.test("translation() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot translate: ",
    call: (input: unknown, options: TranslationOptions | undefined, live) =>
      translation(input as string, { ...live, ...options }),
    cases: [
      ["an empty text", "", undefined, TypeError, /"inputs" must be a non-empty string, got "" \(blank\)/],
      ["a blank text", "   ", undefined, TypeError, /"inputs"/],
      ["a number", 42, undefined, TypeError, /"inputs" must be a string or an array/],
      ["no texts", [], undefined, RangeError, /"inputs" must list at least one text/],
      ["a blank text in the list", ["ok", " "], undefined, TypeError, /"inputs\[1\]"/],
      [
        "a misspelt parameter",
        EP2,
        { parameters: { src_lng: "zh" } as never },
        TypeError,
        /"parameters.src_lng" is not a parameter of/,
      ],
      [
        "a language code with a space",
        EP2,
        { parameters: { src_lang: "zho Hant" } },
        RangeError,
        /"parameters.src_lang" must be a language code without spaces/,
      ],
      ["a blank tgt_lang", EP2, { parameters: { tgt_lang: "" } }, TypeError, /"parameters.tgt_lang"/],
      [
        "an unknown truncation",
        EP2,
        { parameters: { truncation: "sometimes" as never } },
        RangeError,
        /"parameters.truncation" must be one of/,
      ],
      [
        "top_p 2",
        EP2,
        { parameters: { generate_parameters: { top_p: 2 } } },
        RangeError,
        /"parameters.generate_parameters.top_p"/,
      ],
      ["a model id with spaces", EP2, { model: "not a model" }, TypeError, /"model"/],
    ],
  });
});
