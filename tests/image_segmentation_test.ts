/**
 * imageSegmentation(): the project's picture on its recording (masks drawn
 * from the picture's own shapes), the JSON it sends, every real recorded
 * answer (whole masks drawn, masks cut short by the tapes refused), real
 * errors, input checks.
 */
import assert from "node:assert/strict";
import { decode, encode } from "fast-png";
import { masksOverlay } from "../lib/display/masks.ts";
import { HfOutputError } from "../lib/errors.ts";
import { decodeMask, IMAGE_SEGMENTATION_MODEL, imageSegmentation } from "../lib/tasks/image_segmentation.ts";
import { sceneMasks } from "./assets.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, PICTURE } from "./_media_fixtures.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

const TASK = "image-segmentation";
const ONE = [{ score: 0.9, label: "cat", mask: "iVBORw0KGgo=" }];

Deno.test("imageSegmentation() replays five segments whose masks are the picture's own shapes", async () => {
  const segments = await fromRecordings((replay) => imageSegmentation(PICTURE, replay));
  assert.deepEqual(segments.map((s) => s.label), [
    "apple",
    "potted plant",
    "sky-other-merged",
    "window-other",
    "wall-other-merged",
  ]);
  const drawn = new Map(sceneMasks().map(({ part, mask }) => [part as string, decode(mask).data]));
  for (const { label, mask } of segments) {
    assert.deepEqual(decode(decodeMask(mask)).data, drawn.get(label), label);
  }
  // The masks cover the picture exactly once.
  const total = segments.reduce(
    (sum, { mask }) => sum + decode(decodeMask(mask)).data.filter((v) => v > 0).length,
    0,
  );
  assert.equal(total, 384 * 288);
});

Deno.test("imageSegmentation() sends JSON with base64 inputs, and its parameters", async () => {
  const hub = mediaFetch(TASK, { json: ONE });
  const model = uniqueModel("panoptic");
  await imageSegmentation(PICTURE, liveOptions(hub.fetch, model));
  await imageSegmentation(PICTURE, {
    ...liveOptions(hub.fetch, model),
    parameters: { subtask: "semantic", threshold: 0.5 },
  });
  const [plain, withParameters] = hub.posts();
  assert.equal(plain?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.match(plain?.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(JSON.parse(plain!.text), { inputs: base64(PICTURE) });
  assert.deepEqual(JSON.parse(withParameters!.text), {
    inputs: base64(PICTURE),
    parameters: { subtask: "semantic", threshold: 0.5 },
  });
});

Deno.test("imageSegmentation() uses facebook/detr-resnet-50-panoptic when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: ONE });
  await imageSegmentation(PICTURE, { ...LIVE, fetch: hub.fetch });
  assert.equal(IMAGE_SEGMENTATION_MODEL, "facebook/detr-resnet-50-panoptic");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/facebook\/detr-resnet-50-panoptic$/);
});

Deno.test("imageSegmentation() throws HfOutputError for segments without masks", async () => {
  await assert.rejects(
    imageSegmentation(PICTURE, liveOptions(mediaFetch(TASK, { json: [{ label: "cat", score: 0.9 }] }).fetch)),
    (error: unknown) => error instanceof HfOutputError && /image-segmentation answer/.test(error.message),
  );
});

Deno.test("decodeMask() returns a whole PNG and refuses what is not one", () => {
  const mask = sceneMasks()[0]!.mask;
  assert.deepEqual(decodeMask(base64(mask)), mask);
  assert.throws(() => decodeMask("not base64!"), /must be base64 text/);
  assert.throws(() => decodeMask(base64(new TextEncoder().encode("GIF89a..."))), /is not a PNG/);
  assert.throws(
    () => decodeMask(base64(mask.subarray(0, 100))),
    /is not a whole PNG: it has no IEND chunk \(100 bytes/,
  );
});

Deno.test({
  name:
    "imageSegmentation() parses every real success in hf-recorded; whole masks are drawn, masks cut by the tapes are refused",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    let drawn = 0;
    let cut = 0;
    const parsed = await parsesEveryReferenceSuccess({
      task: TASK,
      count: 8, // 5 in interactions.json, 3 in hub_cassettes.json
      call: (live) => imageSegmentation(PICTURE, live),
      expect: (segments, c) => {
        assert.deepEqual(segments, c.responseBody, c.where);
        const first = segments[0]!.mask;
        let whole: Uint8Array;
        try {
          whole = decodeMask(first);
        } catch (error) {
          // interactions.json stored base64 strings cut to 1000 characters: not valid images (README).
          assert.equal(first.length, 1000, c.where);
          assert.match((error as Error).message, /not a whole PNG/);
          assert.throws(() => masksOverlay(PICTURE, segments), /is not a whole PNG/);
          cut++;
          return;
        }
        const { width, height } = decode(whole);
        const blank = encode({
          width,
          height,
          data: new Uint8Array(width * height * 3).fill(255),
          channels: 3,
        });
        const shown = masksOverlay(blank, segments);
        for (const segment of segments) assert.ok(String(shown).includes(segment.label), segment.label);
        assert.ok(shown.bundle()["image/png"]);
        drawn++;
      },
    });
    assert.deepEqual({ parsed, drawn, cut }, { parsed: 8, drawn: 5, cut: 3 });
  },
});

Deno.test({
  name:
    "imageSegmentation() turns every real image-segmentation error (400 Invalid image, 503 loading) into HfApiError",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: 4, // a 400 in interactions.json, three 503s in hub_cassettes.json
      call: (live) => imageSegmentation(PICTURE, live),
      expect: (error, c) =>
        assert.equal(
          error.serviceMessage,
          c.status === 400
            ? "Error in `inputs`: Invalid image: {}"
            : "Model facebook/detr-resnet-50-panoptic is currently loading",
        ),
    });
  },
});

Deno.test("imageSegmentation() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot segment image: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      imageSegmentation(inputs as Uint8Array, { ...live, parameters: parameters as never }),
    cases: [
      ["null", null, undefined, TypeError, /"inputs" must be a picture: a file path.*, got null/],
      [
        "an unknown subtask",
        PICTURE,
        { subtask: "everything" },
        RangeError,
        /"parameters.subtask" must be one of instance, panoptic, semantic/,
      ],
      [
        "mask_threshold 2",
        PICTURE,
        { mask_threshold: 2 },
        RangeError,
        /"parameters.mask_threshold" must be a number from 0 to 1, got 2/,
      ],
      [
        "too large once base64-encoded",
        (() => {
          const big = new Uint8Array(7_600_000);
          big.set(PICTURE.subarray(0, 32));
          return big;
        })(),
        undefined,
        RangeError,
        /"inputs" must be at most 10 MB as sent, got 7\.6 MB \(10\.1 MB as base64/,
      ],
    ],
  });
});
