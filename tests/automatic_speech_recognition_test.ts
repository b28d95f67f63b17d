/**
 * automaticSpeechRecognition(): the project's espeak-ng clips on their
 * recording, raw bytes vs JSON with return_timestamps, the media type a
 * provider such as fal-ai needs, every real recorded answer and error, the
 * answer check, input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import {
  AUTOMATIC_SPEECH_RECOGNITION_MODEL,
  automaticSpeechRecognition,
} from "../lib/tasks/automatic_speech_recognition.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { base64, EN_WAV, PICTURE, silentWav, ZH_WAV } from "./_media_fixtures.ts";
import { mediaFetch, referenceErrors } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "automatic-speech-recognition";
const ASSETS = new URL("../notebooks/assets/", import.meta.url);

Deno.test("automaticSpeechRecognition() replays both clips: the series' model, then Whisper with timestamps", async () => {
  const [zh, en] = await fromRecordings(async (replay) => [
    await automaticSpeechRecognition(new URL("apple_zh.wav", ASSETS), replay),
    await automaticSpeechRecognition(EN_WAV, {
      ...replay,
      model: "openai/whisper-large-v3",
      parameters: { return_timestamps: true },
    }),
  ]);
  assert.deepEqual(zh, { text: "一个在窗户上的苹果" });
  assert.equal(en.text.trim(), "An apple on a window.");
  assert.deepEqual(en.chunks?.map((c) => c.timestamp), [[0, 1.3]]);
});

Deno.test("automaticSpeechRecognition() sends raw bytes, or JSON with base64 inputs when parameters go along", async () => {
  const hub = mediaFetch(TASK, { json: { text: "hi" } });
  const model = uniqueModel("asr");
  await automaticSpeechRecognition(ZH_WAV, liveOptions(hub.fetch, model));
  await automaticSpeechRecognition(ZH_WAV, {
    ...liveOptions(hub.fetch, model),
    parameters: { return_timestamps: true },
  });
  const [raw, json] = hub.posts();
  assert.equal(raw?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(raw?.bytes, ZH_WAV);
  assert.deepEqual(JSON.parse(json!.text), {
    inputs: base64(ZH_WAV),
    parameters: { return_timestamps: true },
  });
});

Deno.test("automaticSpeechRecognition() gives fal-ai the media type read from the bytes (a data URL it accepts)", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("asr");
  fake.setMapping(model, { "fal-ai": { status: "live", providerId: "fal-ai/wizper", task: TASK } });
  fake.on(/^https:\/\/router\.huggingface\.co\//, { json: { text: "an apple on a window" } });
  const out = await automaticSpeechRecognition(new Blob([EN_WAV as Uint8Array<ArrayBuffer>]), {
    ...liveOptions(fake.fetch, model),
    provider: "fal-ai",
  });
  assert.equal(out.text, "an apple on a window");
  const call = fake.requests.find((r) => r.method === "POST");
  assert.equal(call?.url, "https://router.huggingface.co/fal-ai/fal-ai/wizper");
  assert.ok(JSON.parse(call!.body).audio_url.startsWith("data:audio/x-wav;base64,UklGR"));
});

Deno.test("automaticSpeechRecognition() uses the series' Ep.1 model when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: { text: "你好" } });
  await automaticSpeechRecognition(silentWav(), { ...LIVE, fetch: hub.fetch });
  assert.equal(AUTOMATIC_SPEECH_RECOGNITION_MODEL, "ydshieh/wav2vec2-large-xlsr-53-chinese-zh-cn-gpt");
  assert.match(hub.posts()[0]?.url ?? "", /\/models\/ydshieh\/wav2vec2-large-xlsr-53-chinese-zh-cn-gpt$/);
});

Deno.test("automaticSpeechRecognition() throws HfOutputError for an answer that is not a transcript", async (t) => {
  const wrong: [string, unknown][] = [
    ["labels", [{ label: "speech", score: 0.9 }]],
    ["no text", { chunks: [] }],
    ["chunks without timestamps", { text: "hi", chunks: [{ text: "hi" }] }],
  ];
  for (const [what, body] of wrong) {
    await t.step(what, async () => {
      await assert.rejects(
        automaticSpeechRecognition(silentWav(), liveOptions(mediaFetch(TASK, { json: body }).fetch)),
        (error: unknown) => error instanceof HfOutputError && /is not a transcript/.test(error.message),
      );
    });
  }
  // Whisper may leave the last chunk's end open
  const open = { text: "hi", chunks: [{ text: "hi", timestamp: [0.5, null] }] };
  assert.deepEqual(
    await automaticSpeechRecognition(silentWav(), liveOptions(mediaFetch(TASK, { json: open }).fetch)),
    open,
  );
});

Deno.test({
  name:
    "automaticSpeechRecognition() parses every real hf-inference speech recognition success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 9, // 6 in interactions.json, 3 in hub_cassettes.json
      call: (live) => automaticSpeechRecognition(silentWav(), live),
      expect: (out, c) => {
        assert.deepEqual(out, c.responseBody, c.where);
        assert.ok(out.text.length > 0);
      },
    });
  },
});

Deno.test({
  name:
    "automaticSpeechRecognition() turns the real errors (hf-inference 400, fal-ai 400) into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const expected: Record<string, string> = {
      "hf-inference": "Error in `inputs`: Malformed soundfile",
      "fal-ai": "Unsupported data URL",
    };
    await surfacesEveryReferenceError({
      task: TASK,
      cases: await referenceErrors(TASK, { everyProvider: true }),
      count: 2,
      providers: { "fal-ai": "fal-ai/wizper" },
      call: (live) => automaticSpeechRecognition(EN_WAV, live),
      expect: (error, c) => {
        assert.equal(error.status, 400);
        assert.equal(error.serviceMessage, expected[c.provider!]);
      },
    });
  },
});

Deno.test("automaticSpeechRecognition() checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot transcribe audio: ",
    call: (inputs: unknown, parameters: unknown, live) =>
      automaticSpeechRecognition(inputs as Uint8Array, { ...live, parameters: parameters as never }),
    cases: [
      [
        "a picture",
        PICTURE,
        undefined,
        TypeError,
        /"inputs" must be audio in WAV, FLAC.*, got image \(PNG\)/,
      ],
      ["an empty Blob", new Blob([]), undefined, TypeError, /"inputs" must be a recording, got 0 bytes/],
      [
        "a data URL",
        "data:audio/wav;base64,UklGRg==",
        undefined,
        TypeError,
        /got a data URL; download the file first/,
      ],
      [
        "return_timestamps as text",
        silentWav(),
        { return_timestamps: "true" },
        TypeError,
        /"parameters.return_timestamps" must be true or false/,
      ],
      [
        "a misspelt generation parameter",
        silentWav(),
        { generation_parameters: { max_tokens: 5 } },
        TypeError,
        /"parameters.generation_parameters.max_tokens" is not a parameter of automatic-speech-recognition; did you mean "max_new_tokens"\?/,
      ],
      [
        "early_stopping maybe",
        silentWav(),
        { generation_parameters: { early_stopping: "maybe" } },
        RangeError,
        /"parameters.generation_parameters.early_stopping" must be one of never, true, false, got "maybe"/,
      ],
      [
        "top_p 2",
        silentWav(),
        { generation_parameters: { top_p: 2 } },
        RangeError,
        /top_p" must be a number from 0 to 1, got 2/,
      ],
    ],
  });
});
