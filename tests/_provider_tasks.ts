/**
 * Test helpers for the provider-served tasks: a fake fal-ai (or other
 * provider) serving one model for one task, live options against it with
 * polls that never really wait, and what its requests carried.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type FakeJob, type FakeProviders, startFakeProviders } from "./fake_provider_server.ts";
import { uniqueModel } from "./_helpers.ts";

/** The media the authored recordings use. */
export const PROVIDER_MEDIA: string = fileURLToPath(new URL("./fixtures/provider_media/", import.meta.url));

/** The project's apple picture, a PNG input for the image tasks. */
export const APPLE: URL = new URL("../notebooks/assets/apple_on_window.png", import.meta.url);

/** The project's spoken sentence, a WAV input for the audio tasks. */
export const SPEECH: URL = new URL("../notebooks/assets/apple_en.wav", import.meta.url);

/** Polls that never wait. */
export const NO_POLL_WAIT = { sleep: () => Promise.resolve() };

/** A fake provider serving a model of its own for `task`, and live options against it; dispose it to stop the fake. */
export interface ProviderCase extends AsyncDisposable {
  /** The fake. */
  fake: FakeProviders;
  /** The model it serves. */
  model: string;
  /** Live options: mode, a test token, the model, the fake's fetch, polls without waiting. */
  live: {
    mode: "live";
    accessToken: string;
    model: string;
    fetch: typeof fetch;
    poll: typeof NO_POLL_WAIT;
  };
  /** The submission's JSON body. */
  submitted: () => Record<string, unknown>;
}

/**
 * A fake fal-ai queue for `task`: the result is `result(url)`, and `url`
 * serves `bytes` as `type` (a link on fal's storage).
 */
export async function falCase(
  task: string,
  providerId: string,
  media: { bytes: Uint8Array; type: string },
  result: (url: string) => unknown,
  job: Partial<FakeJob> = {},
): Promise<ProviderCase> {
  const fake = await startFakeProviders();
  const model = uniqueModel(task);
  const url = `https://v3.fal.media/files/test/${crypto.randomUUID()}`;
  fake.mapping(model, [{ provider: "fal-ai", providerId, task }]);
  fake.falQueue(providerId, { statuses: ["IN_PROGRESS", "COMPLETED"], result: result(url), ...job });
  fake.media(url, media.bytes, media.type);
  return withLive(fake, model);
}

/** Live options against `fake` for `model`. */
export function withLive(fake: FakeProviders, model: string): ProviderCase {
  return {
    fake,
    model,
    live: { mode: "live", accessToken: "hf_test", model, fetch: fake.fetch, poll: NO_POLL_WAIT },
    submitted: () => JSON.parse(fake.requests.find((r) => r.method === "POST")?.body ?? "null"),
    [Symbol.asyncDispose]: () => fake.close(),
  };
}

/** A fixture of the authored recordings' media. */
export function media(name: string): Promise<Uint8Array> {
  return Deno.readFile(`${PROVIDER_MEDIA}${name}`);
}
