/**
 * imageToText(): the project's picture on its recording, the `[{generated_text}]`
 * answer the library rejects, the zai-org provider, every real recorded answer
 * and error, input checks.
 */
import assert from "node:assert/strict";
import {
  imageToText as libraryImageToText,
  InferenceClientProviderOutputError,
} from "@huggingface/inference";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import { IMAGE_TO_TEXT_MODEL, imageToText, type ImageToTextOptions } from "../lib/tasks/image_to_text.ts";
import { CLEAN_ENV, HAS_REFERENCE, uniqueModel, withEnv } from "./_helpers.ts";
import {
  base64,
  mediaFetch,
  NO_WAIT,
  noNetwork,
  PICTURE,
  PICTURE_PATH,
  realCases,
  silentWav,
} from "./_media_fixtures.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "image-to-text";
const CAPTION = [{ generated_text: "a large brown and white giraffe standing in a field " }];

function live(fetch: typeof globalThis.fetch, model = uniqueModel("blip")): ImageToTextOptions {
  return { model, mode: "live", accessToken: "hf_test", fetch, retry: NO_WAIT };
}

Deno.test("imageToText() replays the picture's caption from recordings/ only", async () => {
  const network = noNetwork();
  const out = await withEnv(
    CLEAN_ENV,
    () => imageToText(PICTURE_PATH, { mode: "replay", fetch: network.fetch }),
  );
  assert.equal(network.calls.length, 0);
  assert.equal(out.generated_text, "a red apple sitting on a window sill next to a potted plant");
  assert.equal(out.generatedText, out.generated_text);
});

Deno.test("@huggingface/inference alone rejects the [{generated_text}] answer HF Inference sends; imageToText() reads it", async () => {
  const hub = mediaFetch(TASK, { json: CAPTION });
  const model = uniqueModel("blip");
  await assert.rejects(
    libraryImageToText({
      model,
      provider: "hf-inference",
      inputs: new Blob([PICTURE as Uint8Array<ArrayBuffer>]),
    }, {
      fetch: hub.fetch,
    }),
    InferenceClientProviderOutputError,
  );
  const out = await imageToText(PICTURE, live(hub.fetch, model));
  assert.deepEqual(out, {
    generated_text: CAPTION[0]!.generated_text,
    generatedText: CAPTION[0]!.generated_text,
  });
});

Deno.test("imageToText() also reads a {generated_text} object, as the library expects", async () => {
  const out = await imageToText(PICTURE, live(mediaFetch(TASK, { json: { generated_text: "a cat" } }).fetch));
  assert.equal(out.generated_text, "a cat");
});

Deno.test("imageToText() sends raw bytes, or JSON with base64 inputs and max_new_tokens", async () => {
  const hub = mediaFetch(TASK, { json: CAPTION });
  const model = uniqueModel("blip");
  await imageToText(PICTURE, live(hub.fetch, model));
  await imageToText(PICTURE, { ...live(hub.fetch, model), parameters: { max_new_tokens: 20 } });
  const [raw, json] = hub.posts();
  assert.equal(raw?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(raw?.bytes, PICTURE);
  assert.deepEqual(JSON.parse(json!.text), { inputs: base64(PICTURE), parameters: { max_new_tokens: 20 } });
});

Deno.test("imageToText() with provider zai-org sends a typed data URL to its layout parsing and returns the Markdown", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("glm-ocr");
  fake.setMapping(model, { "zai-org": { status: "live", providerId: "glm-ocr", task: TASK } });
  fake.on(/^https:\/\/router\.huggingface\.co\//, { json: { md_results: "# An apple on the window" } });
  const out = await imageToText(PICTURE, { ...live(fake.fetch, model), provider: "zai-org" });
  assert.equal(out.generated_text, "# An apple on the window");
  const call = fake.requests.find((r) => r.method === "POST");
  assert.equal(call?.url, "https://router.huggingface.co/zai-org/api/paas/v4/layout_parsing");
  const body = JSON.parse(call!.body);
  assert.equal(body.model, "glm-ocr");
  assert.equal(body.file, `data:image/png;base64,${base64(PICTURE)}`);
});

Deno.test("imageToText() uses Salesforce/blip-image-captioning-base when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: CAPTION });
  await imageToText(PICTURE, { mode: "live", accessToken: "hf_test", fetch: hub.fetch });
  assert.equal(IMAGE_TO_TEXT_MODEL, "Salesforce/blip-image-captioning-base");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/Salesforce\/blip-image-captioning-base$/);
});

