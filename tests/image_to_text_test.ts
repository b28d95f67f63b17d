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
import { HfOutputError } from "../lib/errors.ts";
import { IMAGE_TO_TEXT_MODEL, imageToText } from "../lib/tasks/image_to_text.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, PICTURE, PICTURE_PATH, silentWav } from "./_media_fixtures.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "image-to-text";
const CAPTION = [{ generated_text: "a large brown and white giraffe standing in a field " }];

/** What @huggingface/inference alone makes of the picture, for `model` through `fetch`. */
function libraryCaption(model: string, fetch: typeof globalThis.fetch) {
  return libraryImageToText({
    model,
    provider: "hf-inference",
    inputs: new Blob([PICTURE as Uint8Array<ArrayBuffer>]),
  }, { fetch });
}

Deno.test("imageToText() replays the picture's caption from recordings/ only", async () => {
  const out = await fromRecordings((replay) => imageToText(PICTURE_PATH, replay));
  assert.equal(out.generated_text, "a red apple sitting on a window sill next to a potted plant");
  assert.equal(out.generatedText, out.generated_text);
});

Deno.test("@huggingface/inference alone rejects the [{generated_text}] answer HF Inference sends; imageToText() reads it", async () => {
  const hub = mediaFetch(TASK, { json: CAPTION });
  const model = uniqueModel("blip");
  await assert.rejects(libraryCaption(model, hub.fetch), InferenceClientProviderOutputError);
  const out = await imageToText(PICTURE, liveOptions(hub.fetch, model));
  assert.deepEqual(out, {
    generated_text: CAPTION[0]!.generated_text,
    generatedText: CAPTION[0]!.generated_text,
  });
});

Deno.test("imageToText() also reads a {generated_text} object, as the library expects", async () => {
  const out = await imageToText(
    PICTURE,
    liveOptions(mediaFetch(TASK, { json: { generated_text: "a cat" } }).fetch),
  );
  assert.equal(out.generated_text, "a cat");
});

Deno.test("imageToText() sends raw bytes, or JSON with base64 inputs and max_new_tokens", async () => {
  const hub = mediaFetch(TASK, { json: CAPTION });
  const model = uniqueModel("blip");
  await imageToText(PICTURE, liveOptions(hub.fetch, model));
  await imageToText(PICTURE, { ...liveOptions(hub.fetch, model), parameters: { max_new_tokens: 20 } });
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
  const out = await imageToText(PICTURE, { ...liveOptions(fake.fetch, model), provider: "zai-org" });
  assert.equal(out.generated_text, "# An apple on the window");
  const call = fake.requests.find((r) => r.method === "POST");
  assert.equal(call?.url, "https://router.huggingface.co/zai-org/api/paas/v4/layout_parsing");
  const body = JSON.parse(call!.body);
  assert.equal(body.model, "glm-ocr");
  assert.equal(body.file, `data:image/png;base64,${base64(PICTURE)}`);
});

Deno.test("imageToText() uses Salesforce/blip-image-captioning-base when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: CAPTION });
  await imageToText(PICTURE, { ...LIVE, fetch: hub.fetch });
  assert.equal(IMAGE_TO_TEXT_MODEL, "Salesforce/blip-image-captioning-base");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/Salesforce\/blip-image-captioning-base$/);
});

Deno.test("imageToText() throws HfOutputError for an answer without text", async () => {
  await assert.rejects(
    imageToText(PICTURE, liveOptions(mediaFetch(TASK, { json: [{ label: "giraffe", score: 0.9 }] }).fetch)),
    (error: unknown) => error instanceof HfOutputError && /image-to-text answer/.test(error.message),
  );
});

Deno.test({
  name:
    "imageToText() parses every real hf-inference image-to-text success in hf-recorded (the library alone parses none)",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    let libraryParsed = 0;
    const parsed = await parsesEveryReferenceSuccess({
      task: TASK,
      count: 6, // 3 in interactions.json, 3 in hub_cassettes.json
      call: async (live) => {
        const out = await imageToText(PICTURE, live);
        try {
          await libraryCaption(live.model, live.fetch);
          libraryParsed++;
        } catch (error) {
          assert.ok(error instanceof InferenceClientProviderOutputError);
        }
        return out;
      },
      expect: (out, c) =>
        assert.equal(out.generated_text, (c.responseBody as { generated_text: string }[])[0]!.generated_text),
    });
    assert.deepEqual({ parsed, libraryParsed }, { parsed: 6, libraryParsed: 0 });
  },
});

Deno.test({
  name:
    "imageToText() turns the real 400 `Invalid image` into HfApiError with the service's message (the library says only 'an HTTP error occurred')",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: 1,
      call: async (live) => {
        // What the library alone says for the same body.
        await assert.rejects(
          libraryCaption(live.model, live.fetch),
          /an HTTP error occurred when requesting the provider/,
        );
        return imageToText(PICTURE, live);
      },
      expect: (error) => {
        assert.equal(error.status, 400);
        assert.equal(error.serviceMessage, "Error in `inputs`: Invalid image: {}");
        assert.match(error.message, /Invalid image/);
      },
    });
  },
});

Deno.test("imageToText() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot caption image: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      imageToText(inputs as Uint8Array, { ...live, parameters: parameters as never }),
    cases: [
      [
        "a recording",
        silentWav(),
        undefined,
        TypeError,
        /"inputs" must be an image in PNG.*, got audio \(WAV\)/,
      ],
      [
        "an object",
        { image: PICTURE },
        undefined,
        TypeError,
        /"inputs" must be a picture: a file path.*, got object/,
      ],
      [
        "max_new_tokens 0",
        PICTURE,
        { max_new_tokens: 0 },
        RangeError,
        /"parameters.max_new_tokens" must be a whole number of at least 1/,
      ],
      [
        "a misspelt parameter",
        PICTURE,
        { max_tokens: 20 },
        TypeError,
        /"parameters.max_tokens" is not a parameter of/,
      ],
    ],
  });
});
