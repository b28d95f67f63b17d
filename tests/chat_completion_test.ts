/**
 * chatCompletion() and chatCompletionStream(): notebook 10's calls replayed
 * from recordings/, the exact requests per provider (through a real local fake
 * server), every real chat answer of hf-recorded (JSON and event streams), real
 * error bodies, the stream failures (an error event in a 200 stream, a stream
 * cut before its end, a stalled stream, JSON instead of a stream, an abort),
 * and the input checks.
 */
import assert from "node:assert/strict";
import type { ChatCompletionStreamOutput } from "@huggingface/tasks";
import {
  CHAT_COMPLETION_MODEL,
  chatCompletion,
  type ChatCompletionOptions,
  chatCompletionStream,
  type ChatMessage,
  collectStream,
  HfApiError,
  HfNetworkError,
  HfNotServedError,
  HfOutputError,
  HfWorkbookError,
  ReplayMissError,
} from "../lib/mod.ts";
import { CLEAN_ENV, countingFetch, HAS_REFERENCE, rejection, uniqueModel, withEnv } from "./_helpers.ts";
import { NO_WAIT, referenceCases, referenceErrors } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";

// Notebook 10's inputs, exactly as recorded in recordings/chat-completion.json.
const ARTICLE_CONTEXT =
  "我們可以看到雖然免費使用，但卻有速率上的限制，但對於一般的小應用來說已經足夠使用，不過基本上推理的部分是由CPU運算，因此效能可能不是我們所滿意的結果，如果需要更強大的功能請參考「Inference Endpoints」，後面的篇章我們再來針對這個部分進行詳解。";
const QUESTION = "Hugging Face 的 Inference API 免費版有什麼限制？";
const MESSAGES: ChatMessage[] = [
  {
    role: "system",
    content:
      `你是這篇文章的助教：只根據下面的文章內容，用繁體中文簡短回答。\n\n文章（【Hugging Face】Ep.8「真有這麼佛心？」）：\n${ARTICLE_CONTEXT}`,
  },
  { role: "user", content: QUESTION },
];
const PARAMETERS = { max_tokens: 300, temperature: 0.2, seed: 42 };

const ROUTER = "https://router.huggingface.co";

/** A chat answer as the router sends it. */
function chatAnswer(content: string): Record<string, unknown> {
  return {
    object: "chat.completion",
    id: "",
    created: 1742555982,
    model: CHAT_COMPLETION_MODEL,
    system_fingerprint: "3.2.1-native",
    choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
  };
}

/** A chat chunk as TGI sends it. */
function chunk(content: string | null, finish: string | null = null): string {
  return JSON.stringify({
    object: "chat.completion.chunk",
    id: "",
    created: 1742565776,
    model: CHAT_COMPLETION_MODEL,
    system_fingerprint: "3.2.1-native",
    choices: [{
      index: 0,
      delta: content === null ? {} : { role: "assistant", content },
      finish_reason: finish,
    }],
    usage: null,
  });
}

async function drain(stream: AsyncIterable<ChatCompletionStreamOutput>): Promise<string[]> {
  const texts: string[] = [];
  for await (const c of stream) texts.push(c.choices[0]?.delta.content ?? "");
  return texts;
}

Deno.test("chatCompletion() replays notebook 10's question about the article, without the network", async () => {
  await fromRecordings(async (replay) => {
    const output = await chatCompletion(MESSAGES, { ...replay, parameters: PARAMETERS });
    assert.equal(output.model, CHAT_COMPLETION_MODEL);
    assert.match(output.choices[0]?.message.content ?? "", /速率限制[\s\S]*CPU[\s\S]*Inference Endpoints/);
    assert.deepEqual(output.usage, { prompt_tokens: 214, completion_tokens: 96, total_tokens: 310 });
  });
});

Deno.test("chatCompletionStream() replays the streamed answer: the same text, usage last, no network", async () => {
  await fromRecordings(async (replay) => {
    const whole = await chatCompletion(MESSAGES, { ...replay, parameters: PARAMETERS });
    const seen: string[] = [];
    const streamed = await collectStream(
      chatCompletionStream(MESSAGES, {
        ...replay,
        parameters: { ...PARAMETERS, stream_options: { include_usage: true } },
      }),
      { onText: (text) => void seen.push(text) },
    );
    assert.equal(streamed.text, whole.choices[0]?.message.content);
    assert.equal(streamed.finish_reason, "stop");
    assert.deepEqual(streamed.usage, whole.usage);
    assert.ok(seen.length > 10, `the text grew ${seen.length} times`);
    assert.equal(seen.at(-1), streamed.text);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.startsWith(seen[i - 1]!));
  });
});

