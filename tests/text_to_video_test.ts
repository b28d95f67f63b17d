/**
 * textToVideo(): its authored fal-ai recording replayed offline, the body it
 * submits, a provider's link that serves no video, and the input checks. The
 * polling itself (abort, deadline, failure, Retry-After) is in
 * provider_flow_test.ts.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import { TEXT_TO_VIDEO_MODEL, textToVideo } from "../lib/tasks/text_to_video.ts";
import { rejection } from "./_helpers.ts";
import { falCase, media } from "./_provider_tasks.ts";
import { fromRecordings, rejectsBeforeAnyRequest } from "./_task_contract.ts";

const PROMPT = "A red apple rolling on a wooden table";

Deno.test("textToVideo replays its recording offline: an MP4 clip, labelled authored", async () => {
  const clip = await fromRecordings((replay) => textToVideo(PROMPT, replay));
  assert.equal(clip.mediaType, "video/mp4");
  assert.deepEqual(clip.bytes, await media("zoom.mp4"));
  assert.equal(provenanceOf(clip)?.kind, "authored");
  assert.equal(TEXT_TO_VIDEO_MODEL, "Lightricks/LTX-Video");
});

Deno.test("textToVideo submits the prompt and the parameters at the top level of fal-ai's body", async () => {
  const mp4 = await media("zoom.mp4");
  await using c = await falCase(
    "text-to-video",
    "fal-ai/ltx-video",
    { bytes: mp4, type: "video/mp4" },
    (url) => ({
      video: { url },
    }),
  );
  const clip = await textToVideo(PROMPT, { ...c.live, parameters: { num_frames: 49, seed: 7 } });
  assert.deepEqual(clip.bytes, mp4);
  assert.deepEqual(c.submitted(), { prompt: PROMPT, num_frames: 49, seed: 7 });
});

Deno.test("textToVideo: a link that serves an error page instead of a clip is an HfOutputError naming it", async () => {
  const page = new TextEncoder().encode("<html><title>Access denied</title></html>");
  await using c = await falCase(
    "text-to-video",
    "fal-ai/ltx-video",
    { bytes: page, type: "text/html" },
    (url) => ({
      video: { url },
    }),
  );
  const error = await rejection(textToVideo(PROMPT, c.live));
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(
    error.message,
    /is not video: got text "<html><title>Access denied.*\(text\/html\) from https:\/\/v3\.fal\.media\//,
  );
});

Deno.test("textToVideo: a result without a video link is an HfOutputError with the result", async () => {
  await using c = await falCase("text-to-video", "fal-ai/ltx-video", {
    bytes: new Uint8Array(),
    type: "video/mp4",
  }, () => ({
    images: [],
  }));
  const error = await rejection(textToVideo(PROMPT, c.live));
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(error.message, /holds no video and no link to one/);
  assert.equal(error.body, '{"images":[]}');
});

Deno.test("textToVideo checks its prompt and parameters before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot generate video: ",
    call: (input, parameters, live) =>
      textToVideo(input as string, { ...live, parameters: parameters as never }),
    cases: [
      ["blank prompt", " ", undefined, TypeError, /"inputs" must be a non-empty string/],
      [
        "unknown parameter",
        PROMPT,
        { fps: 24 },
        TypeError,
        /"parameters.fps" is not a parameter of text-to-video/,
      ],
      [
        "no frames",
        PROMPT,
        { num_frames: 0 },
        RangeError,
        /"parameters.num_frames" must be a whole number of at least 1, got 0/,
      ],
      ["negative seed", PROMPT, { seed: -1 }, RangeError, /"parameters.seed"/],
      ["blank negative prompt", PROMPT, { negative_prompt: ["ok", " "] }, TypeError, /negative_prompt\[1\]/],
    ],
  });
});