Deno.test("imageToText() throws HfOutputError for an answer without text", async () => {
  await assert.rejects(
    imageToText(PICTURE, live(mediaFetch(TASK, { json: [{ label: "giraffe", score: 0.9 }] }).fetch)),
    (error: unknown) => error instanceof HfOutputError && /image-to-text answer/.test(error.message),
  );
});

Deno.test({
  name:
    "imageToText() parses every real hf-inference image-to-text success in hf-recorded (the library alone parses none)",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = (await realCases(TASK)).filter((r) =>
      r.provider === "hf-inference" && r.status === 200
    );
    let parsed = 0;
    let libraryParsed = 0;
    for (const recorded of successes) {
      const hub = mediaFetch(TASK, { json: recorded.responseBody });
      const model = uniqueModel("blip");
      const out = await imageToText(PICTURE, live(hub.fetch, model));
      assert.equal(
        out.generated_text,
        (recorded.responseBody as { generated_text: string }[])[0]!.generated_text,
      );
      parsed++;
      try {
        await libraryImageToText({
          model,
          provider: "hf-inference",
          inputs: new Blob([PICTURE as Uint8Array<ArrayBuffer>]),
        }, {
          fetch: hub.fetch,
        });
        libraryParsed++;
      } catch (error) {
        assert.ok(error instanceof InferenceClientProviderOutputError);
      }
    }
    assert.equal(successes.length, 6, "3 in interactions.json, 3 in hub_cassettes.json");
    assert.deepEqual({ parsed, libraryParsed }, { parsed: 6, libraryParsed: 0 });
  },
});

Deno.test({
  name:
    "imageToText() turns the real 400 `Invalid image` into HfApiError with the service's message (the library says only 'an HTTP error occurred')",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = (await realCases(TASK)).filter((r) =>
      r.status >= 400 && typeof r.responseBodyRaw === "string"
    );
    assert.equal(errors.length, 1);
    for (const recorded of errors) {
      await using fake = await startFakeHf();
      const model = uniqueModel("blip");
      fake.setModelTask(model, TASK);
      fake.on(`/hf-inference/models/${model}`, {
        status: 400,
        headers: { "content-type": "application/json" },
        text: recorded.responseBodyRaw!,
      });
      await assert.rejects(imageToText(PICTURE, live(fake.fetch, model)), (error: unknown) => {
        assert.ok(error instanceof HfApiError);
        assert.equal(error.status, 400);
        assert.equal(error.serviceMessage, "Error in `inputs`: Invalid image: {}");
        assert.match(error.message, /Invalid image/);
        return true;
      });
      // What the library alone says for the same body.
      await assert.rejects(
        libraryImageToText({
          model,
          provider: "hf-inference",
          inputs: new Blob([PICTURE as Uint8Array<ArrayBuffer>]),
        }, {
          fetch: fake.fetch,
        }),
        /an HTTP error occurred when requesting the provider/,
      );
    }
  },
});

Deno.test("imageToText() checks its input before any request", async (t) => {
  const bad: [string, unknown, unknown, RegExp, ErrorConstructor][] = [
    [
      "a recording",
      silentWav(),
      undefined,
      /"inputs" must be an image in PNG.*, got audio \(WAV\)/,
      TypeError,
    ],
    [
      "an object",
      { image: PICTURE },
      undefined,
      /"inputs" must be a picture: a file path.*, got object/,
      TypeError,
    ],
    [
      "max_new_tokens 0",
      PICTURE,
      { max_new_tokens: 0 },
      /"parameters.max_new_tokens" must be a whole number of at least 1/,
      RangeError,
    ],
    [
      "a misspelt parameter",
      PICTURE,
      { max_tokens: 20 },
      /"parameters" has no parameter "max_tokens"/,
      TypeError,
    ],
  ];
  for (const [what, inputs, parameters, message, type] of bad) {
    await t.step(what, async () => {
      const network = noNetwork();
      await assert.rejects(
        imageToText(inputs as Uint8Array, {
          mode: "live",
          accessToken: "hf_test",
          fetch: network.fetch,
          parameters: parameters as ImageToTextOptions["parameters"],
        }),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
      );
      assert.equal(network.calls.length, 0);
    });
  }
});
