/**
 * textToImage(): the Ep.7 chain on its recording (authored placeholders), the
 * request it sends, typed bytes out, every real recorded text-to-image answer
 * (the stored-empty ones included), real error bodies of HF Inference and of
 * other providers, and the input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { TEXT_TO_IMAGE_MODEL, textToImage } from "../lib/tasks/text_to_image.ts";
import { drawPlaceholder } from "./assets.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { fromBase64 } from "./_media_fixtures.ts";
import { mediaFetch, type ReferenceCase, referenceErrors, referenceSuccesses } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

const TASK = "text-to-image";
const PROMPT_ZH = "一個在窗戶上的蘋果";
const PROMPT_EN = "An apple on the window.";
const PNG = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  13,
  0x49,
  0x48,
  0x44,
  0x52,
]);

Deno.test("textToImage() replays Ep.7's chain: both prompts give the authored placeholders, as PNG bytes", async () => {
  const [zh, en, wide] = await fromRecordings(async (replay) => [
    await textToImage(PROMPT_ZH, replay),
    await textToImage(PROMPT_EN, replay),
    await textToImage(PROMPT_EN, {
      ...replay,
      parameters: {
        negative_prompt: "blurry, low quality",
        num_inference_steps: 25,
        guidance_scale: 7.5,
        seed: 42,
        width: 512,
        height: 384,
      },
    }),
  ]);
  assert.equal(zh.mediaType, "image/png");
  assert.ok(zh.bytes instanceof Uint8Array);
  // The recordings' pictures are exactly what tests/assets.ts draws: placeholders, remade by code.
  assert.deepEqual(zh.bytes, drawPlaceholder("jumble", 512, 512));
  assert.deepEqual(en.bytes, drawPlaceholder("scene", 512, 512));
  assert.deepEqual(wide.bytes, drawPlaceholder("scene", 512, 384));
});

Deno.test("textToImage() sends {inputs, parameters} as JSON to the model's hf-inference URL", async () => {
  const hub = mediaFetch(TASK, { bytes: PNG, type: "image/png" });
  const model = uniqueModel("diffusion");
  const picture = await textToImage(PROMPT_EN, {
    ...liveOptions(hub.fetch, model),
    parameters: { negative_prompt: "blurry", seed: 7, width: 512, height: 384 },
  });
  assert.deepEqual(picture, { bytes: PNG, mediaType: "image/png" });
  const [call] = hub.posts();
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.match(call?.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(JSON.parse(call!.text), {
    inputs: PROMPT_EN,
    parameters: { negative_prompt: "blurry", seed: 7, width: 512, height: 384 },
  });
});

Deno.test("textToImage() uses the series' Stable Diffusion 1.5 when no model is named", async () => {
  const hub = mediaFetch(TASK, { bytes: PNG, type: "image/png" });
  await textToImage(PROMPT_EN, { ...LIVE, fetch: hub.fetch });
  assert.equal(TEXT_TO_IMAGE_MODEL, "stable-diffusion-v1-5/stable-diffusion-v1-5");
  assert.equal(
    hub.posts()[0]?.url,
    `https://router.huggingface.co/hf-inference/models/${TEXT_TO_IMAGE_MODEL}`,
  );
});

Deno.test("textToImage() reads the media type from the bytes, not from the header", async () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
  const picture = await textToImage(
    PROMPT_EN,
    liveOptions(mediaFetch(TASK, { bytes: jpeg, type: "application/octet-stream" }).fetch),
  );
  assert.equal(picture.mediaType, "image/jpeg");
});

Deno.test("textToImage() throws HfOutputError for an empty answer or one that is not an image", async () => {
  await assert.rejects(
    textToImage(
      PROMPT_EN,
      liveOptions(mediaFetch(TASK, { bytes: new Uint8Array(), type: "image/jpeg" }).fetch),
    ),
    (error: unknown) =>
      error instanceof HfOutputError && /is empty \(0 bytes, image\/jpeg\)/.test(error.message),
  );
  await assert.rejects(
    textToImage(
      PROMPT_EN,
      liveOptions(mediaFetch(TASK, { text: "<html>busy</html>", type: "image/jpeg" }).fetch),
    ),
    (error: unknown) =>
      error instanceof HfOutputError && /is not an image: got text "<html>busy<\/html>"/.test(error.message),
  );
});

Deno.test({
  name:
    "textToImage() returns every real hf-inference text-to-image answer that has bytes, and refuses the stored-empty ones",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = await referenceSuccesses(TASK, { anyBody: true });
    assert.equal(successes.length, 18, "15 in interactions.json, 3 in hub_cassettes.json");
    const bytesOf = (c: ReferenceCase) => {
      const body = c.responseBody as { base64?: string } | null | undefined;
      return body?.base64 ? fromBase64(body.base64) : new Uint8Array();
    };
    let cut = 0;
    const images = await parsesEveryReferenceSuccess({
      task: TASK,
      cases: successes.filter((c) => bytesOf(c).length > 0),
      count: 5,
      answer: (c) => ({ bytes: bytesOf(c), type: "image/jpeg" }),
      call: (live) => textToImage(PROMPT_EN, live),
      expect: (picture, c) => {
        const bytes = bytesOf(c);
        assert.equal(picture.mediaType, "image/jpeg", c.where);
        assert.deepEqual(picture.bytes, bytes);
        if (bytes.at(-2) !== 0xff || bytes.at(-1) !== 0xd9) cut++; // a JPEG cut short by the tapes, returned as it came
      },
    });
    // Stored empty by the tapes (binary bodies after April 2023): no picture to return.
    const empty = successes.filter((c) => bytesOf(c).length === 0);
    for (const c of empty) {
      const hub = mediaFetch(TASK, { bytes: new Uint8Array(), type: "image/jpeg" });
      await assert.rejects(textToImage(PROMPT_EN, liveOptions(hub.fetch)), HfOutputError, c.where);
    }
    assert.deepEqual({ images, empty: empty.length, cut }, { images: 5, empty: 13, cut: 1 });
  },
});

/**
 * The providers `@huggingface/inference` 4.13.30 can still send text-to-image to, with the model's id there;
 * the other providers' bodies go through HF Inference.
 */
