/**
 * automaticSpeechRecognition(): the project's espeak-ng clips on their
 * recording, raw bytes vs JSON with return_timestamps, the media type a
 * provider such as fal-ai needs, every real recorded answer and error, the
 * answer check, input checks.
 */
import assert from "node:assert/strict";
import { HfApiError, HfOutputError } from "../lib/errors.ts";
import {
  AUTOMATIC_SPEECH_RECOGNITION_MODEL,
  automaticSpeechRecognition,
  type AutomaticSpeechRecognitionOptions,
} from "../lib/tasks/automatic_speech_recognition.ts";
import { CLEAN_ENV, HAS_REFERENCE, uniqueModel, withEnv } from "./_helpers.ts";
import {
  base64,
  EN_WAV,
  mediaFetch,
  NO_WAIT,
  noNetwork,
  PICTURE,
  realCases,
  silentWav,
  ZH_WAV,
} from "./_media_fixtures.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const TASK = "automatic-speech-recognition";
const ASSETS = new URL("../notebooks/assets/", import.meta.url);

function live(fetch: typeof globalThis.fetch, model = uniqueModel("asr")): AutomaticSpeechRecognitionOptions {
  return { model, mode: "live", accessToken: "hf_test", fetch, retry: NO_WAIT };
}

Deno.test("automaticSpeechRecognition() replays both clips: the series' model, then Whisper with timestamps", async () => {
  const network = noNetwork();
  const [zh, en] = await withEnv(CLEAN_ENV, async () => [
    await automaticSpeechRecognition(new URL("apple_zh.wav", ASSETS), {
      mode: "replay",
      fetch: network.fetch,
    }),
    await automaticSpeechRecognition(EN_WAV, {
      mode: "replay",
      fetch: network.fetch,
      model: "openai/whisper-large-v3",
      parameters: { return_timestamps: true },
    }),
  ]);
  assert.equal(network.calls.length, 0);
  assert.deepEqual(zh, { text: "一个在窗户上的苹果" });
  assert.equal(en.text.trim(), "An apple on a window.");
  assert.deepEqual(en.chunks?.map((c) => c.timestamp), [[0, 1.3]]);
});

Deno.test("automaticSpeechRecognition() sends raw bytes, or JSON with base64 inputs when parameters go along", async () => {
  const hub = mediaFetch(TASK, { json: { text: "hi" } });
  const model = uniqueModel("asr");
  await automaticSpeechRecognition(ZH_WAV, live(hub.fetch, model));
  await automaticSpeechRecognition(ZH_WAV, {
    ...live(hub.fetch, model),
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
    ...live(fake.fetch, model),
    provider: "fal-ai",
  });
  assert.equal(out.text, "an apple on a window");
  const call = fake.requests.find((r) => r.method === "POST");
  assert.equal(call?.url, "https://router.huggingface.co/fal-ai/fal-ai/wizper");
  assert.ok(JSON.parse(call!.body).audio_url.startsWith("data:audio/x-wav;base64,UklGR"));
});

Deno.test("automaticSpeechRecognition() uses the series' Ep.1 model when no model is named", async () => {
  const hub = mediaFetch(TASK, { json: { text: "你好" } });
  await automaticSpeechRecognition(silentWav(), { mode: "live", accessToken: "hf_test", fetch: hub.fetch });
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
        automaticSpeechRecognition(silentWav(), live(mediaFetch(TASK, { json: body }).fetch)),
        (error: unknown) => error instanceof HfOutputError && /is not a transcript/.test(error.message),
      );
    });
  }
  // Whisper may leave the last chunk's end open
  const open = { text: "hi", chunks: [{ text: "hi", timestamp: [0.5, null] }] };
  assert.deepEqual(
    await automaticSpeechRecognition(silentWav(), live(mediaFetch(TASK, { json: open }).fetch)),
    open,
  );
});

