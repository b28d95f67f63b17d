/**
 * objectDetection(): the project's picture on its recording (the boxes are the
 * drawing's own bounds), threshold as JSON, every real recorded answer and
 * error, input checks.
 */
import assert from "node:assert/strict";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  OBJECT_DETECTION_MODEL,
  objectDetection,
  type ObjectDetectionOptions,
} from "../lib/tasks/object_detection.ts";
import { sceneBoxes } from "./assets.ts";
import { CLEAN_ENV, HAS_REFERENCE, uniqueModel, withEnv } from "./_helpers.ts";
import { base64, mediaFetch, NO_WAIT, noNetwork, PICTURE, realCases } from "./_media_fixtures.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "object-detection";
const CAT = [{ score: 0.99, label: "cat", box: { xmin: 20, ymin: 47, xmax: 329, ymax: 186 } }];

function live(fetch: typeof globalThis.fetch, model = uniqueModel("detr")): ObjectDetectionOptions {
  return { model, mode: "live", accessToken: "hf_test", fetch, retry: NO_WAIT };
}

Deno.test("objectDetection() replays the apple and the plant, and threshold 0.9 drops the vase", async () => {
  const network = noNetwork();
  const [all, sure] = await withEnv(CLEAN_ENV, async () => [
    await objectDetection(PICTURE, { mode: "replay", fetch: network.fetch }),
    await objectDetection(PICTURE, { mode: "replay", fetch: network.fetch, parameters: { threshold: 0.9 } }),
  ]);
  assert.equal(network.calls.length, 0);
  assert.deepEqual(all.map((o) => o.label), ["apple", "potted plant", "vase"]);
  assert.deepEqual(sure.map((o) => o.label), ["apple", "potted plant"]);
  const boxes = sceneBoxes();
  assert.deepEqual(all[0]?.box, boxes.apple, "the recorded box is the drawing's own");
  assert.deepEqual(all[1]?.box, boxes["potted plant"]);
});

Deno.test("objectDetection() sends raw bytes, or JSON with base64 inputs and threshold", async () => {
  const hub = mediaFetch(TASK, { json: CAT });
  const model = uniqueModel("detr");
  await objectDetection(PICTURE, live(hub.fetch, model));
  await objectDetection(PICTURE, { ...live(hub.fetch, model), parameters: { threshold: 0.8 } });
  const [raw, json] = hub.posts();
  assert.deepEqual(raw?.bytes, PICTURE);
  assert.deepEqual(JSON.parse(json!.text), { inputs: base64(PICTURE), parameters: { threshold: 0.8 } });
  assert.equal(json?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
});

Deno.test("objectDetection() uses facebook/detr-resnet-50 when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: CAT });
  await objectDetection(PICTURE, { mode: "live", accessToken: "hf_test", fetch: hub.fetch });
  assert.equal(OBJECT_DETECTION_MODEL, "facebook/detr-resnet-50");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/facebook\/detr-resnet-50$/);
});

Deno.test("objectDetection() throws HfOutputError for boxes without coordinates", async () => {
  await assert.rejects(
    objectDetection(
      PICTURE,
      live(mediaFetch(TASK, { json: [{ label: "cat", score: 0.9, box: { x: 1 } }] }).fetch),
    ),
    (error: unknown) => error instanceof HfOutputError && /object-detection answer/.test(error.message),
  );
});

Deno.test({
  name: "objectDetection() parses every real hf-inference object-detection success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = (await realCases(TASK)).filter((r) =>
      r.provider === "hf-inference" && r.status === 200
    );
    let parsed = 0;
    for (const recorded of successes) {
      const found = await objectDetection(
        PICTURE,
        live(mediaFetch(TASK, { json: recorded.responseBody }).fetch),
      );
      assert.deepEqual(found, recorded.responseBody, recorded.where);
      assert.ok(found.every(({ box }) => box.xmin <= box.xmax && box.ymin <= box.ymax));
      parsed++;
    }
    assert.equal(successes.length, 8, "5 in interactions.json, 3 in hub_cassettes.json");
    assert.equal(parsed, successes.length);
  },
});

Deno.test({
  name:
    "objectDetection() turns the real 429 into HfApiError after bounded retries, with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = (await realCases(TASK)).filter((r) =>
      r.status >= 400 && typeof r.responseBodyRaw === "string"
    );
    assert.equal(errors.length, 1);
    for (const recorded of errors) {
      await using fake = await startFakeHf();
      const model = uniqueModel("detr");
      fake.setModelTask(model, TASK);
      fake.on(`/hf-inference/models/${model}`, {
        status: recorded.status,
        headers: { "content-type": "application/json" },
        text: recorded.responseBodyRaw!,
      });
      await assert.rejects(objectDetection(PICTURE, live(fake.fetch, model)), (error: unknown) => {
        assert.ok(error instanceof HfApiError);
        assert.equal(error.status, 429);
        assert.equal(error.serviceMessage, "Please log in or use a HF access token");
        assert.equal(error.kind, "rate-limited");
        return true;
      });
      assert.equal(
        fake.requests.filter((r) => r.method === "POST").length,
        4,
        "429 is retried, 4 attempts in all",
      );
    }
  },
});

Deno.test("objectDetection() checks its input before any request", async (t) => {
  const bad: [string, unknown, unknown, RegExp, ErrorConstructor][] = [
    [
      "a string of text",
      "",
      undefined,
      /"inputs" must be a file path, bytes or a Blob, got "" \(blank\)/,
      TypeError,
    ],
    [
      "a JSON error body",
      new TextEncoder().encode('{"error":"x"}'),
      undefined,
      /got text "\{\\"error\\":\\"x\\"\}"/,
      TypeError,
    ],
    [
      "threshold 90",
      PICTURE,
      { threshold: 90 },
      /"parameters.threshold" must be a number from 0 to 1, got 90/,
      RangeError,
    ],
    [
      "threshold as text",
      PICTURE,
      { threshold: "0.9" },
      /"parameters.threshold" must be a number/,
      TypeError,
    ],
    ["a misspelt parameter", PICTURE, { treshold: 0.9 }, /has no parameter "treshold"/, TypeError],
  ];
  for (const [what, inputs, parameters, message, type] of bad) {
    await t.step(what, async () => {
      const network = noNetwork();
      await assert.rejects(
        objectDetection(inputs as Uint8Array, {
          mode: "live",
          accessToken: "hf_test",
          fetch: network.fetch,
          parameters: parameters as ObjectDetectionOptions["parameters"],
        }),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
      );
      assert.equal(network.calls.length, 0);
    });
  }
});
