/**
 * Writes the authored recordings of the provider-served tasks (not a test):
 * each task's own call runs in record mode against the fake providers of
 * fake_provider_server.ts, which answer with the shapes PROVIDERS.md documents
 * (fal-ai's queue, a result link, the media on the provider's storage), then
 * every interaction's origin is set to `authored`: these are examples of the
 * shapes, not answers of a model.
 *
 *     deno run -A tests/author_provider_recordings.ts [task ...]
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { Interaction, RecordingFile } from "../lib/transport/recordings.ts";
import { type FakeProviders, startFakeProviders } from "./fake_provider_server.ts";

const RECORDINGS = fileURLToPath(new URL("../recordings/", import.meta.url));
const MEDIA = fileURLToPath(new URL("./fixtures/provider_media/", import.meta.url));
const AFTER =
  "the fal-ai queue protocol of @huggingface/inference 4.13.30 (src/providers/fal-ai.ts) and docs.fal.ai/documentation/model-apis/inference/queue; see PROVIDERS.md §4.1";
const noWait = { sleep: () => Promise.resolve() };

interface Scenario {
  /** What the recording shows, for the file's description. */
  description: string;
  /** Set up the fake, then run the task's call with this fetch. */
  run: (fake: FakeProviders, options: Record<string, unknown>) => Promise<unknown>;
  /** The origin's `after`. */
  after?: string;
}

const media = (name: string) => Deno.readFile(`${MEDIA}${name}`);
const APPLE = new URL("../notebooks/assets/apple_on_window.png", import.meta.url);

/** A fal-ai queue job for `model`: IN_QUEUE, IN_PROGRESS, COMPLETED, then a result linking to the media. */
function falScenario(s: {
  task: string;
  model: string;
  providerId: string;
  what: string;
  media: [file: string, type: string, url: string];
  result: (url: string, size: number) => unknown;
  call: (options: Record<string, unknown>) => Promise<unknown>;
}): Scenario {
  return {
    description:
      `Authored: fal-ai's queue for ${s.task} (submitted, IN_QUEUE, IN_PROGRESS, COMPLETED, result link, ${s.what} on fal's storage)`,
    run: async (fake, options) => {
      fake.mapping(s.model, [{ provider: "fal-ai", providerId: s.providerId, task: s.task }]);
      const [file, type, url] = s.media;
      const bytes = await media(file);
      fake.falQueue(s.providerId, {
        statuses: ["IN_PROGRESS", "COMPLETED"],
        result: s.result(url, bytes.length),
      });
      fake.media(url, bytes, type);
      return await s.call(options);
    },
  };
}