Deno.test({
  name:
    "automaticSpeechRecognition() parses every real hf-inference speech recognition success in hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const successes = (await realCases(TASK)).filter((r) =>
      r.provider === "hf-inference" && r.status === 200
    );
    let parsed = 0;
    for (const recorded of successes) {
      const out = await automaticSpeechRecognition(
        silentWav(),
        live(mediaFetch(TASK, { json: recorded.responseBody }).fetch),
      );
      assert.deepEqual(out, recorded.responseBody, recorded.where);
      assert.ok(out.text.length > 0);
      parsed++;
    }
    assert.equal(successes.length, 9, "6 in interactions.json, 3 in hub_cassettes.json");
    assert.equal(parsed, successes.length);
  },
});

Deno.test({
  name:
    "automaticSpeechRecognition() turns the real errors (hf-inference 400, fal-ai 400) into HfApiError with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = (await realCases(TASK)).filter((r) =>
      r.status >= 400 && typeof r.responseBodyRaw === "string"
    );
    const expected: Record<string, string> = {
      "hf-inference": "Error in `inputs`: Malformed soundfile",
      "fal-ai": "Unsupported data URL",
    };
    let surfaced = 0;
    for (const recorded of errors) {
      await using fake = await startFakeHf();
      const model = uniqueModel("asr");
      const provider = recorded.provider as "hf-inference" | "fal-ai";
      fake.setMapping(model, {
        [provider]: {
          status: "live",
          providerId: provider === "fal-ai" ? "fal-ai/wizper" : model,
          task: TASK,
        },
      });
      fake.on(/^https:\/\/router\.huggingface\.co\//, {
        status: recorded.status,
        headers: { "content-type": "application/json" },
        text: recorded.responseBodyRaw!,
      });
      await assert.rejects(
        automaticSpeechRecognition(EN_WAV, { ...live(fake.fetch, model), provider }),
        (error: unknown) => {
          assert.ok(error instanceof HfApiError, String(error));
          assert.equal(error.status, 400);
          assert.equal(error.serviceMessage, expected[provider]);
          return true;
        },
      );
      surfaced++;
    }
    assert.equal(errors.length, 2);
    assert.equal(surfaced, errors.length);
  },
});

Deno.test("automaticSpeechRecognition() checks its input before any request", async (t) => {
  const bad: [string, unknown, unknown, RegExp, ErrorConstructor][] = [
    ["a picture", PICTURE, undefined, /"inputs" must be audio in WAV, FLAC.*, got image \(PNG\)/, TypeError],
    ["an empty Blob", new Blob([]), undefined, /"inputs" must be a recording, got 0 bytes/, TypeError],
    [
      "a data URL",
      "data:audio/wav;base64,UklGRg==",
      undefined,
      /got a data URL; download the file first/,
      TypeError,
    ],
    [
      "return_timestamps as text",
      silentWav(),
      { return_timestamps: "true" },
      /"parameters.return_timestamps" must be true or false/,
      TypeError,
    ],
    [
      "a misspelt generation parameter",
      silentWav(),
      { generation_parameters: { max_tokens: 5 } },
      /"parameters.generation_parameters" has no parameter "max_tokens"/,
      TypeError,
    ],
    [
      "early_stopping maybe",
      silentWav(),
      { generation_parameters: { early_stopping: "maybe" } },
      /"parameters.generation_parameters.early_stopping" must be true, false or "never"/,
      TypeError,
    ],
    [
      "top_p 2",
      silentWav(),
      { generation_parameters: { top_p: 2 } },
      /top_p" must be a number from 0 to 1, got 2/,
      RangeError,
    ],
  ];
  for (const [what, inputs, parameters, message, type] of bad) {
    await t.step(what, async () => {
      const network = noNetwork();
      await assert.rejects(
        automaticSpeechRecognition(inputs as Uint8Array, {
          mode: "live",
          accessToken: "hf_test",
          fetch: network.fetch,
          parameters: parameters as AutomaticSpeechRecognitionOptions["parameters"],
        }),
        (error: unknown) => error instanceof type && message.test((error as Error).message),
      );
      assert.equal(network.calls.length, 0);
    });
  }
});
