/**
 * Asynchronous provider flows on the one transport: a polled fal-ai job
 * replayed offline in order, aborted mid-poll, given up at its deadline,
 * failed with the provider's message, `Retry-After` honoured; replicate's
 * slow prediction polled; wavespeed's task; the provider chosen from the
 * mapping; a recorded flow replayed as one sequence; the media fetched
 * without the token. Waits and the clock are injected: no real waiting.
 */
import assert from "node:assert/strict";
import { provenanceOf } from "../lib/provenance.ts";
import { HfApiError, HfNotServedError, HfOutputError } from "../lib/errors.ts";
import { HfJobFailedError, HfJobTimeoutError } from "../lib/providers/errors.ts";
import type { PollEvent } from "../lib/providers/flow.ts";
import { audioToAudio } from "../lib/tasks/audio_to_audio.ts";
import { textToVideo } from "../lib/tasks/text_to_video.ts";
import { createTransport } from "../lib/transport/fetch.ts";
import type { RecordingFile } from "../lib/transport/recordings.ts";
import {
  CLEAN_ENV,
  countingFetch,
  RECORDINGS,
  rejection,
  tempDir,
  uniqueModel,
  withEnv,
} from "./_helpers.ts";
import { type FakeJob, startFakeProviders } from "./fake_provider_server.ts";
import { SPEECH } from "./_provider_tasks.ts";

const MP4 = await Deno.readFile(new URL("./fixtures/provider_media/zoom.mp4", import.meta.url));
const MEDIA_URL = "https://v3.fal.media/files/test/clip.mp4";
const PROMPT = "A red apple rolling on a wooden table";