Deno.test("replay: a named provider (novita) and an error event inside an hf-inference stream", async () => {
  await fromRecordings(async (replay) => {
    const novita = await chatCompletion(MESSAGES, { ...replay, provider: "novita", parameters: PARAMETERS });
    assert.equal(novita.model, "meta-llama/llama-3.1-8b-instruct");
    assert.match(novita.choices[0]?.message.content ?? "", /速率限制/);

    const error = await rejection(collectStream(chatCompletionStream(MESSAGES, {
      ...replay,
      provider: "hf-inference",
      parameters: { max_tokens: 100000 },
    })));
    assert.ok(error instanceof HfApiError, String(error));
    assert.equal(error.status, 200);
    assert.equal(error.errorType, "validation");
    assert.match(
      error.serviceMessage,
      /^Input validation error: `inputs` tokens \+ `max_new_tokens` must be <= 8192/,
    );
    assert.match(error.hint, /rejected the input or parameters/);

    const miss = await rejection(chatCompletion([{ role: "user", content: "Not recorded" }], replay));
    assert.ok(miss instanceof ReplayMissError, String(miss));
    assert.match(miss.message, /POST https:\/\/router\.huggingface\.co\/v1\/chat\/completions/);
  });
});

Deno.test("live, provider auto (the default): POST router/v1/chat/completions, no mapping look-up", async () => {
  await using fake = await startFakeHf();
  fake.on(`${ROUTER}/v1/chat/completions`, { json: chatAnswer("兩個限制") });
  const output = await chatCompletion(MESSAGES, { ...LIVE, fetch: fake.fetch, parameters: PARAMETERS });
  assert.equal(output.choices[0]?.message.content, "兩個限制");
  assert.equal(fake.requests.length, 1, fake.requests.map((r) => r.url).join("\n"));
  const call = fake.requests[0]!;
  assert.equal(`${call.method} ${call.url}`, `POST ${ROUTER}/v1/chat/completions`);
  assert.equal(call.headers.authorization, "Bearer hf_test");
  assert.deepEqual(JSON.parse(call.body), {
    model: CHAT_COMPLETION_MODEL,
    messages: MESSAGES,
    ...PARAMETERS,
  });
});

Deno.test("live, named providers: the mapping look-up, then the provider's route with its own model id", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("chat");
  fake.setMapping(model, {
    "hf-inference": { status: "live", providerId: model, task: "conversational" },
    novita: { status: "live", providerId: "vendor/chat-8b", task: "conversational" },
  });
  fake.on("/v1/chat/completions", { json: chatAnswer("hf-inference") });
  fake.on("/novita/v3/openai/chat/completions", { json: chatAnswer("novita") });
  const hf = await chatCompletion(MESSAGES, { ...LIVE, model, provider: "hf-inference", fetch: fake.fetch });
  const novita = await chatCompletion(MESSAGES, { ...LIVE, model, provider: "novita", fetch: fake.fetch });
  assert.equal(hf.choices[0]?.message.content, "hf-inference");
  assert.equal(novita.choices[0]?.message.content, "novita");
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), [
    `GET /api/models/${model}`,
    `POST /hf-inference/models/${model}/v1/chat/completions`,
    `POST /novita/v3/openai/chat/completions`,
  ]);
  assert.equal(JSON.parse(fake.requests[1]!.body).model, model);
  assert.equal(JSON.parse(fake.requests[2]!.body).model, "vendor/chat-8b");

  // A provider that does not serve the model: HfNotServedError, whole or streamed, and no call is sent.
  const notServed = await rejection(collectStream(chatCompletionStream(MESSAGES, {
    ...LIVE,
    model,
    provider: "together",
    fetch: fake.fetch,
  })));
  assert.ok(notServed instanceof HfNotServedError, String(notServed));
  assert.match(notServed.hint, /inferenceProviderMapping/);
  assert.equal(fake.requests.length, 3);
});

