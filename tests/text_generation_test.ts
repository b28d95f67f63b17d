/**
 * textGeneration() and textGenerationStream(): notebook 11's calls replayed
 * from recordings/, the exact request @huggingface/inference builds, every
 * real text-generation answer of hf-recorded (the `[{generated_text}]` the
 * library rejects, and TGI event streams), the real error events inside 200
 * streams and error bodies, a cut stream, and the input checks.
 */
import assert from "node:assert/strict";
import {
  collectStream,
  HfApiError,
  HfNetworkError,
  HfOutputError,
  TEXT_GENERATION_MODEL,
  textGeneration,
  type TextGenerationOptions,
  textGenerationStream,
} from "../lib/mod.ts";
import { countingFetch, HAS_REFERENCE, rejection, uniqueModel } from "./_helpers.ts";
import {
  mappingAnswer,
  NO_WAIT,
  referenceCases,
  referenceErrors,
  taskCalls,
  taskFetch,
} from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { startFakeHf } from "./fake_hf_server.ts";

// Notebook 11's inputs, exactly as recorded in recordings/text-generation.json.
const PROMPT = "The answer to the universe is";
const PARAMETERS = { max_new_tokens: 40, temperature: 0.7, seed: 42 };

const SSE = { "content-type": "text/event-stream" };

/** A TGI stream event. */
function tgi(text: string, special = false, generated: string | null = null): string {
  return JSON.stringify({
    token: { id: 1, text, logprob: -0.1, special },
    generated_text: generated,
    details: null,
  });
}

Deno.test("textGeneration() replays notebook 11's prompt: 40 tokens, and 8 with the same seed", async () => {
  await fromRecordings(async (replay) => {
    const long = await textGeneration(PROMPT, { ...replay, parameters: PARAMETERS });
    const short = await textGeneration(PROMPT, {
      ...replay,
      parameters: { ...PARAMETERS, max_new_tokens: 8 },
    });
    assert.equal(TEXT_GENERATION_MODEL, "openai-community/gpt2");
    assert.match(long.generated_text, /^ not a single number, but a question we keep asking\./);
    assert.equal(short.generated_text, " not a single number, but a question");
    assert.ok(long.generated_text.startsWith(short.generated_text));
  });
});

Deno.test("textGenerationStream() replays the streamed continuation: the same text, no network", async () => {
  await fromRecordings(async (replay) => {
    const whole = await textGeneration(PROMPT, { ...replay, parameters: PARAMETERS });
    const chunks = [];
    for await (const c of textGenerationStream(PROMPT, { ...replay, parameters: PARAMETERS })) {
      chunks.push(c);
    }
    assert.ok(chunks.length > 20);
    assert.equal(chunks.map((c) => c.text).join(""), whole.generated_text);
    assert.equal(chunks.at(-1)?.finish_reason, "length");
    assert.ok(chunks.slice(0, -1).every((c) => c.finish_reason === null));
  });
});

Deno.test("textGeneration() sends what @huggingface/inference 4.13.30 builds: the model's /v1/completions route", async () => {
  const model = uniqueModel("gpt2");
  const network = taskFetch("text-generation", {
    id: "",
    object: "text_completion",
    created: 1,
    model,
    choices: [{ index: 0, text: " 42.", finish_reason: "length" }],
  });
  const output = await textGeneration(PROMPT, {
    ...LIVE,
    model,
    fetch: network.fetch,
    parameters: PARAMETERS,
  });
  assert.deepEqual(output, { generated_text: " 42." });
  assert.deepEqual(taskCalls(network), [{
    url: `https://router.huggingface.co/hf-inference/models/${model}/v1/completions`,
    body: { model, prompt: PROMPT, max_tokens: 40, temperature: 0.7, seed: 42 },
  }]);
});

Deno.test("textGeneration() takes every shape the service sends: {choices}, [{generated_text}], {generated_text}", async () => {
  const shapes: [unknown, string][] = [
    [{ choices: [{ text: " a" }] }, " a"],
    [[{ generated_text: "The answer to the universe is b" }], "The answer to the universe is b"],
    [{ generated_text: " c", details: { finish_reason: "length", generated_tokens: 1 } }, " c"],
  ];
  for (const [answer, expected] of shapes) {
    const network = taskFetch("text-generation", answer);
    const output = await textGeneration(PROMPT, {
      ...LIVE,
      model: uniqueModel("shape"),
      fetch: network.fetch,
    });
    assert.equal(output.generated_text, expected);
  }
  const wrong = taskFetch("text-generation", [{ summary_text: "not a generation" }]);
  const error = await rejection(
    textGeneration(PROMPT, { ...LIVE, model: uniqueModel("wrong"), fetch: wrong.fetch }),
  );
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(error.message, /is not a text-generation answer: expected \{choices: \[\{text: string\}\]\}/);
  assert.match(error.body, /summary_text/);
});

