/**
 * imageToVideo(): its authored fal-ai queue recording replayed offline, the
 * picture sent as a data URL (`image_url`), and the input checks.
 */
import assert from "node:assert/strict";
import { provenanceOf } from "../lib/provenance.ts";
import { imageToVideo } from "../lib/tasks/image_to_video.ts";
import { APPLE, falCase, media } from "./_provider_tasks.ts";
import { fromRecordings, rejectsBeforeAnyRequest } from "./_task_contract.ts";

const PROMPT = "The camera slowly zooms in on the apple";

Deno.test("imageToVideo replays its queued recording offline: an MP4 clip, labelled authored", async () => {
  const clip = await fromRecordings((replay) =>
    imageToVideo(APPLE, { ...replay, parameters: { prompt: PROMPT } })
  );
  assert.equal(clip.mediaType, "video/mp4");
  assert.deepEqual(clip.bytes, await media("zoom.mp4"));
  assert.equal(provenanceOf(clip)?.kind, "authored");
});

Deno.test("imageToVideo sends the picture to fal-ai as image_url, with the parameters at the top level", async () => {
  const mp4 = await media("zoom.mp4");
  await using c = await falCase(
    "image-to-video",
    "fal-ai/wan-i2v",
    { bytes: mp4, type: "video/mp4" },
    (url) => ({
      video: { url },
    }),
  );
  const clip = await imageToVideo(APPLE, { ...c.live, parameters: { prompt: PROMPT, num_frames: 81 } });
  assert.deepEqual(clip.bytes, mp4);
  const body = c.submitted();
  assert.match(String(body.image_url), /^data:image\/png;base64,iVBORw0KGgo/);
  assert.equal(body.prompt, PROMPT);
  assert.equal(body.num_frames, 81);
  assert.equal("inputs" in body, false);
});

Deno.test("imageToVideo checks its picture and parameters before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot generate video: ",
    call: (input, parameters, live) =>
      imageToVideo(input as never, { ...live, parameters: parameters as never }),
    cases: [
      [
        "text instead of a picture",
        new TextEncoder().encode("apple"),
        undefined,
        TypeError,
        /must be an image/,
      ],
      ["a number", 42, undefined, TypeError, /"inputs" must be a picture/],
      ["blank prompt", APPLE, { prompt: "" }, TypeError, /"parameters.prompt"/],
      ["no frames", APPLE, { num_frames: 0 }, RangeError, /"parameters.num_frames"/],
    ],
  });
});
