/**
 * modelProviders(): the Hub's provider-mapping look-up, on its recording and
 * against a real local fake server (renames, unknown models, both mapping
 * shapes, rate limits).
 */
import assert from "node:assert/strict";
import { HfApiError } from "../lib/errors.ts";
import { modelProviders } from "../lib/hub.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import {
  CLEAN_ENV,
  countingFetch,
  HAS_REFERENCE,
  recordingSleep,
  referenceInteractions,
  rejection,
  requestsTo,
  withEnv,
} from "./_helpers.ts";

const XLSUM = "csebuetnlp/mT5_multilingual_XLSum";

Deno.test("replay: the recorded look-up says hf-inference serves the article's model for summarization", () =>
  withEnv(CLEAN_ENV, async () => {
    const net = countingFetch();
    const info = await modelProviders(XLSUM, { mode: "replay", fetch: net.fetch });
    assert.deepEqual(info, {
      model: XLSUM,
      providers: [{ provider: "hf-inference", providerId: XLSUM, status: "live", task: "summarization" }],
      hfInference: { provider: "hf-inference", providerId: XLSUM, status: "live", task: "summarization" },
    });
    assert.equal(net.calls.length, 0);
  }));

Deno.test("a renamed model: the Hub's 307 is followed once and reported in renamedTo", () =>
  withEnv(CLEAN_ENV, async () => {
    await using fake = await startFakeHf();
    fake.on(
      "/api/models/old-org/old-name",
      scenarios.redirect307("/api/models/new-org/new-name?expand[]=inferenceProviderMapping"),
    );
    fake.setModelTask("new-org/new-name", "summarization");
    const info = await modelProviders("old-org/old-name", {
      mode: "live",
      accessToken: "hf_test",
      fetch: fake.fetch,
    });
    assert.equal(info.model, "old-org/old-name");
    assert.equal(info.renamedTo, "new-org/new-name");
    assert.equal(info.hfInference?.task, "summarization");
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), [
      "GET /api/models/old-org/old-name",
      "GET /api/models/new-org/new-name",
    ]);
    assert.equal(fake.requests[1]?.headers.authorization, "Bearer hf_test");
  }));

Deno.test({
  name: "the Hub's real 307 and mapping answers (hub_cassettes.json) give the renamed model's providers",
  ignore: !HAS_REFERENCE,
  fn: () =>
    withEnv(CLEAN_ENV, async () => {
      const hub = (await referenceInteractions("hub_cassettes.json")).filter((i) => i.provider === "hub-api");
      const redirect = hub.find((i) =>
        i.status === 307 && i.url.includes("Meta-Llama-3.1-8B-Instruct?expand=inferenceProviderMapping")
      );
      const target = hub.find((i) =>
        i.status === 200 &&
        i.url.endsWith("/meta-llama/Llama-3.1-8B-Instruct?expand=inferenceProviderMapping")
      );
      assert.ok(redirect && target, "the recorded redirect and its target");
      await using fake = await startFakeHf();
      fake.on("/api/models/meta-llama/Meta-Llama-3.1-8B-Instruct", {
        status: 307,
        headers: { location: redirect.headers.location!, "content-type": redirect.headers["content-type"]! },
        text: String(redirect.responseBody),
      });
      fake.on("/api/models/meta-llama/Llama-3.1-8B-Instruct", {
        headers: { "content-type": target.headers["content-type"]! },
        json: target.responseBody,
      });
      const info = await modelProviders("meta-llama/Meta-Llama-3.1-8B-Instruct", {
        mode: "live",
        fetch: fake.fetch,
      });
      assert.equal(info.renamedTo, "meta-llama/Llama-3.1-8B-Instruct");
      const expected = Object.keys(
        (target.responseBody as { inferenceProviderMapping: object }).inferenceProviderMapping,
      );
      assert.deepEqual(info.providers.map((p) => p.provider), expected);
      assert.ok(info.providers.every((p) => p.task === "conversational"));
    }),
});