Deno.test("live, endpointUrl: the endpoint's own /v1/chat/completions, no look-up", async () => {
  const endpoint = "https://my-endpoint.endpoints.huggingface.cloud";
  await using fake = await startFakeHf({ endpointHosts: [endpoint] });
  fake.on(`${endpoint}/v1/chat/completions`, scenarios.chatStream200);
  const answer = await collectStream(
    chatCompletionStream(MESSAGES, { ...LIVE, endpointUrl: endpoint, fetch: fake.fetch }),
  );
  assert.equal(answer.text, "Deep learning");
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.url}`), [
    `POST ${endpoint}/v1/chat/completions`,
  ]);
});

Deno.test("live stream: chunks as they come, stream: true sent, the text collected", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", scenarios.chatStream200);
  const stream = chatCompletionStream(MESSAGES, {
    ...LIVE,
    fetch: fake.fetch,
    parameters: { max_tokens: 20 },
  });
  assert.deepEqual(await drain(stream), ["Deep", " learning", ""]);
  assert.equal(JSON.parse(fake.requests[0]!.body).stream, true);
  assert.equal(JSON.parse(fake.requests[0]!.body).max_tokens, 20);
  const again = await collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch }));
  assert.deepEqual([again.text, again.finish_reason, again.chunks], ["Deep learning", "stop", 3]);
});

Deno.test("live stream: an error event inside the 200 stream is an HfApiError with the service's message, not retried", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", scenarios.sseErrorEvent);
  const error = await rejection(
    collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch, retry: NO_WAIT })),
  );
  assert.ok(error instanceof HfApiError, String(error));
  assert.equal(error.status, 200);
  assert.equal(error.errorType, "validation");
  assert.equal(
    error.serviceMessage,
    "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 17 `inputs` tokens and 10000 `max_new_tokens`",
  );
  assert.equal(error.retryClass, "fail");
  assert.equal(fake.requests.length, 1);

  // After good chunks too: the chunks before it are handed over, then the error.
  fake.on("/v1/chat/completions", {
    sse: [
      chunk("Deep"),
      JSON.stringify({ error: "Request failed during generation: boom", error_type: "generation" }),
    ],
    sseDone: false,
  });
  const seen: string[] = [];
  const late = await rejection((async () => {
    for await (const c of chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch })) {
      seen.push(c.choices[0]?.delta.content ?? "");
    }
  })());
  assert.deepEqual(seen, ["Deep"]);
  assert.ok(late instanceof HfApiError, String(late));
  assert.equal(late.errorType, "generation");
  assert.equal(late.serviceMessage, "Request failed during generation: boom");
});

Deno.test("live stream: a stream cut before its end is an HfNetworkError, never a complete answer", async () => {
  await using fake = await startFakeHf();
  // The connection breaks after two chunks (no finish reason, no [DONE]).
  fake.on("/v1/chat/completions", scenarios.chatStreamCut);
  const seen: string[] = [];
  const broken = await rejection(collectStream(
    chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch, retry: NO_WAIT }),
    { onText: (text) => void seen.push(text) },
  ));
  assert.ok(broken instanceof HfNetworkError, String(broken));
  assert.equal(broken.kind, "network");
  assert.equal(broken.retryClass, "retry");
  assert.match(
    broken.message,
    /broke off after 2 events, before its end \("data: \[DONE\]" or a finish reason\)/,
  );
  assert.deepEqual(seen, ["Deep", "Deep learning"], "the partial text was seen as partial");
  assert.equal(fake.requests.length, 1, "a stream already handed over is not retried");

  // The server closes the stream cleanly but early: no [DONE], no finish reason.
  fake.on("/v1/chat/completions", { sse: [chunk("Deep"), chunk(" learning")], sseDone: false });
  const ended = await rejection(
    collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch })),
  );
  assert.ok(ended instanceof HfNetworkError, String(ended));
  assert.match(ended.message, /ended after 2 events, before its end/);

  // Cut in the middle of an event.
  fake.on("/v1/chat/completions", {
    text: `data: ${chunk("Deep")}\n\ndata: {"object":"chat.comp`,
    headers: { "content-type": "text/event-stream" },
  });
  const mid = await rejection(collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch })));
  assert.ok(mid instanceof HfNetworkError, String(mid));
  assert.match(mid.message, /ended in the middle of an event after 1 event/);
});

Deno.test("live stream: TGI streams without [DONE] are complete when their last chunk has a finish reason", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", { sse: [chunk("one"), chunk(" two", "eos_token")], sseDone: false });
  const answer = await collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch }));
  assert.deepEqual([answer.text, answer.finish_reason], ["one two", "eos_token"]);
});