/** A clock that moves only when the flow sleeps, and the waits it was asked for. */
function virtualTime() {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

/** A fake with one model served by fal-ai for text to video, and its scripted job. */
async function falVideo(job: Partial<FakeJob> = {}) {
  const fake = await startFakeProviders();
  const model = uniqueModel("video");
  fake.mapping(model, [
    { provider: "hf-inference", providerId: model, task: "text-to-image" },
    { provider: "fal-ai", providerId: "fal-ai/ltx-video", task: "text-to-video" },
  ]);
  fake.falQueue("fal-ai/ltx-video", {
    statuses: ["IN_PROGRESS", "COMPLETED"],
    result: { video: { url: MEDIA_URL } },
    ...job,
  });
  fake.media(MEDIA_URL, MP4, "video/mp4");
  return { fake, model, live: { mode: "live" as const, accessToken: "hf_test", fetch: fake.fetch, model } };
}

Deno.test("a polled fal-ai flow replays offline, every step in order, and says it is authored", async () => {
  const net = countingFetch();
  const seen: PollEvent[] = [];
  const clip = await withEnv(
    CLEAN_ENV,
    () => textToVideo(PROMPT, { mode: "replay", fetch: net.fetch, poll: { onPoll: (e) => seen.push(e) } }),
  );
  assert.equal(net.calls.length, 0);
  assert.equal(clip.mediaType, "video/mp4");
  const file = JSON.parse(await Deno.readTextFile(`${RECORDINGS}/text-to-video.json`)) as RecordingFile;
  const download = file.interactions.find((i) => i.request.url.startsWith("https://v3.fal.media/"));
  assert.deepEqual(clip.bytes, await Deno.readFile(`${RECORDINGS}/${download?.response.file}`));
  assert.deepEqual(seen.map((e) => e.status), ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
  assert.equal(provenanceOf(clip)?.kind, "authored");
});

Deno.test("aborting mid-poll stops the flow at once with the caller's reason, before the result", async () => {
  const controller = new AbortController();
  const reason = new DOMException("the user gave up", "AbortError");
  const net = countingFetch();
  const error = await rejection(withEnv(CLEAN_ENV, () =>
    textToVideo(PROMPT, {
      mode: "replay",
      fetch: net.fetch,
      signal: controller.signal,
      poll: { onPoll: (e) => e.status === "IN_PROGRESS" && controller.abort(reason) },
    })));
  assert.equal(error, reason);
});

Deno.test("aborting while a status poll hangs ends the call, and nothing is fetched after it", async () => {
  const { fake, live } = await falVideo({ statuses: ["IN_PROGRESS", "IN_PROGRESS", "COMPLETED"], hangAt: 2 });
  await using _ = fake;
  const controller = new AbortController();
  const reason = new DOMException("stop", "AbortError");
  const time = virtualTime();
  const call = textToVideo(PROMPT, {
    ...live,
    signal: controller.signal,
    poll: {
      ...time,
      onPoll: (e) => e.polls === 1 && setTimeout(() => controller.abort(reason), 20),
    },
  });
  assert.equal(await rejection(call), reason);
  assert.equal(fake.polls("req-"), 2);
  assert.ok(!fake.requests.some((r) => r.url === MEDIA_URL), "the clip must not be fetched");
});

Deno.test("a job that never finishes is given up at the deadline, with its last status", async () => {
  const { fake, live } = await falVideo({ statuses: ["IN_PROGRESS"] });
  await using _ = fake;
  const time = virtualTime();
  const error = await rejection(textToVideo(PROMPT, { ...live, poll: { ...time, deadlineMs: 5000 } }));
  assert.ok(error instanceof HfJobTimeoutError, String(error));
  assert.equal(error.kind, "timeout");
  assert.equal(error.status, "IN_PROGRESS");
  assert.equal(error.provider, "fal-ai");
  assert.equal(error.polls, 10);
  assert.equal(fake.polls("req-"), 10);
  assert.ok(time.now() <= 5000);
});

Deno.test("the deadline defaults to 10 minutes", async () => {
  const { fake, live } = await falVideo({ statuses: ["IN_QUEUE"] });
  await using _ = fake;
  const time = virtualTime();
  const error = await rejection(textToVideo(PROMPT, { ...live, poll: { ...time, intervalMs: 60_000 } }));
  assert.ok(error instanceof HfJobTimeoutError);
  assert.equal(error.deadlineMs, 600_000);
  assert.equal(error.polls, 10);
});

Deno.test("a failed fal-ai job gives an HfJobFailedError with the provider's message", async () => {
  const { fake, live } = await falVideo({ statuses: ["IN_PROGRESS", "FAILED"], error: "CUDA out of memory" });
  await using _ = fake;
  const error = await rejection(textToVideo(PROMPT, { ...live, poll: virtualTime() }));
  assert.ok(error instanceof HfJobFailedError, String(error));
  assert.equal(error.kind, "generation");
  assert.equal(error.providerMessage, "CUDA out of memory");
  assert.match(error.message, /fal-ai job req-\d+ failed \(status "FAILED"\): CUDA out of memory/);
});

Deno.test("a completed fal-ai request whose result is an error answer is a failed job with fal's detail", async () => {
  const detail = { detail: [{ loc: ["body", "num_frames"], msg: "ensure this value is less than 257" }] };
  const { fake, live } = await falVideo({ statuses: ["COMPLETED"], result: detail, resultStatus: 422 });
  await using _ = fake;
  const error = await rejection(textToVideo(PROMPT, { ...live, poll: virtualTime() }));
  assert.ok(error instanceof HfJobFailedError, String(error));
  assert.match(error.providerMessage, /body\.num_frames: ensure this value is less than 257/);
});

Deno.test("Retry-After on a status answer sets the next wait; without it, the provider's interval", async () => {
  for (const [retryAfter, expected] of [["3", [3000, 3000]], [undefined, [500, 500]]] as const) {
    const { fake, live } = await falVideo({
      statuses: ["IN_PROGRESS", "COMPLETED"],
      ...(retryAfter ? { retryAfter } : {}),
    });
    await using _ = fake;
    const time = virtualTime();
    const clip = await textToVideo(PROMPT, { ...live, poll: time });
    assert.deepEqual(clip.bytes, MP4);
    // before poll 1 (the submission said IN_QUEUE, no header), then as poll 1's answer asked
    assert.deepEqual(time.waits, [500, expected[1]], `Retry-After ${retryAfter}`);
  }
});

Deno.test("polls send the submission's token; the media download sends no header at all", async () => {
  const { fake, live } = await falVideo();
  await using _ = fake;
  await textToVideo(PROMPT, { ...live, poll: virtualTime() });
  const polls = fake.requests.filter((r) => r.url.includes("/status?"));
  assert.ok(polls.length > 0);
  for (const poll of polls) assert.equal(poll.headers.get("authorization"), "Bearer hf_test");
  const download = fake.requests.find((r) => r.url === MEDIA_URL);
  assert.equal(download?.headers.get("authorization"), null);
  assert.equal(download?.headers.get("user-agent"), null);
});

Deno.test("the provider defaults to the one the mapping names for the task, and the answer says so", async () => {
  const { fake, live } = await falVideo();
  await using _ = fake;
  const clip = await textToVideo(PROMPT, { ...live, poll: virtualTime() });
  assert.deepEqual(provenanceOf(clip), { kind: "live", provider: "fal-ai" });
  assert.ok(
    fake.requests.some((r) => r.url.startsWith("https://router.huggingface.co/fal-ai/fal-ai/ltx-video")),
  );
});

Deno.test("a provider that does not serve the model for the task is refused before any submission", async () => {
  const { fake, live } = await falVideo();
  await using _ = fake;
  for (const provider of ["hf-inference", "replicate"] as const) {
    const error = await rejection(textToVideo(PROMPT, { ...live, provider }));
    assert.ok(error instanceof HfNotServedError, String(error));
  }
  assert.ok(!fake.requests.some((r) => r.method === "POST"));
});

Deno.test("replicate: a prediction still processing after Prefer: wait is polled at urls.get until it succeeds", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("replicate-video");
  fake.mapping(model, [{ provider: "replicate", providerId: "minimax/video-01", task: "text-to-video" }]);
  fake.replicate("minimax/video-01", { statuses: ["processing", "succeeded"], result: MEDIA_URL });
  fake.media(MEDIA_URL, MP4, "video/mp4");
  const seen: string[] = [];
  const clip = await textToVideo(PROMPT, {
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    model,
    provider: "replicate",
    poll: { ...virtualTime(), onPoll: (e) => seen.push(e.status) },
  });
  assert.deepEqual(clip.bytes, MP4);
  assert.deepEqual(seen, ["starting", "processing", "succeeded"]);
  assert.equal(fake.requests.find((r) => r.method === "POST")?.headers.get("prefer"), "wait");
});

Deno.test("replicate: a failed prediction gives its error message", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("replicate-video");
  fake.mapping(model, [{ provider: "replicate", providerId: "minimax/video-01", task: "text-to-video" }]);
  fake.replicate("minimax/video-01", { statuses: ["failed"], error: "NSFW content detected" });
  const error = await rejection(textToVideo(PROMPT, {
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    model,
    poll: virtualTime(),
  }));
  assert.ok(error instanceof HfJobFailedError);
  assert.equal(error.provider, "replicate");
  assert.equal(error.providerMessage, "NSFW content detected");
});