const ROUTED = {
  "fal-ai": "fal-ai/flux-lora",
  replicate: "black-forest-labs/flux-schnell",
  together: "black-forest-labs/FLUX.1-schnell",
};

/** The service's message a recorded error body should surface as. */
function expectedMessage(raw: string): string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return raw.trim();
  }
  const b = body as { error?: unknown; detail?: unknown; message?: unknown };
  const e = b.error ?? b.detail ?? b.message;
  if (typeof e === "string") return e;
  if (Array.isArray(e)) {
    return e.map((x) =>
      typeof x === "string" ? x : `${(x as { loc: string[] }).loc.join(".")}: ${(x as { msg: string }).msg}`
    ).join("; ");
  }
  return String((e as { message?: unknown }).message);
}

Deno.test({
  name:
    "textToImage() turns every real text-to-image error body, of every provider, into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      cases: await referenceErrors(TASK, { everyProvider: true }),
      // hf-inference 400, fal-ai 404 + 5 × 422, hyperbolic 400 + 6 × 422, replicate 4 × 422, together 400
      count: 19,
      providers: ROUTED,
      call: (live) => textToImage(PROMPT_EN, live),
      expect: (error, c) => {
        assert.equal(error.serviceMessage, expectedMessage(c.responseBodyRaw!), c.where);
        assert.ok(error.hint.length > 0);
      },
    });
  },
});

Deno.test("textToImage() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot generate image: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      textToImage(inputs as string, { ...live, parameters: parameters as never }),
    cases: [
      ["a number", 42, undefined, TypeError, /"inputs" must be a non-empty string, got 42/],
      ["a blank prompt", "  ", undefined, TypeError, /"inputs" must be a non-empty string/],
      [
        "a misspelt parameter",
        "x",
        { negativePrompt: "blurry" },
        TypeError,
        /"parameters.negativePrompt" is not a parameter of/,
      ],
      [
        "a list as negative prompt (the service's 400)",
        "x",
        { negative_prompt: ["blurry"] },
        TypeError,
        /"parameters.negative_prompt" must be a non-empty string, got an array of 1/,
      ],
      [
        "0 steps",
        "x",
        { num_inference_steps: 0 },
        RangeError,
        /"parameters.num_inference_steps" must be a whole number of at least 1/,
      ],
      ["a fractional width", "x", { width: 512.5 }, RangeError, /"parameters.width" must be a whole number/],
      [
        "a negative seed",
        "x",
        { seed: -1 },
        RangeError,
        /"parameters.seed" must be a whole number of at least 0, got -1/,
      ],
      [
        "guidance as text",
        "x",
        { guidance_scale: "7.5" },
        TypeError,
        /"parameters.guidance_scale" must be a number/,
      ],
    ],
  });
});
