/**
 * textToAudio(): its authored fal-ai queue recording replayed offline, the
 * result's `audio_file` link (and the `audio` fallback), and the input checks.
 */
import assert from "node:assert/strict";
import { provenanceOf } from "../lib/provenance.ts";
import { textToAudio } from "../lib/tasks/text_to_audio.ts";
import { falCase, media } from "./_provider_tasks.ts";
import { fromRecordings, rejectsBeforeAnyRequest } from "./_task_contract.ts";

const PROMPT = "A bell ringing once in a quiet room";

Deno.test("textToAudio replays its queued recording offline: a WAV sound, labelled authored", async () => {
  const sound = await fromRecordings((replay) => textToAudio(PROMPT, replay));
  assert.equal(sound.mediaType, "audio/wav");
  assert.deepEqual(sound.bytes, await media("chime.wav"));
  assert.equal(provenanceOf(sound)?.kind, "authored");
});

Deno.test("textToAudio follows audio_file.url, else audio.url, of fal-ai's result", async () => {
  const wav = await media("chime.wav");
  for (const field of ["audio_file", "audio"]) {
    await using c = await falCase(
      "text-to-audio",
      "fal-ai/stable-audio",
      { bytes: wav, type: "audio/wav" },
      (url) => ({
        [field]: { url },
      }),
    );
    const sound = await textToAudio(PROMPT, { ...c.live, extraParameters: { seconds_total: 2 } });
    assert.deepEqual(sound.bytes, wav, field);
    assert.deepEqual(c.submitted(), { prompt: PROMPT, seconds_total: 2 });
  }
});

Deno.test("textToAudio checks its prompt and parameters before any request", async (t) => {
  await rejectsBeforeAnyRequest<unknown, unknown>(t, {
    prefix: "Cannot generate audio: ",
    call: (input, parameters, live) =>
      textToAudio(input as string, { ...live, parameters: parameters as never }),
    cases: [
      ["no prompt", undefined, undefined, TypeError, /"inputs" must be a non-empty string/],
      [
        "a provider's parameter outside extraParameters",
        PROMPT,
        { seconds_total: 3 },
        TypeError,
        /"parameters.seconds_total" is not a parameter of text-to-audio/,
      ],
      [
        "fractional max_new_tokens",
        PROMPT,
        { generation_parameters: { max_new_tokens: 2.5 } },
        RangeError,
        /max_new_tokens" must be a whole number/,
      ],
      ["parameters not an object", PROMPT, "loud", TypeError, /"parameters" must be an object/],
    ],
  });
});
