/**
 * audioToAudio(): its authored SepFormer recording replayed offline, the real
 * recorded HF Inference answers (labelled base64 FLAC) and error, fal-ai's
 * link, and the input checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import { audioToAudio } from "../lib/tasks/audio_to_audio.ts";
import { HAS_REFERENCE, rejection } from "./_helpers.ts";
import { mediaFetch } from "./_reference_tasks.ts";
import { APPLE, falCase, media, SPEECH } from "./_provider_tasks.ts";
import {
  fromRecordings,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";

Deno.test("audioToAudio replays its recording offline: two labelled WAV sources, labelled authored", async () => {
  const sources = await fromRecordings((replay) => audioToAudio(SPEECH, replay));
  assert.deepEqual(sources.map((s) => s.label), ["label_0", "label_1"]);
  assert.deepEqual(sources[0]!.bytes, await media("speech8.wav"));
  assert.equal(provenanceOf(sources)?.kind, "authored");
  assert.equal(provenanceOf(sources[1])?.kind, "authored");
});

Deno.test("audioToAudio sends the recording's bytes as they are to HF Inference", async () => {
  const wav = await Deno.readFile(SPEECH);
  const service = mediaFetch("audio-to-audio", {
    json: [{ label: "label_0", blob: btoa("fLaC...."), "content-type": "audio/flac" }],
  });
  const sources = await audioToAudio(wav, { ...liveOptions(service.fetch), provider: "hf-inference" });
  assert.equal(sources[0]?.mediaType, "audio/flac");
  assert.deepEqual(service.posts()[0]?.bytes, wav);
});

Deno.test({
  name: "audioToAudio parses every real recorded SepFormer answer into labelled FLAC recordings",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: "audio-to-audio",
      count: { atLeast: 3 },
      call: (live) => audioToAudio(SPEECH, live),
      expect: (sources) => {
        assert.deepEqual(sources.map((s) => [s.label, s.mediaType]), [["label_0", "audio/flac"], [
          "label_1",
          "audio/flac",
        ]]);
      },
    });
  },
});

Deno.test({
  name: "audioToAudio surfaces the real recorded 400 (Malformed soundfile) with the service's message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "audio-to-audio",
      count: 1,
      call: (live) => audioToAudio(SPEECH, live),
    });
  },
});

Deno.test("audioToAudio with fal-ai: the result's audio link, labelled with its text", async () => {
  const wav = await media("speech8.wav");
  await using c = await falCase(
    "audio-to-audio",
    "fal-ai/deepfilternet3",
    { bytes: wav, type: "audio/wav" },
    (url) => ({
      audio: { url, content_type: "audio/wav" },
      text: "enhanced",
    }),
  );
  const [out] = await audioToAudio(SPEECH, c.live);
  assert.equal(out?.label, "enhanced");
  assert.deepEqual(out?.bytes, wav);
  assert.match(String(c.submitted().audio_url), /^data:audio\/x-wav;base64,UklGR/);
});

Deno.test("audioToAudio: an answer item that is not audio is an HfOutputError", async () => {
  const service = mediaFetch("audio-to-audio", {
    json: [{ label: "label_0", blob: btoa("not audio at all") }],
  });
  const error = await rejection(audioToAudio(SPEECH, liveOptions(service.fetch)));
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(error.message, /recording 0 of .* is not audio: got text "not audio at all"/);
});

Deno.test("audioToAudio checks its input before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot transform audio: ",
    call: (input, more, live) => audioToAudio(input as never, { ...live, ...(more as object) }),
    cases: [
      ["a picture", APPLE, {}, TypeError, /"inputs" must be audio in WAV, FLAC.*, got image \(PNG\)/],
      ["no bytes", new Uint8Array(), {}, TypeError, /"inputs" must be a recording, got 0 bytes/],
      ["a web URL", "https://example.com/a.wav", {}, TypeError, /download the file first/],
      [
        "parameters",
        SPEECH,
        { parameters: { x: 1 } },
        TypeError,
        /"parameters.x" is not a parameter of audio-to-audio; it takes none/,
      ],
    ],
  });
});
