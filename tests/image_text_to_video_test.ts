/**
 * imageTextToVideo(): its authored fal-ai queue recording replayed offline,
 * the body it submits, and the input checks.
 */
import assert from "node:assert/strict";
import { provenanceOf } from "../lib/provenance.ts";
import { imageTextToVideo } from "../lib/tasks/image_text_to_video.ts";
import { APPLE, falCase, media } from "./_provider_tasks.ts";
import { fromRecordings, rejectsBeforeAnyRequest } from "./_task_contract.ts";

const PROMPT = "The apple slowly turns on the window sill";

Deno.test("imageTextToVideo replays its queued recording offline: an MP4 clip, labelled authored", async () => {
  const clip = await fromRecordings((replay) => imageTextToVideo({ image: APPLE, prompt: PROMPT }, replay));
  assert.equal(clip.mediaType, "video/mp4");
  assert.deepEqual(clip.bytes, await media("zoom.mp4"));
  assert.equal(provenanceOf(clip)?.kind, "authored");
});

Deno.test("imageTextToVideo sends the picture as image_url and the prompt at the top level", async () => {
  const mp4 = await media("zoom.mp4");
  await using c = await falCase("image-text-to-video", "fal-ai/wan/v2.2-5b/image-to-video", {
    bytes: mp4,
    type: "video/mp4",
  }, (url) => ({ video: { url } }));
  const clip = await imageTextToVideo({ image: APPLE, prompt: PROMPT }, {
    ...c.live,
    parameters: { num_frames: 121 },
  });
  assert.deepEqual(clip.bytes, mp4);
  const body = c.submitted();
  assert.match(String(body.image_url), /^data:image\/png;base64,/);
  assert.equal(body.prompt, PROMPT);
  assert.equal(body.num_frames, 121);
});

Deno.test("imageTextToVideo checks its prompt, picture and parameters before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot generate video: ",
    call: (input, parameters, live) =>
      imageTextToVideo(input as never, { ...live, parameters: parameters as never }),
    cases: [
      ["no inputs", undefined, undefined, TypeError, /"inputs" must be an object/],
      ["blank prompt", { prompt: " " }, undefined, TypeError, /"inputs.prompt"/],
      [
        "a recording as picture",
        { prompt: PROMPT, image: new URL("../notebooks/assets/apple_en.wav", import.meta.url) },
        undefined,
        TypeError,
        /"inputs.image" must be an image/,
      ],
      ["bad guidance", { prompt: PROMPT }, { guidance_scale: -1 }, RangeError, /"parameters.guidance_scale"/],
    ],
  });
});