Deno.test("wavespeed: the task is polled at data.urls.get and its first output downloaded", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("wavespeed-video");
  fake.mapping(model, [{
    provider: "wavespeed",
    providerId: "wavespeed-ai/wan-2.1/t2v-480p",
    task: "text-to-video",
  }]);
  fake.wavespeed("wavespeed-ai/wan-2.1/t2v-480p", {
    statuses: ["processing", "completed"],
    result: [MEDIA_URL],
  });
  fake.media(MEDIA_URL, MP4, "video/mp4");
  const clip = await textToVideo(PROMPT, {
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    model,
    poll: virtualTime(),
  });
  assert.deepEqual(clip.bytes, MP4);
  assert.deepEqual(provenanceOf(clip), { kind: "live", provider: "wavespeed" });
});

Deno.test("a recorded flow is one sequence: the same status URL replays in progress, then done", async () => {
  await using tmp = await tempDir();
  const { fake, live } = await falVideo({ statuses: ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"] });
  await using _ = fake;
  await withEnv({ ...CLEAN_ENV, HF_RECORDINGS_DIR: tmp.dir }, async () => {
    await textToVideo(PROMPT, { ...live, mode: "record", poll: virtualTime() });
    const file = JSON.parse(await Deno.readTextFile(`${tmp.dir}/text-to-video.json`)) as RecordingFile;
    const status = file.interactions.filter((i) => i.request.url.includes("/status?"));
    assert.equal(status.length, 1);
    assert.deepEqual(
      [status[0]!.response, ...(status[0]!.later ?? [])].map((r) => (r.json as { status: string }).status),
      ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"],
    );
    assert.ok(file.interactions.some((i) => i.response.file?.endsWith(".mp4")), "the clip is a sibling file");
    const net = countingFetch();
    const seen: string[] = [];
    const clip = await textToVideo(PROMPT, {
      ...live,
      mode: "replay",
      fetch: net.fetch,
      poll: { onPoll: (e) => seen.push(e.status) },
    });
    assert.deepEqual(clip.bytes, MP4);
    assert.deepEqual(seen, ["IN_QUEUE", "IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    assert.equal(net.calls.length, 0);
    assert.equal(provenanceOf(clip)?.kind, "recorded");
  });
});

Deno.test("a sequence transport answers repeats in order and keeps the last answer once they run out", async () => {
  await using tmp = await tempDir();
  const url = "https://router.huggingface.co/fal-ai/x/requests/1/status";
  let n = 0;
  const net = countingFetch(() => Response.json({ n: ++n }));
  const record = createTransport({
    mode: "record",
    recording: "seq",
    recordingsDir: tmp.dir,
    fetch: net.fetch,
    sequence: true,
  });
  for (let i = 0; i < 3; i++) await (await record(url)).body?.cancel();
  const replay = createTransport({
    mode: "replay",
    recordingsDir: tmp.dir,
    fetch: countingFetch().fetch,
    sequence: true,
  });
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await (await replay(url)).json());
  assert.deepEqual(answers, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 3 }]);
  const plain = createTransport({ mode: "replay", recordingsDir: tmp.dir, fetch: countingFetch().fetch });
  assert.deepEqual(await (await plain(url)).json(), { n: 1 });
  assert.deepEqual(await (await plain(url)).json(), { n: 1 });
});

Deno.test("novita: a text-to-video task is polled at task-result until TASK_STATUS_SUCCEED, then its video fetched", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("novita-video");
  fake.mapping(model, [{ provider: "novita", providerId: "wan-t2v", task: "text-to-video" }]);
  fake.on(
    "POST",
    "https://router.huggingface.co/novita/v3/async/wan-t2v",
    () => Response.json({ task_id: "t-1" }),
  );
  const statuses = ["TASK_STATUS_QUEUED", "TASK_STATUS_PROCESSING", "TASK_STATUS_SUCCEED"];
  fake.on("GET", "https://router.huggingface.co/novita/v3/async/task-result?task_id=t-1", () => {
    const status = statuses.shift() ?? "TASK_STATUS_SUCCEED";
    return Response.json({
      task: { task_id: "t-1", status },
      videos: status === "TASK_STATUS_SUCCEED" ? [{ video_url: MEDIA_URL }] : [],
    });
  });
  fake.media(MEDIA_URL, MP4, "video/mp4");
  const seen: string[] = [];
  const clip = await textToVideo(PROMPT, {
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    model,
    poll: { ...virtualTime(), onPoll: (e) => seen.push(e.status) },
  });
  assert.deepEqual(clip.bytes, MP4);
  assert.deepEqual(seen, [
    "submitted",
    "TASK_STATUS_QUEUED",
    "TASK_STATUS_PROCESSING",
    "TASK_STATUS_SUCCEED",
  ]);
});

