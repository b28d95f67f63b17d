/**
 * audioClassification(): huggingface.js's test clip on its recorded answer,
 * raw bytes vs JSON with parameters, every real recorded answer and error,
 * input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import {
  AUDIO_CLASSIFICATION_MODEL,
  audioClassification,
  type AudioClassificationOptions,
} from "../lib/tasks/audio_classification.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, PICTURE, ZH_WAV } from "./_media_fixtures.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

const TASK = "audio-classification";
const CLIP_PATH = new URL("../notebooks/assets/upstream/sample1.flac", import.meta.url).pathname;
const CLIP = Deno.readFileSync(CLIP_PATH);
const CLASSES = [{ label: "neu", score: 0.59 }, { label: "hap", score: 0.2 }];

Deno.test("audioClassification() replays huggingface.js's recorded answer for its test clip, from recordings/ only", async () => {
  const classes = await fromRecordings((replay) => audioClassification(CLIP_PATH, replay));
  assert.deepEqual(classes.map((c) => c.label), ["neu", "hap", "ang", "sad"]);
  assert.ok(classes.every((c, i) => i === 0 || c.score <= classes[i - 1]!.score), "highest first");
  assert.deepEqual(provenanceOf(classes), {
    kind: "upstream",
    repository: "huggingface/huggingface.js",
    commit: "a6b09c0f015851eb39d03ecee4fea0a4493040bb",
    date: "2023-04-11",
  });
});

Deno.test("audioClassification() sends the clip as raw bytes without parameters", async () => {
  const hub = mediaFetch(TASK, { json: CLASSES });
  const model = uniqueModel("hubert");
  assert.deepEqual(
    await audioClassification(new Blob([CLIP as Uint8Array<ArrayBuffer>]), liveOptions(hub.fetch, model)),
    CLASSES,
  );
  const [call] = hub.posts();
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(call?.bytes, CLIP);
  assert.doesNotMatch(call?.headers.get("content-type") ?? "", /json/);
});

Deno.test("audioClassification() sends JSON with base64 inputs when parameters go along (the library would drop them)", async () => {
  const hub = mediaFetch(TASK, { json: CLASSES.slice(0, 1) });
  await audioClassification(ZH_WAV.buffer as ArrayBuffer, {
    ...liveOptions(hub.fetch),
    parameters: { top_k: 1, function_to_apply: "softmax" },
  });
  const [call] = hub.posts();
  assert.match(call?.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(JSON.parse(call!.text), {
    inputs: base64(ZH_WAV),
    parameters: { top_k: 1, function_to_apply: "softmax" },
  });
});

Deno.test("audioClassification() sends extraParameters beyond the spec as given, over the checked parameters", async () => {
  const hub = mediaFetch(TASK, { json: CLASSES });
  await audioClassification(CLIP, {
    ...liveOptions(hub.fetch),
    parameters: { top_k: 2 },
    extraParameters: { chunk_length_s: 10 },
  });
  assert.deepEqual(JSON.parse(hub.posts()[0]!.text).parameters, { top_k: 2, chunk_length_s: 10 });
});

Deno.test("audioClassification() uses superb/hubert-large-superb-er when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: CLASSES });
  await audioClassification(CLIP, { ...LIVE, fetch: hub.fetch });
  assert.equal(AUDIO_CLASSIFICATION_MODEL, "superb/hubert-large-superb-er");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/superb\/hubert-large-superb-er$/);
});

Deno.test("audioClassification() throws HfOutputError for an answer that is not classes", async () => {
  await assert.rejects(
    audioClassification(CLIP, liveOptions(mediaFetch(TASK, { json: { text: "hello" } }).fetch)),
    (error: unknown) => error instanceof HfOutputError && /audio-classification answer/.test(error.message),
  );
});

Deno.test({
  name: "audioClassification() parses every real hf-inference audio-classification success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const labels = new Set<string>();
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 9, // 6 in interactions.json (emotions), 3 in hub_cassettes.json (gender)
      call: (live) => audioClassification(CLIP, live),
      expect: (classes, c) => {
        assert.deepEqual(classes, c.responseBody, c.where);
        assert.ok(classes.every((x) => typeof x.label === "string" && x.score >= 0 && x.score <= 1));
        for (const x of classes) labels.add(x.label);
      },
    });
    assert.deepEqual([...labels].sort(), ["ang", "female", "hap", "male", "neu", "sad"]);
  },
});

Deno.test({
  name:
    "audioClassification() turns the real 400 `Malformed soundfile` into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: TASK,
      count: 1,
      call: (live) => audioClassification(CLIP, live),
      expect: (error, _, posts) => {
        assert.equal(error.status, 400);
        assert.equal(error.serviceMessage, "Error in `inputs`: Malformed soundfile");
        assert.equal(posts, 1, "a 400 is not retried");
      },
    });
  },
});

Deno.test("audioClassification() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot classify audio: ",
    call: (inputs: unknown, options: AudioClassificationOptions | undefined, live) =>
      audioClassification(inputs as Uint8Array, { ...live, ...options }),
    cases: [
      [
        "a number",
        42,
        undefined,
        TypeError,
        /"inputs" must be a recording: a file path, a Uint8Array, an ArrayBuffer or a Blob, got 42/,
      ],
      ["no bytes", new Uint8Array(), undefined, TypeError, /"inputs" must be a recording, got 0 bytes/],
      [
        "a picture",
        PICTURE,
        undefined,
        TypeError,
        /"inputs" must be audio in WAV, FLAC.*, got image \(PNG\)/,
      ],
      [
        "too large",
        new Uint8Array(10_000_001),
        undefined,
        RangeError,
        /"inputs" must be at most 10 MB as sent, got 10,000,001 bytes/,
      ],
      [
        "a web URL",
        "https://example.com/a.flac",
        undefined,
        TypeError,
        /got a https URL; download the file first/,
      ],
      [
        "a missing file",
        "no/such/clip.flac",
        undefined,
        TypeError,
        /must name a file, got "no\/such\/clip.flac"/,
      ],
      [
        "a misspelt parameter",
        CLIP,
        { parameters: { topK: 3 } as never },
        TypeError,
        /"parameters.topK" is not a parameter of audio-classification; did you mean "top_k"\?/,
      ],
      [
        "top_k 0",
        CLIP,
        { parameters: { top_k: 0 } },
        RangeError,
        /"parameters.top_k" must be a whole number of at least 1, got 0/,
      ],
      [
        "an unknown function_to_apply",
        CLIP,
        { parameters: { function_to_apply: "relu" as never } },
        RangeError,
        /"parameters.function_to_apply" must be one of sigmoid, softmax, none, got "relu"/,
      ],
      [
        "parameters with provider auto",
        CLIP,
        { parameters: { top_k: 1 }, provider: "auto" },
        TypeError,
        /"provider" must be named when parameters are sent, got "auto"/,
      ],
    ],
  });
});