Deno.test("live stream: a stalled stream times out (per-attempt timeout, from the last bytes)", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", { ...scenarios.chatStream200, behaviour: "stall-body" });
  const started = performance.now();
  const error = await rejection(collectStream(chatCompletionStream(MESSAGES, {
    ...LIVE,
    fetch: fake.fetch,
    retry: { ...NO_WAIT, attemptTimeoutMs: 300 },
  })));
  assert.ok(error instanceof HfNetworkError, String(error));
  assert.equal(error.kind, "timeout");
  assert.match(error.message, /stalled after 1 event/);
  assert.ok(performance.now() - started < 5_000);
});

Deno.test("live stream: the caller's abort ends a stream at once, with the abort reason", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", { ...scenarios.chatStream200, behaviour: "stall-body" });
  const controller = new AbortController();
  const reason = new Error("the reader left");
  const started = performance.now();
  const error = await rejection((async () => {
    for await (
      const _ of chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch, signal: controller.signal })
    ) {
      setTimeout(() => controller.abort(reason), 50);
    }
  })());
  assert.equal(error, reason);
  assert.ok(performance.now() - started < 5_000);
});

Deno.test("live stream: leaving the loop early cancels the stream (nothing left open)", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", { ...scenarios.chatStream200, behaviour: "stall-body" });
  let cancelled: unknown = "not cancelled";
  // The network edge, watched: was the body it handed over cancelled?
  const edge: typeof fetch = async (input, init) => {
    const response = await fake.fetch(input, init);
    const reader = response.body!.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        cancelled = reason;
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  for await (const c of chatCompletionStream(MESSAGES, { ...LIVE, fetch: edge })) {
    assert.equal(c.choices[0]?.delta.content, "Deep");
    break;
  }
  assert.notEqual(cancelled, "not cancelled", "the stalled body was left open");
});

Deno.test("live stream: a stream request answered with plain JSON is an HfOutputError carrying the body", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", scenarios.chatCompletion200);
  const error = await rejection(
    collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch })),
  );
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(
    error.message,
    /asked meta-llama\/Llama-3\.1-8B-Instruct for an event stream, the service answered application\/json instead/,
  );
  assert.equal(JSON.parse(error.body).choices[0].message.content, "Deep learning");
  assert.equal(fake.requests.length, 1);
});

Deno.test("live stream: an event that is not JSON is an HfOutputError", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", { sse: [chunk("Deep"), "not json"] });
  const error = await rejection(
    collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch })),
  );
  assert.ok(error instanceof HfOutputError, String(error));
  assert.match(error.message, /holds an event that is not JSON: not json/);
});

Deno.test("live: a 401 and a 422 of the router become HfApiErrors with the service's message", async () => {
  await using fake = await startFakeHf();
  fake.on("/v1/chat/completions", scenarios.unauthorized401Json);
  const unauthorized = await rejection(
    chatCompletion(MESSAGES, { ...LIVE, fetch: fake.fetch, retry: NO_WAIT }),
  );
  assert.ok(unauthorized instanceof HfApiError, String(unauthorized));
  assert.equal(unauthorized.status, 401);
  assert.equal(unauthorized.serviceMessage, "Invalid credentials in Authorization header");
  assert.match(unauthorized.hint, /HF_TOKEN/);

  fake.on("/v1/chat/completions", scenarios.validation422Text);
  const invalid = await rejection(
    collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: fake.fetch, retry: NO_WAIT })),
  );
  assert.ok(invalid instanceof HfApiError, String(invalid));
  assert.equal(invalid.status, 422);
  assert.match(invalid.serviceMessage, /^Failed to deserialize the JSON body into the target type/);
  assert.equal(fake.requests.length, 2, "neither is retried");
});

Deno.test({
  name:
    "every real chat answer of hf-recorded parses: JSON through chatCompletion(), streams through chatCompletionStream()",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = (await referenceCases("chat-completion")).filter((c) => c.status === 200);
    let json = 0;
    let streams = 0;
    for (const c of cases) {
      if (c.responseBodyKind === "json") {
        const network = countingFetch(() => Response.json(c.responseBody));
        const output = await chatCompletion(MESSAGES, { ...LIVE, fetch: network.fetch });
        assert.deepEqual(output, c.responseBody, c.where);
        json++;
      } else {
        assert.equal(c.responseBodyKind, "sse", c.where);
        const body = c.responseBody as string;
        const network = countingFetch(() =>
          new Response(body, { headers: { "content-type": "text/event-stream" } })
        );
        const answer = await collectStream(chatCompletionStream(MESSAGES, { ...LIVE, fetch: network.fetch }));
        const events = (c as { sseEvents?: { choices?: { delta?: { content?: string } }[] }[] }).sseEvents ??
          [];
        const expected = events.map((e) => e.choices?.[0]?.delta?.content ?? "").join("");
        assert.equal(answer.text, expected, c.where);
        assert.ok(answer.text.length > 0 && answer.finish_reason !== null, c.where);
        streams++;
      }
    }
    assert.equal(json + streams, cases.length);
    assert.ok(json >= 30 && streams >= 20, `${json} JSON, ${streams} streams`);
    console.log(
      `chat completion: parsed ${json} JSON and ${streams} streamed real hf-inference answers of ${cases.length}`,
    );
  },
});

