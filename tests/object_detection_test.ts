/**
 * objectDetection(): the project's picture on its recording (the boxes are the
 * drawing's own bounds), threshold as JSON, every real recorded answer and
 * error, input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { OBJECT_DETECTION_MODEL, objectDetection } from "../lib/tasks/object_detection.ts";
import { sceneBoxes } from "./assets.ts";
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

const TASK = "object-detection";
const CAT = [{ score: 0.99, label: "cat", box: { xmin: 20, ymin: 47, xmax: 329, ymax: 186 } }];

Deno.test("objectDetection() replays the apple and the plant, and threshold 0.9 drops the vase", async () => {
  const [all, sure] = await fromRecordings(async (replay) => [
    await objectDetection(PICTURE, replay),
    await objectDetection(PICTURE, { ...replay, parameters: { threshold: 0.9 } }),
  ]);
  assert.deepEqual(all.map((o) => o.label), ["apple", "potted plant", "vase"]);
  assert.deepEqual(sure.map((o) => o.label), ["apple", "potted plant"]);
  const boxes = sceneBoxes();
  assert.deepEqual(all[0]?.box, boxes.apple, "the recorded box is the drawing's own");
  assert.deepEqual(all[1]?.box, boxes["potted plant"]);
});

Deno.test("objectDetection() sends raw bytes, or JSON with base64 inputs and threshold", async () => {
  const hub = mediaFetch(TASK, { json: CAT });
  const model = uniqueModel("detr");
  await objectDetection(PICTURE, liveOptions(hub.fetch, model));
  await objectDetection(PICTURE, { ...liveOptions(hub.fetch, model), parameters: { threshold: 0.8 } });
  const [raw, json] = hub.posts();
  assert.deepEqual(raw?.bytes, PICTURE);
  assert.deepEqual(JSON.parse(json!.text), { inputs: base64(PICTURE), parameters: { threshold: 0.8 } });
  assert.equal(json?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
});

Deno.test("objectDetection() uses facebook/detr-resnet-50 when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: CAT });
  await objectDetection(PICTURE, { ...LIVE, fetch: hub.fetch });
  assert.equal(OBJECT_DETECTION_MODEL, "facebook/detr-resnet-50");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/facebook\/detr-resnet-50$/);
});

Deno.test("objectDetection() throws HfOutputError for boxes without coordinates", async () => {
  await assert.rejects(
    objectDetection(
      PICTURE,
      liveOptions(mediaFetch(TASK, { json: [{ label: "cat", score: 0.9, box: { x: 1 } }] }).fetch),
    ),
    (error: unknown) => error instanceof HfOutputError && /object-detection answer/.test(error.message),
  );
});

Deno.test({
  name: "objectDetection() parses every real hf-inference object-detection success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 8, // 5 in interactions.json, 3 in hub_cassettes.json
      call: (live) => objectDetection(PICTURE, live),
      expect: (found, c) => {
        assert.deepEqual(found, c.responseBody, c.where);
        assert.ok(found.every(({ box }) => box.xmin <= box.xmax && box.ymin <= box.ymax));
      },
    });
  },
});

Deno.test({
  name:
    "objectDetection() turns the real 429 into HfApiError after bounded retries, with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: 1,
      call: (live) => objectDetection(PICTURE, live),
      expect: (error, _, posts) => {
        assert.equal(error.status, 429);
        assert.equal(error.serviceMessage, "Please log in or use a HF access token");
        assert.equal(error.kind, "rate-limited");
        assert.equal(posts, 4, "429 is retried, 4 attempts in all");
      },
    });
  },
});

Deno.test("objectDetection() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot detect objects: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      objectDetection(inputs as Uint8Array, { ...live, parameters: parameters as never }),
    cases: [
      [
        "a string of text",
        "",
        undefined,
        TypeError,
        /"inputs" must be a file path, bytes or a Blob, got "" \(blank\)/,
      ],
      [
        "a JSON error body",
        new TextEncoder().encode('{"error":"x"}'),
        undefined,
        TypeError,
        /got text "\{\\"error\\":\\"x\\"\}"/,
      ],
      [
        "threshold 90",
        PICTURE,
        { threshold: 90 },
        RangeError,
        /"parameters.threshold" must be a number from 0 to 1, got 90/,
      ],
      [
        "threshold as text",
        PICTURE,
        { threshold: "0.9" },
        TypeError,
        /"parameters.threshold" must be a number/,
      ],
      [
        "a misspelt parameter",
        PICTURE,
        { treshold: 0.9 },
        TypeError,
        /"parameters.treshold" is not a parameter of/,
      ],
    ],
  });
});
