/**
 * imageClassification(): the project's picture on its recording, raw bytes vs
 * JSON with parameters, every real recorded answer and error, input checks.
 */
import assert from "node:assert/strict";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  IMAGE_CLASSIFICATION_MODEL,
  imageClassification,
  type ImageClassificationOptions,
} from "../lib/tasks/image_classification.ts";
import { CLEAN_ENV, HAS_REFERENCE, uniqueModel, withEnv } from "./_helpers.ts";
import {
  base64,
  EN_WAV,
  mediaFetch,
  NO_WAIT,
  noNetwork,
  PICTURE,
  PICTURE_PATH,
  realCases,
} from "./_media_fixtures.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "image-classification";
const LABELS = [{ label: "cheetah, chetah, Acinonyx jubatus", score: 0.998 }];

function live(fetch: typeof globalThis.fetch, model = uniqueModel("vit")): ImageClassificationOptions {
  return { model, mode: "live", accessToken: "hf_test", fetch, retry: NO_WAIT };
}

Deno.test("imageClassification() replays the picture's labels, and top_k 3, from recordings/ only", async () => {
  const network = noNetwork();
  const [all, top3] = await withEnv(CLEAN_ENV, async () => [
    await imageClassification(PICTURE_PATH, { mode: "replay", fetch: network.fetch }),
    await imageClassification(PICTURE, { mode: "replay", fetch: network.fetch, parameters: { top_k: 3 } }),
  ]);
  assert.equal(network.calls.length, 0);
  assert.equal(all.length, 5);
  assert.equal(all[0]?.label, "Granny Smith");
  assert.deepEqual(top3, all.slice(0, 3));
});

Deno.test("imageClassification() sends the picture as raw bytes without parameters", async () => {
  const hub = mediaFetch(TASK, { json: LABELS });
  const model = uniqueModel("vit");
  assert.deepEqual(
    await imageClassification(new Blob([PICTURE as Uint8Array<ArrayBuffer>]), live(hub.fetch, model)),
    LABELS,
  );
  const [call] = hub.posts();
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(call?.bytes, PICTURE);
  assert.doesNotMatch(call?.headers.get("content-type") ?? "", /json/);
});

Deno.test("imageClassification() sends JSON with base64 inputs when parameters go along (the library would drop them)", async () => {
  const hub = mediaFetch(TASK, { json: LABELS });
  const model = uniqueModel("vit");
  await imageClassification(PICTURE.buffer as ArrayBuffer, {
    ...live(hub.fetch, model),
    parameters: { top_k: 1, function_to_apply: "sigmoid" },
  });
  const [call] = hub.posts();
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.match(call?.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(JSON.parse(call!.text), {
    inputs: base64(PICTURE),
    parameters: { top_k: 1, function_to_apply: "sigmoid" },
  });
});

Deno.test("imageClassification() uses google/vit-base-patch16-224 when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: LABELS });
  await imageClassification(PICTURE, { mode: "live", accessToken: "hf_test", fetch: hub.fetch });
  assert.equal(IMAGE_CLASSIFICATION_MODEL, "google/vit-base-patch16-224");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/google\/vit-base-patch16-224$/);
});

Deno.test("imageClassification() throws HfOutputError for an answer that is not labels", async () => {
  await assert.rejects(
    imageClassification(PICTURE, live(mediaFetch(TASK, { json: [{ generated_text: "a cat" }] }).fetch)),
    (error: unknown) => error instanceof HfOutputError && /image-classification answer/.test(error.message),
  );
});

Deno.test({
  name: "imageClassification() parses every real hf-inference image-classification success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = (await realCases(TASK)).filter((r) =>
      r.provider === "hf-inference" && r.status === 200
    );
    let parsed = 0;
    for (const recorded of successes) {
      const labels = await imageClassification(
        PICTURE,
        live(mediaFetch(TASK, { json: recorded.responseBody }).fetch),
      );
      assert.deepEqual(labels, recorded.responseBody, recorded.where);
      assert.ok(
        labels.length > 0 && labels.every((l) => typeof l.label === "string" && typeof l.score === "number"),
      );
      parsed++;
    }
    assert.equal(successes.length, 9, "6 in interactions.json, 3 in hub_cassettes.json");
    assert.equal(parsed, successes.length);
  },
});

Deno.test({
  name: "imageClassification() turns the real 400 `Invalid image` into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = (await realCases(TASK)).filter((r) =>
      r.status >= 400 && typeof r.responseBodyRaw === "string"
    );
    assert.equal(errors.length, 1);
    for (const recorded of errors) {
      await using fake = await startFakeHf();
      const model = uniqueModel("vit");
      fake.setModelTask(model, TASK);
      fake.on(`/hf-inference/models/${model}`, {
        status: recorded.status,
        headers: { "content-type": "application/json" },
        text: recorded.responseBodyRaw!,
      });
      await assert.rejects(imageClassification(PICTURE, live(fake.fetch, model)), (error: unknown) => {
        assert.ok(error instanceof HfApiError);
        assert.equal(error.status, 400);
        // The body is a list: @huggingface/inference says only "an HTTP error occurred"; the workbook keeps the text.
        assert.equal(error.serviceMessage, "Error in `inputs`: Invalid image: {}");
        assert.match(error.hint, /rejected the input/);
        return true;
      });
      assert.equal(fake.requests.filter((r) => r.method === "POST").length, 1, "a 400 is not retried");
    }
  },
});

Deno.test("imageClassification() checks its input before any request", async (t) => {
  const bad: [string, unknown, unknown, RegExp, ErrorConstructor][] = [
    [
      "a number",
      42,
      undefined,
      /"inputs" must be a picture: a file path, a Uint8Array, an ArrayBuffer or a Blob, got 42/,
      TypeError,
    ],
    ["no bytes", new Uint8Array(), undefined, /"inputs" must be a picture, got 0 bytes/, TypeError],
    [
      "a recording",
      EN_WAV,
      undefined,
      /"inputs" must be an image in PNG, JPEG.*, got audio \(WAV\)/,
      TypeError,
    ],
    [
      "a web URL",
      "https://example.com/cat.jpg",
      undefined,
      /got a https URL; download the file first/,
      TypeError,
    ],
    [
      "a missing file",
      "no/such/picture.png",
      undefined,
      /must name a file, got "no\/such\/picture.png"/,
      TypeError,
    ],
    ["a misspelt parameter", PICTURE, { topK: 3 }, /"parameters" has no parameter "topK"/, TypeError],
    [
      "top_k 0",
      PICTURE,
      { top_k: 0 },
      /"parameters.top_k" must be a whole number of at least 1, got 0/,
      RangeError,
    ],
    [
      "an unknown function_to_apply",
      PICTURE,
      { function_to_apply: "relu" },
      /"parameters.function_to_apply" must be one of sigmoid, softmax, none, got "relu"/,
      RangeError,
    ],
    [
      "parameters with provider auto",
      PICTURE,
      { top_k: 1 },
      /"provider" must be named when parameters are sent, got "auto"/,
      TypeError,
    ],
  ];
  for (const [what, inputs, parameters, message, type] of bad) {
    await t.step(what, async () => {
      const network = noNetwork();
      await assert.rejects(
        imageClassification(inputs as Uint8Array, {
          mode: "live",
          accessToken: "hf_test",
          fetch: network.fetch,
          parameters: parameters as ImageClassificationOptions["parameters"],
          ...(what.includes("auto") ? { provider: "auto" } : {}),
        }),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
      );
      assert.equal(network.calls.length, 0);
    });
  }
});