Deno.test("together: a video job is polled every 2 s; a failed one gives together's error message", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("together-video");
  fake.mapping(model, [{
    provider: "together",
    providerId: "Wan-AI/Wan2.2-T2V-A14B",
    task: "text-to-video",
  }]);
  fake.on(
    "POST",
    "https://router.huggingface.co/together/v2/videos",
    () => Response.json({ id: "v-1", status: "queued" }),
  );
  const answers = [{ status: "in_progress" }, {
    status: "failed",
    error: { message: "prompt rejected by the safety filter" },
  }];
  fake.on(
    "GET",
    "https://router.huggingface.co/together/v2/videos/v-1",
    () => Response.json({ id: "v-1", ...answers.shift() }),
  );
  const time = virtualTime();
  const error = await rejection(textToVideo(PROMPT, {
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    model,
    poll: time,
  }));
  assert.ok(error instanceof HfJobFailedError, String(error));
  assert.equal(error.provider, "together");
  assert.equal(error.providerMessage, "prompt rejected by the safety filter");
  assert.deepEqual(time.waits, [2000, 2000]);
});

Deno.test("a Retry-After longer than the time left ends the job at once, without the wait", async () => {
  const { fake, live } = await falVideo({ statuses: ["IN_PROGRESS"], retryAfter: "30" });
  await using _ = fake;
  const time = virtualTime();
  const error = await rejection(textToVideo(PROMPT, { ...live, poll: { ...time, deadlineMs: 10_000 } }));
  assert.ok(error instanceof HfJobTimeoutError, String(error));
  assert.equal(error.polls, 1);
  assert.deepEqual(time.waits, [500]);
});

