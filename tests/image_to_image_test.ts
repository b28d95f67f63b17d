/**
 * imageToImage(): its authored fal-ai queue recording replayed offline, the
 * picture sent as data URLs (`image_url` and `image_urls`), and the input
 * checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import { imageToImage } from "../lib/tasks/image_to_image.ts";
import { APPLE, falCase, media, SPEECH } from "./_provider_tasks.ts";
import { HAS_REFERENCE, rejection } from "./_helpers.ts";
import { mediaFetch, referenceSuccesses } from "./_reference_tasks.ts";
import { fromRecordings, liveOptions, rejectsBeforeAnyRequest } from "./_task_contract.ts";

const PROMPT = "Make it a warm autumn afternoon";

Deno.test("imageToImage replays its queued recording offline: a PNG, labelled authored", async () => {
  const picture = await fromRecordings((replay) =>
    imageToImage(APPLE, { ...replay, parameters: { prompt: PROMPT } })
  );
  assert.equal(picture.mediaType, "image/png");
  assert.deepEqual(picture.bytes, await media("edited.png"));
  assert.equal(provenanceOf(picture)?.kind, "authored");
});

Deno.test("imageToImage sends the picture to fal-ai as a data URL, with the prompt at the top level", async () => {
  const png = await media("edited.png");
  await using c = await falCase("image-to-image", "fal-ai/flux-kontext/dev", {
    bytes: png,
    type: "image/png",
  }, (url) => ({
    images: [{ url }],
  }));
  const picture = await imageToImage(await Deno.readFile(APPLE), {
    ...c.live,
    parameters: { prompt: PROMPT, target_size: { width: 64, height: 48 } },
  });
  assert.deepEqual(picture.bytes, png);
  const body = c.submitted();
  assert.match(String(body.image_url), /^data:image\/png;base64,iVBORw0KGgo/);
  assert.deepEqual(body.image_urls, [body.image_url]);
  assert.equal(body.prompt, PROMPT);
  assert.deepEqual(body.target_size, { width: 64, height: 48 });
});

Deno.test("imageToImage checks its picture and parameters before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot transform image: ",
    call: (input, parameters, live) =>
      imageToImage(input as never, { ...live, parameters: parameters as never }),
    cases: [
      ["a recording", SPEECH, undefined, TypeError, /"inputs" must be an image in PNG.*, got audio \(WAV\)/],
      ["no such file", "no/such/apple.png", undefined, TypeError, /must name a file/],
      [
        "size without height",
        APPLE,
        { target_size: { width: 64 } },
        TypeError,
        /"parameters.target_size.height"/,
      ],
      ["size of zero", APPLE, { target_size: { width: 0, height: 8 } }, RangeError, /target_size.width/],
      [
        "a provider's parameter outside extraParameters",
        APPLE,
        { strength: 0.5 },
        TypeError,
        /"parameters.strength" is not a parameter of image-to-image/,
      ],
    ],
  });
});

Deno.test({
  name:
    "imageToImage refuses every real recorded HF Inference answer, stored empty by the tapes, as an empty image",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = await referenceSuccesses("image-to-image", { anyBody: true });
    assert.equal(successes.length, 9, "9 in interactions.json, every one stored empty");
    for (const c of successes) {
      assert.equal(c.responseBodyKind, "omitted", c.where);
      const service = mediaFetch("image-to-image", {
        bytes: new Uint8Array(),
        type: c.headers["content-type"]!,
      });
      const error = await rejection(
        imageToImage(APPLE, {
          ...liveOptions(service.fetch),
          provider: "hf-inference",
          parameters: { prompt: PROMPT },
        }),
      );
      assert.ok(error instanceof HfOutputError, `${c.where}: ${error}`);
      assert.match(error.message, /the image of .* \(hf-inference\) is empty \(0 bytes\)/);
      const sent = JSON.parse(service.posts()[0]!.text);
      assert.match(sent.inputs, /^iVBORw0KGgo/, "with parameters, HF Inference gets base64 inputs in JSON");
      assert.deepEqual(sent.parameters, { prompt: PROMPT });
    }
  },
});