const SCENARIOS: Record<string, Scenario> = {
  "text-to-video": {
    description:
      "Authored: fal-ai's queue for text to video (submitted, IN_QUEUE, IN_PROGRESS, COMPLETED, result link, the clip on fal's storage)",
    run: async (fake, options) => {
      const { textToVideo } = await import("../lib/tasks/text_to_video.ts");
      fake.mapping("Lightricks/LTX-Video", [{
        provider: "fal-ai",
        providerId: "fal-ai/ltx-video",
        task: "text-to-video",
      }]);
      const url = "https://v3.fal.media/files/penguin/authored_ltx_apple.mp4";
      fake.falQueue("fal-ai/ltx-video", {
        statuses: ["IN_PROGRESS", "COMPLETED"],
        retryAfter: "1",
        result: {
          video: { url, content_type: "video/mp4", file_name: "output.mp4", file_size: 2584 },
          seed: 42,
        },
      });
      fake.media(url, await media("zoom.mp4"), "video/mp4");
      return await textToVideo("A red apple rolling on a wooden table", options);
    },
  },
  "text-to-speech": {
    description:
      "Authored: fal-ai's one-request text to speech (an answer with a link, the recording on fal's storage, spoken by espeak-ng)",
    after:
      "FalAITextToSpeechTask of @huggingface/inference 4.13.30 (src/providers/fal-ai.ts): POST fal-ai/<id> with text, answer {audio: {url}}; see PROVIDERS.md §4.1",
    run: async (fake, options) => {
      const { textToSpeech } = await import("../lib/tasks/text_to_speech.ts");
      fake.mapping("hexgrad/Kokoro-82M", [
        { provider: "fal-ai", providerId: "fal-ai/kokoro/american-english", task: "text-to-speech" },
      ]);
      const url = "https://v3.fal.media/files/koala/authored_kokoro_apple.wav";
      const wav = await media("tts8.wav");
      fake.on(
        "POST",
        "https://router.huggingface.co/fal-ai/fal-ai/kokoro/american-english",
        () =>
          Response.json({
            audio: { url, content_type: "audio/wav", file_name: "tts.wav", file_size: wav.length },
          }),
      );
      fake.media(url, wav, "audio/wav");
      return await textToSpeech("An apple on the window.", options);
    },
  },
  "text-to-audio": {
    description:
      "Authored: fal-ai's queue for text to audio (submitted, IN_QUEUE, IN_PROGRESS, COMPLETED, audio_file link, a chime made with sox)",
    run: async (fake, options) => {
      const { textToAudio } = await import("../lib/tasks/text_to_audio.ts");
      fake.mapping("stabilityai/stable-audio-open-1.0", [
        { provider: "fal-ai", providerId: "fal-ai/stable-audio", task: "text-to-audio" },
      ]);
      const url = "https://v3.fal.media/files/tiger/authored_stable_audio_bell.wav";
      const wav = await media("chime.wav");
      fake.falQueue("fal-ai/stable-audio", {
        statuses: ["IN_PROGRESS", "COMPLETED"],
        result: {
          audio_file: { url, content_type: "audio/wav", file_name: "output.wav", file_size: wav.length },
        },
      });
      fake.media(url, wav, "audio/wav");
      return await textToAudio("A bell ringing once in a quiet room", options);
    },
  },
  "audio-to-audio": {
    description:
      "Authored: HF Inference's audio to audio answer for SepFormer (one base64 recording per separated source), after the real answer shape recorded by huggingface/huggingface.js",
    after:
      "the answer shape of speechbrain/sepformer-wham recorded by huggingface/huggingface.js (packages/inference/test/tapes.json at cd261f48b3d343e21b834067a2fd94b0ebc3c014: [{label, blob, content-type}]); the two recordings are the input resampled and white noise, made with sox",
    run: async (fake, options) => {
      const { audioToAudio } = await import("../lib/tasks/audio_to_audio.ts");
      const model = "speechbrain/sepformer-wham";
      fake.mapping(model, [{ provider: "hf-inference", providerId: model, task: "audio-to-audio" }]);
      const b64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
      const sources = [await media("speech8.wav"), await media("noise8.wav")];
      fake.on(
        "POST",
        `https://router.huggingface.co/hf-inference/models/${model}`,
        () =>
          Response.json(
            sources.map((bytes, i) => ({
              label: `label_${i}`,
              blob: b64(bytes),
              "content-type": "audio/wav",
            })),
          ),
      );
      return await audioToAudio(new URL("../notebooks/assets/apple_en.wav", import.meta.url), options);
    },
  },
  "image-to-image": falScenario({
    task: "image-to-image",
    model: "black-forest-labs/FLUX.1-Kontext-dev",
    providerId: "fal-ai/flux-kontext/dev",
    what: "a picture (the input recoloured with ffmpeg)",
    media: ["edited.png", "image/png", "https://v3.fal.media/files/rabbit/authored_kontext_apple.png"],
    result: (url, size) => ({
      images: [{ url, content_type: "image/png", width: 96, height: 72, file_size: size }],
      seed: 42,
      has_nsfw_concepts: [false],
      prompt: "Make it a warm autumn afternoon",
    }),
    call: async (options) => {
      const { imageToImage } = await import("../lib/tasks/image_to_image.ts");
      return await imageToImage(APPLE, {
        parameters: { prompt: "Make it a warm autumn afternoon" },
        ...options,
      });
    },
  }),
  "image-to-video": falScenario({
    task: "image-to-video",
    model: "Wan-AI/Wan2.1-I2V-14B-720P",
    providerId: "fal-ai/wan-i2v",
    what: "a clip (a zoom over the input made with ffmpeg)",
    media: ["zoom.mp4", "video/mp4", "https://v3.fal.media/files/panda/authored_wan_i2v_apple.mp4"],
    result: (url, size) => ({ video: { url, content_type: "video/mp4", file_size: size }, seed: 7 }),
    call: async (options) => {
      const { imageToVideo } = await import("../lib/tasks/image_to_video.ts");
      return await imageToVideo(APPLE, {
        parameters: { prompt: "The camera slowly zooms in on the apple" },
        ...options,
      });
    },
  }),
  "image-text-to-image": falScenario({
    task: "image-text-to-image",
    model: "black-forest-labs/FLUX.2-dev",
    providerId: "fal-ai/flux-2/edit",
    what: "a picture (the input's edges drawn with ffmpeg)",
    media: ["sketch.png", "image/png", "https://v3.fal.media/files/zebra/authored_flux2_sketch.png"],
    result: (url, size) => ({
      images: [{ url, content_type: "image/png", width: 96, height: 72, file_size: size }],
      seed: 3,
    }),
    call: async (options) => {
      const { imageTextToImage } = await import("../lib/tasks/image_text_to_image.ts");
      return await imageTextToImage({ image: APPLE, prompt: "Draw it as a pencil sketch" }, options);
    },
  }),
  "image-text-to-video": falScenario({
    task: "image-text-to-video",
    model: "Wan-AI/Wan2.2-TI2V-5B",
    providerId: "fal-ai/wan/v2.2-5b/image-to-video",
    what: "a clip (a zoom over the input made with ffmpeg)",
    media: ["zoom.mp4", "video/mp4", "https://v3.fal.media/files/lion/authored_wan_ti2v_apple.mp4"],
    result: (url, size) => ({ video: { url, content_type: "video/mp4", file_size: size }, seed: 11 }),
    call: async (options) => {
      const { imageTextToVideo } = await import("../lib/tasks/image_text_to_video.ts");
      return await imageTextToVideo(
        { image: APPLE, prompt: "The apple slowly turns on the window sill" },
        options,
      );
    },
  }),
};

