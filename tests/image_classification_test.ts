/**
 * imageClassification(): the project's picture on its recording, raw bytes vs
 * JSON with parameters, every real recorded answer and error, input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import {
  IMAGE_CLASSIFICATION_MODEL,
  imageClassification,
  type ImageClassificationOptions,
} from "../lib/tasks/image_classification.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, EN_WAV, PICTURE, PICTURE_PATH } from "./_media_fixtures.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

const TASK = "image-classification";
const LABELS = [{ label: "cheetah, chetah, Acinonyx jubatus", score: 0.998 }];

Deno.test("imageClassification() replays the picture's labels, and top_k 3, from recordings/ only", async () => {
  const [all, top3] = await fromRecordings(async (replay) => [
    await imageClassification(PICTURE_PATH, replay),
    await imageClassification(PICTURE, { ...replay, parameters: { top_k: 3 } }),
  ]);
  assert.equal(all.length, 5);
  assert.equal(all[0]?.label, "Granny Smith");
  assert.deepEqual(top3, all.slice(0, 3));
});

Deno.test("imageClassification() sends the picture as raw bytes without parameters", async () => {
  const hub = mediaFetch(TASK, { json: LABELS });
  const model = uniqueModel("vit");
  assert.deepEqual(
    await imageClassification(new Blob([PICTURE as Uint8Array<ArrayBuffer>]), liveOptions(hub.fetch, model)),
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
    ...liveOptions(hub.fetch, model),
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
  await imageClassification(PICTURE, { ...LIVE, fetch: hub.fetch });
  assert.equal(IMAGE_CLASSIFICATION_MODEL, "google/vit-base-patch16-224");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/google\/vit-base-patch16-224$/);
});

Deno.test("imageClassification() throws HfOutputError for an answer that is not labels", async () => {
  await assert.rejects(
    imageClassification(
      PICTURE,
      liveOptions(mediaFetch(TASK, { json: [{ generated_text: "a cat" }] }).fetch),
    ),
    (error: unknown) => error instanceof HfOutputError && /image-classification answer/.test(error.message),
  );
});

Deno.test({
  name: "imageClassification() parses every real hf-inference image-classification success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 9, // 6 in interactions.json, 3 in hub_cassettes.json
      call: (live) => imageClassification(PICTURE, live),
      expect: (labels, c) => {
        assert.deepEqual(labels, c.responseBody, c.where);
        assert.ok(
          labels.length > 0 &&
            labels.every((l) => typeof l.label === "string" && typeof l.score === "number"),
        );
      },
    });
  },
});

Deno.test({
  name: "imageClassification() turns the real 400 `Invalid image` into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: 1,
      call: (live) => imageClassification(PICTURE, live),
      expect: (error, _, posts) => {
        assert.equal(error.status, 400);
        // The body is a list: @huggingface/inference says only "an HTTP error occurred"; the workbook keeps the text.
        assert.equal(error.serviceMessage, "Error in `inputs`: Invalid image: {}");
        assert.match(error.hint, /rejected the input/);
        assert.equal(posts, 1, "a 400 is not retried");
      },
    });
  },
});

Deno.test("imageClassification() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot classify image: ",
    call: (inputs: unknown, options: ImageClassificationOptions | undefined, live) =>
      imageClassification(inputs as Uint8Array, { ...live, ...options }),
    cases: [
      [
        "a number",
        42,
        undefined,
        TypeError,
        /"inputs" must be a picture: a file path, a Uint8Array, an ArrayBuffer or a Blob, got 42/,
      ],
      ["no bytes", new Uint8Array(), undefined, TypeError, /"inputs" must be a picture, got 0 bytes/],
      [
        "a recording",
        EN_WAV,
        undefined,
        TypeError,
        /"inputs" must be an image in PNG, JPEG.*, got audio \(WAV\)/,
      ],
      [
        "a web URL",
        "https://example.com/cat.jpg",
        undefined,
        TypeError,
        /got a https URL; download the file first/,
      ],
      [
        "a missing file",
        "no/such/picture.png",
        undefined,
        TypeError,
        /must name a file, got "no\/such\/picture.png"/,
      ],
      [
        "a misspelt parameter",
        PICTURE,
        { parameters: { topK: 3 } as never },
        TypeError,
        /"parameters.topK" is not a parameter of image-classification; did you mean "top_k"\?/,
      ],
      [
        "top_k 0",
        PICTURE,
        { parameters: { top_k: 0 } },
        RangeError,
        /"parameters.top_k" must be a whole number of at least 1, got 0/,
      ],
      [
        "an unknown function_to_apply",
        PICTURE,
        { parameters: { function_to_apply: "relu" as never } },
        RangeError,
        /"parameters.function_to_apply" must be one of sigmoid, softmax, none, got "relu"/,
      ],
      [
        "parameters with provider auto",
        PICTURE,
        { parameters: { top_k: 1 }, provider: "auto" },
        TypeError,
        /"provider" must be named when parameters are sent, got "auto"/,
      ],
    ],
  });
});