Deno.test({
  name: "every real text-generation success of hf-recorded parses: [{generated_text}] and TGI event streams",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = (await referenceCases("text-generation")).filter((c) => c.status === 200);
    let json = 0;
    let streams = 0;
    let errorEvents = 0;
    for (const c of cases) {
      const model = uniqueModel("recorded");
      if (c.responseBodyKind === "json") {
        const network = taskFetch("text-generation", c.responseBody);
        const output = await textGeneration(PROMPT, { ...LIVE, model, fetch: network.fetch });
        assert.deepEqual(output, (c.responseBody as unknown[])[0], c.where);
        json++;
        continue;
      }
      assert.equal(c.responseBodyKind, "sse", c.where);
      const body = c.responseBody as string;
      const events = (c as { sseEvents?: Record<string, unknown>[] }).sseEvents ?? [];
      if (events.some((e) => "error" in e)) {
        errorEvents++; // a real error inside a 200 stream: see the next test
        continue;
      }
      const network = countingFetch((call) =>
        call.method === "GET"
          ? mappingAnswer(call.url, "text-generation")
          : new Response(body, { headers: SSE })
      );
      const chunks = [];
      for await (const chunk of textGenerationStream(PROMPT, { ...LIVE, model, fetch: network.fetch })) {
        chunks.push(chunk);
      }
      const tokens = events as { token: { text: string; special: boolean }; generated_text: string | null }[];
      assert.equal(chunks.length, tokens.length, c.where);
      assert.equal(
        chunks.map((x) => x.text).join(""),
        tokens.filter((e) => !e.token.special).map((e) => e.token.text).join(""),
        c.where,
      );
      assert.equal(chunks.at(-1)?.generated_text, tokens.at(-1)?.generated_text, c.where);
      assert.ok(typeof chunks.at(-1)?.generated_text === "string", c.where);
      streams++;
    }
    assert.equal(json + streams + errorEvents, cases.length);
    assert.ok(json >= 20 && streams >= 5, `${json} JSON, ${streams} streams`);
    console.log(
      `text generation: parsed ${json} JSON and ${streams} streamed real hf-inference successes of ${
        json + streams
      } (${errorEvents} more 200 streams are error events)`,
    );
  },
});

Deno.test({
  name:
    "every real error event inside a 200 text-generation stream of hf-recorded is an HfApiError with its message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = (await referenceCases("text-generation")).filter((c) =>
      c.status === 200 && c.responseBodyKind === "sse" && String(c.responseBody).includes('"error"')
    );
    let surfaced = 0;
    for (const c of cases) {
      const event = ((c as { sseEvents?: { error: string; error_type: string }[] }).sseEvents ?? [])[0]!;
      const network = countingFetch((call) =>
        call.method === "GET"
          ? mappingAnswer(call.url, "text-generation")
          : new Response(c.responseBody as string, { headers: SSE })
      );
      const error = await rejection(collectStream(textGenerationStream(PROMPT, {
        ...LIVE,
        model: uniqueModel("event"),
        fetch: network.fetch,
        retry: NO_WAIT,
      })));
      assert.ok(error instanceof HfApiError, `${c.where}: ${error}`);
      assert.equal(error.status, 200);
      assert.equal(error.serviceMessage, event.error, c.where);
      assert.equal(error.errorType, event.error_type, c.where);
      assert.match(error.hint, /rejected the input or parameters/);
      assert.equal(network.calls.filter((x) => x.method === "POST").length, 1, "not retried");
      surfaced++;
    }
    assert.ok(cases.length >= 5, `found ${cases.length}`);
    assert.equal(surfaced, cases.length);
    console.log(
      `text generation: surfaced ${surfaced} of ${cases.length} real error events inside 200 streams`,
    );
  },
});

Deno.test({
  name: "every real text-generation error body of hf-recorded surfaces with the service's own message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "text-generation",
      // every provider's: the bodies go through hf-inference's route
      cases: await referenceErrors("text-generation", { everyProvider: true }),
      count: { atLeast: 2 },
      route: (model) => `/hf-inference/models/${model}/v1/completions`,
      call: (live) => textGeneration(PROMPT, live),
    });
  },
});

