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
import type { RecordingFile } from "../lib/transport/recordings.ts";
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
};

async function author(task: string, scenario: Scenario): Promise<void> {
  await using fake = await startFakeProviders();
  const path = `${RECORDINGS}${task}.json`;
  await Deno.remove(path).catch(() => {});
  await scenario.run(fake, { mode: "record", accessToken: "hf_test", fetch: fake.fetch, poll: noWait });
  const file = JSON.parse(await Deno.readTextFile(path)) as RecordingFile;
  file.description = scenario.description;
  for (const interaction of file.interactions) {
    interaction.origin = { kind: "authored", after: scenario.after ?? AFTER };
  }
  await Deno.writeTextFile(path, JSON.stringify(file, null, 2) + "\n");
  console.log(`${task}: ${file.interactions.length} interactions, ${fake.requests.length} requests`);
}

const wanted = Deno.args.length > 0 ? Deno.args : Object.keys(SCENARIOS);
for (const task of wanted) {
  const scenario = SCENARIOS[task];
  if (!scenario) throw new TypeError(`Cannot author recordings: no scenario for "${task}"`);
  await author(task, scenario);
}