async function author(task: string, scenario: Scenario): Promise<void> {
  await using fake = await startFakeProviders();
  const path = `${RECORDINGS}${task}.json`;
  await Deno.remove(path).catch(() => {});
  await scenario.run(fake, { mode: "record", accessToken: "hf_test", fetch: fake.fetch, poll: noWait });
  const file = JSON.parse(await Deno.readTextFile(path)) as RecordingFile;
  file.description = scenario.description;
  for (const interaction of file.interactions) {
    interaction.origin = { kind: "authored", after: scenario.after ?? AFTER, note: noteOf(interaction) };
  }
  await Deno.writeTextFile(path, JSON.stringify(file, null, 2) + "\n");
  console.log(`${task}: ${file.interactions.length} interactions, ${fake.requests.length} requests`);
}

/** What an authored interaction is, in words no reader can mistake for a live answer. */
function noteOf(interaction: Interaction): string {
  const { method, url } = interaction.request;
  if (url.includes("expand[]=inferenceProviderMapping")) {
    return "Authored, not the Hub's answer: the project could not reach huggingface.co; whether this provider serves the model today is for a live look-up to say";
  }
  if (interaction.response.file !== undefined) {
    return "Authored media, not a model's output: made by the project (espeak-ng, sox or ffmpeg), served as the provider's storage would serve it";
  }
  if (interaction.later !== undefined) {
    return "Authored status answers, not the provider's: the documented sequence of a queued job, in order";
  }
  return `Authored after the documented shape, not a model's answer (${method} of the provider flow)`;
}

const wanted = Deno.args.length > 0 ? Deno.args : Object.keys(SCENARIOS);
for (const task of wanted) {
  const scenario = SCENARIOS[task];
  if (!scenario) throw new TypeError(`Cannot author recordings: no scenario for "${task}"`);
  await author(task, scenario);
}