Deno.test("textGenerationStream(): TGI events need their last event (generated_text); a cut stream is an HfNetworkError", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("tgi");
  fake.setModelTask(model, "text-generation");
  const route = `/hf-inference/models/${model}/v1/completions`;

  fake.on(route, { sse: [tgi("one"), tgi(" two"), tgi("</s>", true, "one two")], sseDone: false });
  const whole = await collectStream(textGenerationStream(PROMPT, { ...LIVE, model, fetch: fake.fetch }));
  assert.equal(whole.text, "one two");

  fake.on(route, { sse: [tgi("one"), tgi(" two")], behaviour: "cut-stream" });
  const seen: string[] = [];
  const cut = await rejection(collectStream(
    textGenerationStream(PROMPT, { ...LIVE, model, fetch: fake.fetch, retry: NO_WAIT }),
    { onText: (text) => void seen.push(text) },
  ));
  assert.ok(cut instanceof HfNetworkError, String(cut));
  assert.match(cut.message, /broke off after 2 events, before its end/);
  assert.deepEqual(seen, ["one", "one two"]);

  fake.on(route, { sse: [tgi("one"), tgi(" two")], sseDone: false });
  const ended = await rejection(
    collectStream(textGenerationStream(PROMPT, { ...LIVE, model, fetch: fake.fetch })),
  );
  assert.ok(ended instanceof HfNetworkError, String(ended));
  assert.match(ended.message, /ended after 2 events/);
  assert.equal(JSON.parse(fake.requests.at(-1)!.body).stream, true);
});

Deno.test("bad prompts and parameters throw TypeError / RangeError naming them, before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot generate text: ",
    call: (input: unknown, options: TextGenerationOptions | undefined, live) =>
      textGeneration(input as string, { ...live, ...options }),
    // The stream checks the same, at once.
    atOnce: (input, options, live) => textGenerationStream(input as string, { ...live, ...options }),
    cases: [
      [
        "an empty prompt",
        "",
        undefined,
        TypeError,
        /^Cannot generate text: "inputs" must be a non-empty string, got "" \(blank\)$/,
      ],
      [
        "white space",
        " \n",
        undefined,
        TypeError,
        /"inputs" must be a non-empty string, got ".*" \(blank\)/s,
      ],
      ["a number", 42, undefined, TypeError, /"inputs" must be a non-empty string, got 42/],
      [
        "a list of prompts",
        ["a"],
        undefined,
        TypeError,
        /"inputs" must be a non-empty string, got an array of 1/,
      ],
      [
        "max_tokens, chat's name",
        "x",
        { parameters: { max_tokens: 5 } as never },
        TypeError,
        /"parameters.max_tokens" is not a parameter of text-generation; did you mean "max_new_tokens"\?/,
      ],
      [
        "max_new_tokens 0",
        "x",
        { parameters: { max_new_tokens: 0 } },
        RangeError,
        /"parameters\.max_new_tokens" must be a whole number of at least 1, got 0/,
      ],
      [
        "max_new_tokens 2.5",
        "x",
        { parameters: { max_new_tokens: 2.5 } },
        RangeError,
        /"parameters\.max_new_tokens" must be a whole number/,
      ],
      [
        "a negative temperature",
        "x",
        { parameters: { temperature: -1 } },
        RangeError,
        /"parameters\.temperature" must be a number of more than 0, got -1/,
      ],
      [
        "temperature as text",
        "x",
        { parameters: { temperature: "warm" as never } },
        TypeError,
        /"parameters\.temperature" must be a number, got a string/,
      ],
      [
        "top_p 1.5",
        "x",
        { parameters: { top_p: 1.5 } },
        RangeError,
        /"parameters\.top_p" must be a number of more than 0 and of at most 1, got 1\.5/,
      ],
      [
        "top_k 0",
        "x",
        { parameters: { top_k: 0 } },
        RangeError,
        /"parameters\.top_k" must be a whole number of at least 1, got 0/,
      ],
      [
        "a negative seed",
        "x",
        { parameters: { seed: -3 } },
        RangeError,
        /"parameters\.seed" must be a whole number of at least 0, got -3/,
      ],
      [
        "do_sample as text",
        "x",
        { parameters: { do_sample: "yes" as never } },
        TypeError,
        /"parameters\.do_sample" must be true or false/,
      ],
      [
        "return_full_text 1",
        "x",
        { parameters: { return_full_text: 1 as never } },
        TypeError,
        /"parameters\.return_full_text" must be true or false, got 1/,
      ],
      [
        "no stop strings",
        "x",
        { parameters: { stop: [] } },
        RangeError,
        /"parameters\.stop" must list 1 to 4 non-empty strings, got an array of 0/,
      ],
      [
        "a blank stop string",
        "x",
        { parameters: { stop: [""] } },
        TypeError,
        /"parameters\.stop\[0\]" must be a non-empty string/,
      ],
      [
        "null parameters",
        "x",
        { parameters: null as never },
        TypeError,
        /"parameters" must be an object, got null/,
      ],
      [
        "a model id with a space",
        "x",
        { model: "gpt 2" },
        TypeError,
        /"model" must be a model id like "owner\/name", got "gpt 2"/,
      ],
    ],
  });
});