Deno.test({
  name: "every real chat error body of hf-recorded surfaces with the service's own message",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "chat-completion",
      hubTask: "conversational",
      cases: await referenceErrors("chat-completion", { everyProvider: true }),
      count: { atLeast: 30 },
      // provider auto: the router's own route, whichever provider answered on the tape
      route: () => `${ROUTER}/v1/chat/completions`,
      call: (live) => chatCompletion(MESSAGES, live),
      note: "(all providers)",
    });
  },
});

Deno.test("provider auto needs a token live: a clear error before any request", async () => {
  const network = countingFetch();
  await withEnv(CLEAN_ENV, async () => {
    const error = await rejection(chatCompletion(MESSAGES, { mode: "live", fetch: network.fetch }));
    assert.ok(error instanceof HfWorkbookError, String(error));
    assert.equal(error.kind, "unauthorized");
    assert.match(
      error.message,
      /provider "auto" routes the call with your Hugging Face token, and none is set/,
    );
    assert.match(error.hint, /HF_TOKEN/);
  });
  assert.equal(network.calls.length, 0);
});

Deno.test("bad messages and parameters throw TypeError / RangeError naming them, before any request", async (t) => {
  const user = { role: "user", content: "hi" };
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot chat: ",
    call: (messages: unknown, options: ChatCompletionOptions | undefined, live) =>
      chatCompletion(messages as ChatMessage[], { ...live, ...options }),
    // The stream checks the same, at once (not when the first chunk is asked for).
    atOnce: (messages, options, live) =>
      chatCompletionStream(messages as ChatMessage[], { ...live, ...options }),
    cases: [
      [
        "no messages",
        [],
        undefined,
        TypeError,
        /^Cannot chat: "messages" must list at least one message, got an array of 0$/,
      ],
      ["a string", "hi", undefined, TypeError, /"messages" must list at least one message, got a string/],
      [
        "nothing",
        undefined,
        undefined,
        TypeError,
        /"messages" must list at least one message, got undefined/,
      ],
      ["a null message", [null], undefined, TypeError, /"messages\[0\]" must be an object, got null/],
      [
        "no role",
        [{ content: "hi" }],
        undefined,
        TypeError,
        /"messages\[0\]\.role" is required: one of system, user, assistant, tool/,
      ],
      [
        "an unknown role",
        [{ role: "bot", content: "hi" }],
        undefined,
        RangeError,
        /"messages\[0\]\.role" must be one of system, user, assistant, tool, got "bot"/,
      ],
      [
        "a blank content",
        [user, { role: "user", content: "  " }],
        undefined,
        TypeError,
        /"messages\[1\]\.content" must be a non-empty string, got " {2}" \(blank\)/,
      ],
      [
        "no content",
        [{ role: "user" }],
        undefined,
        TypeError,
        /"messages\[0\]\.content" must be a non-empty string, got undefined/,
      ],
      [
        "no content parts",
        [{ role: "user", content: [] }],
        undefined,
        TypeError,
        /"messages\[0\]\.content" must be a non-empty string or a non-empty list of parts, got an array of 0/,
      ],
      [
        "an audio part",
        [{ role: "user", content: [{ type: "audio" }] }],
        undefined,
        RangeError,
        /"messages\[0\]\.content\[0\]\.type" must be one of text, image_url, got "audio"/,
      ],
      [
        "an image part without a URL",
        [{ role: "user", content: [{ type: "image_url", image_url: {} }] }],
        undefined,
        TypeError,
        /"messages\[0\]\.content\[0\]\.image_url\.url" must be a non-empty string/,
      ],
      [
        "a misspelt field",
        [{ role: "user", content: "hi", contnet: "x" }],
        undefined,
        TypeError,
        /"messages\[0\]" has no parameter "contnet"/,
      ],
      [
        "tool calls on a user message",
        [{ role: "user", content: "hi", tool_calls: [] }],
        undefined,
        TypeError,
        /"messages\[0\]\.tool_calls" must be a list on an assistant message/,
      ],
      [
        "max_new_tokens, text generation's name",
        [user],
        { parameters: { max_new_tokens: 5 } as never },
        TypeError,
        /"parameters.max_new_tokens" is not a parameter of chat-completion; did you mean "max_tokens"\?/,
      ],
      [
        "max_tokens 0",
        [user],
        { parameters: { max_tokens: 0 } },
        RangeError,
        /"parameters\.max_tokens" must be a whole number of at least 1, got 0/,
      ],
      [
        "temperature 3",
        [user],
        { parameters: { temperature: 3 } },
        RangeError,
        /"parameters\.temperature" must be a number from 0 to 2, got 3/,
      ],
      [
        "top_p -0.1",
        [user],
        { parameters: { top_p: -0.1 } },
        RangeError,
        /"parameters\.top_p" must be a number from 0 to 1, got -0\.1/,
      ],
      [
        "seed 1.5",
        [user],
        { parameters: { seed: 1.5 } },
        RangeError,
        /"parameters\.seed" must be a whole number of at least 0, got 1\.5/,
      ],
      [
        "stop as one string",
        [user],
        { parameters: { stop: "END" as never } },
        TypeError,
        /"parameters\.stop" must list 1 to 4 non-empty strings, got a string/,
      ],
      [
        "five stop strings",
        [user],
        { parameters: { stop: ["a", "b", "c", "d", "e"] } },
        RangeError,
        /"parameters\.stop" must list 1 to 4 non-empty strings, got an array of 5/,
      ],
      [
        "top_logprobs without logprobs",
        [user],
        { parameters: { top_logprobs: 3 } },
        TypeError,
        /"parameters" must set "logprobs": true to ask for "top_logprobs"/,
      ],
      [
        "a yaml response_format",
        [user],
        { parameters: { response_format: { type: "yaml" } as never } },
        RangeError,
        /"parameters\.response_format\.type" must be one of text, json_schema, json_object, got "yaml"/,
      ],
      [
        "json_schema without a schema",
        [user],
        { parameters: { response_format: { type: "json_schema" } as never } },
        TypeError,
        /"parameters\.response_format\.json_schema" must be an object, got nothing/,
      ],
      [
        "a tool without a function",
        [user],
        { parameters: { tools: [{ type: "function" }] as never } },
        TypeError,
        /"parameters\.tools\[0\]\.function" must be an object, got nothing/,
      ],
      [
        "an unknown tool_choice",
        [user],
        { parameters: { tool_choice: "always" as never } },
        RangeError,
        /"parameters\.tool_choice" must be one of auto, none, required or an object, got "always"/,
      ],
      [
        "a model id with spaces",
        [user],
        { model: "not a model" },
        TypeError,
        /"model" must be a model id like "owner\/name", got "not a model"/,
      ],
    ],
  });
  // stream_options belongs to the stream: a whole answer refuses it, the stream checks it.
  const network = countingFetch(() => Response.json(chatAnswer("must not be asked")));
  const base = { ...LIVE, fetch: network.fetch };
  await assert.rejects(
    chatCompletion([user as ChatMessage], {
      ...base,
      parameters: { stream_options: { include_usage: true } } as never,
    }),
    {
      name: "TypeError",
      message: /^Cannot chat: "parameters.stream_options" is not a parameter of chat-completion/,
    },
  );
  assert.throws(
    () =>
      chatCompletionStream([user as ChatMessage], {
        ...base,
        parameters: { stream_options: { include_usage: "yes" as never } },
      }),
    /"parameters\.stream_options\.include_usage" must be true or false/,
  );
  // Valid shapes pass: parts, an assistant tool call without content, a tool answer.
  await chatCompletion([
    {
      role: "user",
      content: [{ type: "text", text: "What is in this image?" }, {
        type: "image_url",
        image_url: { url: "https://example.com/cat.png" },
      }],
    },
    {
      role: "assistant",
      tool_calls: [{ id: "0", type: "function", function: { name: "look", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "0", content: "a cat" },
  ], {
    ...base,
    parameters: {
      tools: [{ type: "function", function: { name: "look" } }],
      tool_choice: "auto",
      response_format: { type: "json_object" },
    },
  });
  assert.equal(network.calls.length, 1, "only the valid call was sent");
});
