/**
 * imageTextToImage(): its authored fal-ai queue recording replayed offline, a
 * call with a picture and one with the prompt alone (the router path is
 * kept), and the input checks.
 */
import assert from "node:assert/strict";
import { provenanceOf } from "../lib/provenance.ts";
import { imageTextToImage } from "../lib/tasks/image_text_to_image.ts";
import { APPLE, falCase, media } from "./_provider_tasks.ts";
import { fromRecordings, rejectsBeforeAnyRequest } from "./_task_contract.ts";

const PROMPT = "Draw it as a pencil sketch";

Deno.test("imageTextToImage replays its queued recording offline: a PNG, labelled authored", async () => {
  const picture = await fromRecordings((replay) =>
    imageTextToImage({ image: APPLE, prompt: PROMPT }, replay)
  );
  assert.equal(picture.mediaType, "image/png");
  assert.deepEqual(picture.bytes, await media("sketch.png"));
  assert.equal(provenanceOf(picture)?.kind, "authored");
});

Deno.test("imageTextToImage sends the picture and the prompt; without a picture only the prompt", async () => {
  const png = await media("sketch.png");
  for (const image of [APPLE, undefined]) {
    await using c = await falCase("image-text-to-image", "fal-ai/flux-2/edit", {
      bytes: png,
      type: "image/png",
    }, (url) => ({
      images: [{ url }],
    }));
    const picture = await imageTextToImage({ prompt: PROMPT, ...(image ? { image } : {}) }, {
      ...c.live,
      parameters: { seed: 3 },
    });
    assert.deepEqual(picture.bytes, png);
    const body = c.submitted();
    assert.equal(body.prompt, PROMPT);
    assert.equal(body.seed, 3);
    assert.equal(typeof body.image_url, image ? "string" : "undefined");
    const submit = c.fake.requests.find((r) => r.method === "POST");
    assert.equal(submit?.url, "https://router.huggingface.co/fal-ai/fal-ai/flux-2/edit?_subdomain=queue");
  }
});

Deno.test("imageTextToImage checks its prompt, picture and parameters before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot generate image: ",
    call: (input, parameters, live) =>
      imageTextToImage(input as never, { ...live, parameters: parameters as never }),
    cases: [
      ["a bare string", PROMPT, undefined, TypeError, /"inputs" must be an object, got a string/],
      [
        "neither picture nor prompt",
        {},
        undefined,
        TypeError,
        /"inputs.prompt" must be a non-empty string, got undefined/,
      ],
      ["blank prompt with a picture", { image: APPLE, prompt: " " }, undefined, TypeError, /"inputs.prompt"/],
      [
        "unknown input",
        { prompt: PROMPT, mask: APPLE },
        undefined,
        TypeError,
        /"inputs" has no parameter "mask"/,
      ],
      [
        "empty picture",
        { prompt: PROMPT, image: new Uint8Array() },
        undefined,
        TypeError,
        /"inputs.image" must be a picture, got 0 bytes/,
      ],
      [
        "prompt as a parameter",
        { prompt: PROMPT },
        { prompt: "x" },
        TypeError,
        /"parameters.prompt" must not be given, got a string: give the prompt as inputs.prompt/,
      ],
    ],
  });
});

Deno.test("imageTextToImage: a picture alone is enough, as the spec says (no prompt is sent)", async () => {
  const png = await media("sketch.png");
  await using c = await falCase("image-text-to-image", "fal-ai/flux-2/edit", {
    bytes: png,
    type: "image/png",
  }, (url) => ({
    images: [{ url }],
  }));
  await imageTextToImage({ image: APPLE }, c.live);
  const body = c.submitted();
  assert.equal("prompt" in body && body.prompt !== undefined, false);
  assert.match(String(body.image_url), /^data:image\/png;base64,/);
});