Deno.test("a status poll answered 404 is a workbook HfApiError with the provider's message, not a retry loop", async () => {
  const { fake, live } = await falVideo();
  await using _ = fake;
  fake.on(
    "GET",
    "https://router.huggingface.co/fal-ai/fal-ai/ltx-video/requests/req-1/status?_subdomain=queue",
    () => Response.json({ detail: "Request req-1 not found" }, { status: 404 }),
  );
  const error = await rejection(textToVideo(PROMPT, { ...live, poll: virtualTime() }));
  assert.ok(error instanceof HfApiError, String(error));
  assert.equal(error.status, 404);
  assert.equal(error.serviceMessage, "Request req-1 not found");
  assert.equal(fake.polls("req-"), 0);
});

Deno.test("a submission without a request_id or response_url is an HfOutputError with the answer", async () => {
  await using fake = await startFakeProviders();
  const model = uniqueModel("video");
  fake.mapping(model, [{ provider: "fal-ai", providerId: "fal-ai/ltx-video", task: "text-to-video" }]);
  fake.on(
    "POST",
    "https://router.huggingface.co/fal-ai/fal-ai/ltx-video?_subdomain=queue",
    () => Response.json({ request_id: "r", status: "IN_QUEUE" }),
  );
  const error = await rejection(textToVideo(PROMPT, {
    mode: "live",
    accessToken: "hf_test",
    fetch: fake.fetch,
    model,
    poll: virtualTime(),
  }));
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(error.message, /fal-ai answered the submission without a response_url/);
});

Deno.test("endpointUrl speaks HF Inference's protocol: no mapping look-up; a task it lacks, or a provider too, is refused", async () => {
  const net = countingFetch(() =>
    Response.json([{ label: "a", blob: btoa("fLaC1234"), "content-type": "audio/flac" }])
  );
  const live = { mode: "live" as const, accessToken: "hf_test", fetch: net.fetch };
  const sources = await audioToAudio(SPEECH, {
    ...live,
    endpointUrl: "https://my-endpoint.example/separate",
  });
  assert.deepEqual(sources.map((s) => s.label), ["a"]);
  assert.deepEqual(provenanceOf(sources), { kind: "live" }, "a dedicated endpoint is no provider");
  assert.deepEqual(net.calls.map((c) => `${c.method} ${c.url}`), [
    "POST https://my-endpoint.example/separate",
  ]);
  const lacks = await rejection(
    textToVideo(PROMPT, { ...live, endpointUrl: "https://my-endpoint.example/v" }),
  );
  assert.ok(lacks instanceof TypeError, String(lacks));
  assert.match(
    lacks.message,
    /^Cannot generate video: "endpointUrl" speaks HF Inference's protocol, which has no text-to-video; .* only for fal-ai, novita, replicate, together, wavespeed: name one with "provider"/,
  );
  const both = await rejection(
    textToVideo(PROMPT, { ...live, endpointUrl: "https://my-endpoint.example/v", provider: "fal-ai" }),
  );
  assert.ok(both instanceof TypeError);
  assert.match(both.message, /"provider" and "endpointUrl" cannot both be given/);
  assert.equal(net.calls.length, 1);
});

Deno.test("a status poll answered 429 with Retry-After is retried by the transport after the wait asked, and the job goes on", async () => {
  const { fake, live } = await falVideo();
  await using _ = fake;
  let polls = 0;
  fake.on(
    "GET",
    "https://router.huggingface.co/fal-ai/fal-ai/ltx-video/requests/req-1/status?_subdomain=queue",
    () => {
      polls++;
      if (polls === 1) {
        return Response.json({ error: "Too many requests" }, {
          status: 429,
          headers: { "retry-after": "2" },
        });
      }
      return Response.json({ status: "COMPLETED" });
    },
  );
  const retryWaits: number[] = [];
  const clip = await textToVideo(PROMPT, {
    ...live,
    poll: virtualTime(),
    retry: { sleep: (ms) => (retryWaits.push(ms), Promise.resolve()) },
  });
  assert.deepEqual(clip.bytes, MP4);
  assert.equal(polls, 2);
  assert.deepEqual(retryWaits, [2000]);
});
