/**
 * textToSpeech(): its authored fal-ai recording replayed offline, fal-ai's
 * link downloaded without the token, HF Inference's bytes, the real recorded
 * answers (FLAC) and errors (a 503 while loading, replicate's 422), and the
 * input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import { textToSpeech } from "../lib/tasks/text_to_speech.ts";
import { HAS_REFERENCE, rejection, uniqueModel } from "./_helpers.ts";
import { fromBase64 } from "./_media_fixtures.ts";
import { mediaFetch, referenceCases, referenceErrors } from "./_reference_tasks.ts";
import { media, withLive } from "./_provider_tasks.ts";
import { startFakeProviders } from "./fake_provider_server.ts";
import {
  fromRecordings,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

const TEXT = "An apple on the window.";

Deno.test("textToSpeech replays its recording offline: a WAV recording, labelled authored", async () => {
  const speech = await fromRecordings((replay) => textToSpeech(TEXT, replay));
  assert.equal(speech.mediaType, "audio/wav");
  assert.deepEqual(speech.bytes, await media("tts8.wav"));
  assert.equal(provenanceOf(speech)?.kind, "authored");
});

Deno.test("textToSpeech with fal-ai: one request with the text, then the link downloaded without the token", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("tts");
  const wav = await media("tts8.wav");
  const url = "https://v3.fal.media/files/test/speech.wav";
  fake.mapping(model, [{
    provider: "fal-ai",
    providerId: "fal-ai/kokoro/american-english",
    task: "text-to-speech",
  }]);
  fake.on(
    "POST",
    "https://router.huggingface.co/fal-ai/fal-ai/kokoro/american-english",
    () => Response.json({ audio: { url, content_type: "audio/wav" } }),
  );
  fake.media(url, wav, "audio/wav");
  const c = withLive(fake, model);
  const speech = await textToSpeech(TEXT, { ...c.live, extraParameters: { voice: "af_heart", speed: 1 } });
  assert.deepEqual(speech.bytes, wav);
  assert.deepEqual(c.submitted(), { text: TEXT, voice: "af_heart", speed: 1 });
  assert.equal(fake.requests.find((r) => r.url === url)?.headers.get("authorization"), null);
  assert.deepEqual(provenanceOf(speech), { kind: "live", provider: "fal-ai" });
});

Deno.test("textToSpeech: a fal-ai answer without audio.url is an HfOutputError", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("tts");
  fake.mapping(model, [{
    provider: "fal-ai",
    providerId: "fal-ai/kokoro/american-english",
    task: "text-to-speech",
  }]);
  fake.on(
    "POST",
    "https://router.huggingface.co/fal-ai/fal-ai/kokoro/american-english",
    () => Response.json({ audio: null }),
  );
  const error = await rejection(textToSpeech(TEXT, withLive(fake, model).live));
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(error.message, /holds no audio and no link to one/);
});

Deno.test({
  name: "textToSpeech parses every real recorded HF Inference answer (FLAC bytes)",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = (await referenceCases("text-to-speech")).filter((c) =>
      c.status === 200 && c.responseBodyKind === "binary"
    );
    await parsesEveryReferenceSuccess({
      task: "text-to-speech",
      count: 3,
      cases,
      answer: (c) => ({
        bytes: fromBase64((c.responseBody as { base64: string }).base64),
        type: c.headers["content-type"] ?? "audio/flac",
      }),
      call: (live) => textToSpeech(TEXT, { ...live, provider: "hf-inference" }),
      expect: (speech) => {
        assert.equal(speech.mediaType, "audio/flac");
        assert.ok(speech.bytes.length > 50_000);
      },
    });
  },
});

Deno.test({
  name:
    "textToSpeech surfaces every real recorded error with the service's message, replicate's 422 included",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "text-to-speech",
      count: { atLeast: 4 },
      cases: await referenceErrors("text-to-speech", { everyProvider: true }),
      providers: { replicate: "jaaari/kokoro-82m" },
      call: (live) => textToSpeech(TEXT, { ...live, poll: { sleep: () => Promise.resolve() } }),
    });
  },
});

Deno.test("textToSpeech checks its text and parameters before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot generate speech: ",
    call: (input, parameters, live) =>
      textToSpeech(input as string, { ...live, parameters: parameters as never }),
    cases: [
      ["no text", "", undefined, TypeError, /"inputs" must be a non-empty string/],
      [
        "a list of texts",
        ["a", "b"],
        undefined,
        TypeError,
        /"inputs" must be a non-empty string, got an array of 2/,
      ],
      [
        "a provider's parameter outside extraParameters",
        TEXT,
        { voice: "af_heart" },
        TypeError,
        /"parameters.voice" is not a parameter of text-to-speech.*extraParameters/,
      ],
      [
        "temperature below zero",
        TEXT,
        { generation_parameters: { temperature: -1 } },
        RangeError,
        /"parameters.generation_parameters.temperature"/,
      ],
      ["misspelt", TEXT, { generation_parameter: {} }, TypeError, /did you mean "generation_parameters"/],
    ],
  });
});

Deno.test({
  name:
    "textToSpeech refuses the real recorded HF Inference answers the tapes stored empty, as an empty recording",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const empty = (await referenceCases("text-to-speech")).filter((c) =>
      c.status === 200 && c.responseBodyKind === "omitted"
    );
    assert.equal(empty.length, 5, "5 in interactions.json");
    for (const c of empty) {
      const service = mediaFetch("text-to-speech", {
        bytes: new Uint8Array(),
        type: c.headers["content-type"]!,
      });
      const error = await rejection(
        textToSpeech(TEXT, { ...liveOptions(service.fetch), provider: "hf-inference" }),
      );
      assert.ok(error instanceof HfOutputError, `${c.where}: ${error}`);
      assert.match(error.message, /the audio of .* \(hf-inference\) is empty \(0 bytes\)/);
      assert.deepEqual(JSON.parse(service.posts()[0]!.text), { inputs: TEXT });
    }
  },
});