Deno.test("an unknown model: HfApiError 404 (not-found, RepoNotFound)", () =>
  withEnv(CLEAN_ENV, async () => {
    await using fake = await startFakeHf();
    fake.setMapping("nobody/nothing", null);
    const error = await rejection(modelProviders("nobody/nothing", { mode: "live", fetch: fake.fetch }));
    assert.ok(error instanceof HfApiError, String(error));
    assert.equal(error.status, 404);
    assert.equal(error.kind, "not-found");
    assert.equal(error.errorCode, "RepoNotFound");
    assert.equal(error.serviceMessage, "Repository not found");
    assert.match(error.hint, /Check the model id/);
    assert.equal(fake.requests.length, 1, "a 404 is not retried");
  }));

Deno.test("both mapping shapes (object by provider, and the older list) and no mapping at all", () =>
  withEnv(CLEAN_ENV, async () => {
    await using fake = await startFakeHf();
    fake.setMapping("org/listed", [
      { provider: "together", status: "live", providerId: "t/x", task: "conversational" } as never,
      {
        provider: "hf-inference",
        status: "staging",
        providerId: "org/listed",
        task: "text-generation",
      } as never,
    ]);
    fake.setMapping("org/elsewhere", {
      "fal-ai": { status: "live", providerId: "fal/x", task: "text-to-image" },
    });
    fake.on("/api/models/org/bare", { json: { id: "org/bare" } });
    const options = { mode: "live", fetch: fake.fetch } as const;
    const listed = await modelProviders("org/listed", options);
    assert.deepEqual(listed.providers.map((p) => `${p.provider}:${p.status}:${p.task}`), [
      "together:live:conversational",
      "hf-inference:staging:text-generation",
    ]);
    assert.equal(listed.hfInference?.providerId, "org/listed");
    const elsewhere = await modelProviders("org/elsewhere", options);
    assert.equal(elsewhere.hfInference, undefined);
    assert.equal(elsewhere.providers[0]?.provider, "fal-ai");
    const bare = await modelProviders("org/bare", options);
    assert.deepEqual(bare.providers, []);
  }));

Deno.test("the token is sent only when it is an hf_ token; a Hub rate limit is waited for", () =>
  withEnv(CLEAN_ENV, async () => {
    await using fake = await startFakeHf();
    await modelProviders("org/a", { mode: "live", accessToken: "sk-not-hf", fetch: fake.fetch });
    await modelProviders("org/b", { mode: "live", accessToken: "hf_test", fetch: fake.fetch });
    assert.equal(fake.requests[0]?.headers.authorization, undefined);
    assert.equal(fake.requests[1]?.headers.authorization, "Bearer hf_test");

    fake.on("/api/models/org/busy", scenarios.hubRateLimit429, {
      json: {
        inferenceProviderMapping: {
          "hf-inference": { status: "live", providerId: "org/busy", task: "fill-mask" },
        },
      },
    });
    const clock = recordingSleep();
    const info = await modelProviders("org/busy", {
      mode: "live",
      fetch: fake.fetch,
      retry: { sleep: clock.sleep },
    });
    assert.equal(info.hfInference?.task, "fill-mask");
    assert.deepEqual(clock.delays, [55_000]);
    assert.equal(requestsTo(fake.requests, "/api/models/org/busy", "GET"), 2);
  }));

Deno.test("a bad model id is a TypeError before any request", () =>
  withEnv(CLEAN_ENV, async () => {
    const net = countingFetch();
    await assert.rejects(modelProviders("has spaces", { mode: "live", fetch: net.fetch }), TypeError);
    await assert.rejects(
      modelProviders("https://huggingface.co/org/x", { mode: "live", fetch: net.fetch }),
      /pass it as "endpointUrl" instead/,
    );
    assert.equal(net.calls.length, 0);
  }));
