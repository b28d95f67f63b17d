/**
 * Snippets: curl / Python / JavaScript rendered from the request the
 * workbook really sends, for three tasks; with the router URL, the payload,
 * `$HF_TOKEN` placeholders and never a token.
 *
 * @module
 */

import assert from "node:assert/strict";
import { relative } from "node:path";
import * as library from "@huggingface/inference";
import { InferenceClient, snippets as librarySnippets } from "@huggingface/inference";
import { type InferenceSnippets, inferenceSnippets } from "../lib/snippets.ts";
import { summarization } from "../lib/tasks/summarization.ts";
import { zeroShotClassification } from "../lib/tasks/zero_shot_classification.ts";
import { featureExtraction } from "../lib/tasks/feature_extraction.ts";
import { imageClassification } from "../lib/tasks/image_classification.ts";
import { main } from "../lib/cli/main.ts";
import type { CliIo } from "../lib/cli/io.ts";
import { findTask, TASKS } from "../lib/cli/tasks.ts";
import { mappingAnswer, providerOnly } from "./_reference_tasks.ts";
import {
  CLEAN_ENV,
  countingFetch,
  FAKE_TOKEN,
  ROOT,
  type SeenCall,
  uniqueModel,
  withEnv,
} from "./_helpers.ts";

const TEXT = "It's a sunny day in Taipei, 今天的天氣很好";

/** The JSON body of a curl snippet (`-d '...'`), parsed. */
function curlBody(curl: string): unknown {
  const quoted = /-d '([\s\S]*)'(?: \\|$)/.exec(curl)?.[1];
  assert.ok(quoted, `no -d in ${curl}`);
  return JSON.parse(quoted.replaceAll(`'\\''`, "'"));
}

/** What the workbook sends for the same call, caught at the network edge. */
async function sentBody(
  task: string,
  call: (edge: typeof fetch) => Promise<unknown>,
): Promise<{ url: string; body: unknown }> {
  const network = countingFetch((c) =>
    c.url.includes("/api/models/")
      ? Response.json({
        inferenceProviderMapping: {
          "hf-inference": { status: "live", providerId: new URL(c.url).pathname.slice(12), task },
        },
      })
      : Response.json({ error: "stop here" }, { status: 400 })
  );
  await call(network.fetch).catch(() => {});
  const post = network.calls.find((c) => c.method === "POST")!;
  return { url: post.url, body: JSON.parse(post.body) };
}

function assertNoToken(snippets: InferenceSnippets) {
  for (const code of [snippets.curl, snippets.python, snippets.javascript, snippets.huggingfaceJs ?? ""]) {
    assert.ok(!code.includes(FAKE_TOKEN), "a snippet holds the token");
    assert.ok(!/hf_[A-Za-z0-9]{30,}/.test(code), "a snippet holds a token-shaped string");
    assert.ok(!code.includes("placeholder"), "a snippet kept the capture's placeholder token");
  }
  assert.match(snippets.curl, /-H "Authorization: Bearer \$HF_TOKEN"/);
  assert.match(snippets.python, /"Authorization": f"Bearer \{os\.environ\['HF_TOKEN'\]\}"/);
  assert.match(snippets.javascript, /Authorization: `Bearer \$\{process\.env\.HF_TOKEN\}`/);
}

Deno.test("inferenceSnippets() renders summarization with its parameters as the workbook sends it", async () => {
  const parameters = {
    generate_parameters: { max_new_tokens: 60, do_sample: false },
    truncation: "only_first" as const,
  };
  const snippets = await withEnv(
    { ...CLEAN_ENV, HF_TOKEN: FAKE_TOKEN },
    () => inferenceSnippets(summarization, TEXT, { parameters, hubTask: "summarization" }),
  );
  const url = "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum";
  assert.match(snippets.curl, new RegExp(`^curl ${url.replaceAll(".", "\\.")} \\\\`));
  assert.match(snippets.python, new RegExp(`API_URL = "${url.replaceAll(".", "\\.")}"`));
  assert.match(
    snippets.python,
    /def query\(payload\):\n {4}response = requests\.post\(API_URL, headers=headers, json=payload\)\n {4}return response\.json\(\)/,
  );
  assert.match(snippets.python, /"do_sample": False,/);
  assert.match(
    snippets.javascript,
    /await fetch\("https:\/\/router\.huggingface\.co\/hf-inference\/models\/csebuetnlp/,
  );
  assert.match(
    snippets.huggingfaceJs ?? "",
    /client\.summarization\(\{\n {2}model: "csebuetnlp\/mT5_multilingual_XLSum",\n {2}provider: "hf-inference",/,
  );
  assertNoToken(snippets);
  const sent = await sentBody(
    "summarization",
    (fetch) =>
      summarization(TEXT, {
        parameters,
        mode: "live",
        accessToken: "hf_test",
        fetch,
        model: uniqueModel("s"),
      }),
  );
  assert.deepEqual(curlBody(snippets.curl), { ...sent.body as object });
  assert.deepEqual(snippets.request.body, sent.body);
});

Deno.test("inferenceSnippets() keeps zero-shot's own candidate labels (the library's snippet has its examples)", async () => {
  const parameters = { candidate_labels: ["weather", "politics"], multi_label: true };
  const snippets = await inferenceSnippets(zeroShotClassification, TEXT, {
    parameters,
    hubTask: "zero-shot-classification",
  });
  assert.match(snippets.curl, /router\.huggingface\.co\/hf-inference\/models\/facebook\/bart-large-mnli/);
  const body = curlBody(snippets.curl) as { inputs: string; parameters: typeof parameters };
  assert.equal(body.inputs, TEXT);
  assert.deepEqual(body.parameters, parameters);
  assert.match(
    snippets.python,
    /"candidate_labels": \[\n\s+"weather",\n\s+"politics",\n\s+\],\n\s+"multi_label": True,/,
  );
  assert.match(snippets.javascript, /candidate_labels: \[\n\s+"weather",/);
  assertNoToken(snippets);
});

Deno.test("inferenceSnippets() uses the pipeline route for feature extraction", async () => {
  const snippets = await inferenceSnippets(featureExtraction, "today is sunny", {
    hubTask: "feature-extraction",
  });
  assert.match(
    snippets.curl,
    /^curl https:\/\/router\.huggingface\.co\/hf-inference\/models\/sentence-transformers\/all-MiniLM-L6-v2\/pipeline\/feature-extraction/,
  );
  assert.deepEqual((curlBody(snippets.curl) as { inputs: unknown }).inputs, "today is sunny");
  assert.match(snippets.huggingfaceJs ?? "", /client\.featureExtraction\(/);
  assertNoToken(snippets);
});

Deno.test("inferenceSnippets() sends an image as bytes from its file, in every language", async () => {
  const path = "notebooks/assets/apple_on_window.png";
  const snippets = await withEnv(
    { ...CLEAN_ENV },
    () =>
      inferenceSnippets(imageClassification, `${ROOT}/${path}`, {
        hubTask: "image-classification",
        inputPath: path,
      }),
  );
  assert.match(
    snippets.curl,
    /-H 'Content-Type: image\/png' \\\n {4}--data-binary @notebooks\/assets\/apple_on_window\.png/,
  );
  assert.match(
    snippets.python,
    /def query\(filename\):[\s\S]*data=data\)[\s\S]*output = query\("notebooks\/assets\/apple_on_window\.png"\)/,
  );
  assert.match(
    snippets.javascript,
    /const data = await readFile\("notebooks\/assets\/apple_on_window\.png"\);[\s\S]*body: data,/,
  );
  assert.match(
    snippets.huggingfaceJs ?? "",
    /inputs: new Blob\(\[await readFile\("notebooks\/assets\/apple_on_window\.png"\)\], \{ type: "image\/png" \}\),/,
  );
  assertNoToken(snippets);
});

Deno.test("inferenceSnippets() agrees with @huggingface/inference's own snippet on the URL and the body", async () => {
  const model = "csebuetnlp/mT5_multilingual_XLSum";
  const ours = await inferenceSnippets(summarization, TEXT, { model, hubTask: "summarization" });
  const theirs = librarySnippets.getInferenceSnippets(
    { id: model, pipeline_tag: "summarization", tags: [], inference: "" } as never,
    "hf-inference",
    {
      hfModelId: model,
      providerId: model,
      status: "live",
      task: "summarization",
      provider: "hf-inference",
    } as never,
    { inputs: TEXT },
  );
  const curl = theirs.find((s) => s.client === "curl")!.content;
  assert.equal(curl.split(" \\\n")[0], ours.curl.split(" \\\n")[0], "the URL line differs");
  assert.deepEqual(curlBody(curl), curlBody(ours.curl));
  assert.match(curl, /"Authorization: Bearer \$HF_TOKEN"/);
});

Deno.test("hf snippet prints the three languages, or one with --lang, and never the token", async () => {
  const out: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
    readStdin: () => Promise.resolve(new Uint8Array()),
    stdin: () => new ReadableStream(),
    writeErr: () => {},
    errIsTerminal: false,
    color: false,
  };
  const code = await withEnv(
    { ...CLEAN_ENV, HF_TOKEN: FAKE_TOKEN },
    () => main(["snippet", "summarization", TEXT, "--param", "generate_parameters.max_new_tokens=40"], io),
  );
  assert.equal(code, 0, out.join("\n"));
  const text = out.join("\n");
  for (
    const title of [
      "# curl",
      "# Python (requests)",
      "// JavaScript (fetch)",
      "// JavaScript (@huggingface/inference)",
    ]
  ) {
    assert.ok(text.includes(title), title);
  }
  assert.match(text, /"max_new_tokens": 40/);
  assert.ok(!text.includes(FAKE_TOKEN));
  out.length = 0;
  assert.equal(
    await withEnv(
      CLEAN_ENV,
      () => main(["snippet", "translation", "這是一個很困難的問題", "--lang", "python"], io),
    ),
    0,
  );
  assert.match(out.join("\n"), /^# Python/);
  assert.ok(!out.join("\n").includes("curl"));
  assert.match(out.join("\n"), /Helsinki-NLP\/opus-mt-zh-en/);
});

// ---------------------------------------------------------------------------------------------------------
// The @huggingface/inference snippet, run: the rendered code is executed with the real library, its network
// edge caught, and must send the very request the workbook sends.

/** A request as it left, for comparing: JSON parsed, bytes as bytes. */
interface Sent {
  method: string;
  url: string;
  contentType: string | null;
  json?: unknown;
  bytes?: Uint8Array;
}

async function sent(call: SeenCall, request?: Request): Promise<Sent> {
  const contentType = call.headers.get("content-type");
  const bytes = request ? new Uint8Array(await request.arrayBuffer()) : new TextEncoder().encode(call.body);
  return {
    method: call.method,
    url: call.url,
    contentType,
    ...(contentType?.includes("json") ? { json: JSON.parse(new TextDecoder().decode(bytes)) } : { bytes }),
  };
}

/** A network edge: mapping look-ups answer hf-inference for `hubTask`, the first POST is kept and refused. */
function catchingEdge(hubTask: string, answer?: () => Response) {
  const posts: Sent[] = [];
  const edge = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.method === "GET" && request.url.startsWith("https://huggingface.co/api/models/")) {
      return mappingAnswer(request.url, hubTask);
    }
    posts.push(
      await sent(
        { method: request.method, url: request.url, headers: request.headers, body: "" },
        request,
      ),
    );
    return answer?.() ?? Response.json({ error: "caught by the test" }, { status: 400 });
  };
  return { edge: edge as typeof fetch, posts };
}

/** What running a rendered `@huggingface/inference` snippet did. */
interface SnippetRun {
  /** The client's method calls and their first argument. */
  calls: { method: string; args: Record<string, unknown> }[];
  /** The requests it sent. */
  posts: Sent[];
  /** The files it wrote. */
  written: [string, Uint8Array][];
}

/**
 * Run a rendered `@huggingface/inference` snippet: its imports are checked and replaced by the real
 * `InferenceClient` (on a catching edge, its calls recorded), `readFile` (paths from the project's root) and
 * a `writeFile` that records.
 */
async function runLibrarySnippet(
  code: string,
  hubTask: string,
  answer?: () => Response,
): Promise<SnippetRun> {
  const lines = code.split("\n");
  const imports = lines.filter((line) => line.startsWith("import "));
  assert.equal(imports[0], 'import { InferenceClient } from "@huggingface/inference";');
  for (const line of imports.slice(1)) {
    assert.match(line, /^import \{ (readFile|writeFile|readFile, writeFile) \} from "node:fs\/promises";$/);
  }
  const { edge, posts } = catchingEdge(hubTask, answer);
  const calls: SnippetRun["calls"] = [];
  const written: SnippetRun["written"] = [];
  const Client = function (token: string) {
    const real = new InferenceClient(token, { fetch: edge });
    return new Proxy({}, {
      get(_target, name) {
        const value = Reflect.get(real, name);
        if (typeof value !== "function") return value;
        return (args: Record<string, unknown>, options?: unknown) => {
          calls.push({ method: String(name), args });
          return value(args, options);
        };
      },
    });
  };
  const readFile = (path: string) => Deno.readFile(path.startsWith("/") ? path : `${ROOT}/${path}`);
  const writeFile = (path: string, bytes: Uint8Array) => {
    written.push([path, bytes]);
    return Promise.resolve();
  };
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (
    ...values: unknown[]
  ) => Promise<void>;
  const body = lines.filter((line) => !line.startsWith("import ")).join("\n");
  const run = new AsyncFunction("InferenceClient", "readFile", "writeFile", "process", "console", body);
  await run(Client, readFile, writeFile, { env: { HF_TOKEN: "hf_test" } }, { log: () => {} }).catch(() => {});
  return { calls, posts, written };
}

/** Run the command line with a catching edge; returns the exit code, stdout and the requests sent. */
async function cli(
  args: string[],
  env: Record<string, string | undefined>,
  hubTask: string,
): Promise<{ code: number; out: string; err: string; posts: Sent[] }> {
  const { edge, posts } = catchingEdge(hubTask);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: () => Promise.resolve(new Uint8Array()),
    stdin: () => new ReadableStream(),
    writeErr: () => {},
    errIsTerminal: false,
    color: false,
    fetch: edge,
  };
  const code = await withEnv({ ...CLEAN_ENV, ...env }, () => main(args, io));
  return { code, out: out.join("\n"), err: err.join("\n"), posts };
}

/** An example's words with the project's files made absolute (the tests may run from elsewhere). */
function fromRoot(words: readonly string[]): string[] {
  return words.map((word) => word.startsWith("notebooks/assets/") ? `${ROOT}/${word}` : word);
}

/** The snippets `hf snippet <args> --json` prints. */
async function snippetJson(
  args: string[],
  hubTask: string,
  env: Record<string, string> = {},
): Promise<InferenceSnippets> {
  const result = await cli(["snippet", ...args, "--json"], env, hubTask);
  assert.equal(result.code, 0, `hf snippet ${args.join(" ")}: ${result.err}`);
  return JSON.parse(result.out);
}

function assertSameRequest(got: Sent | undefined, expected: Sent | undefined, what: string) {
  assert.ok(expected, `${what}: the workbook sent nothing`);
  assert.ok(got, `${what}: the snippet sent nothing`);
  assert.equal(got.url, expected.url, `${what}: URL`);
  assert.equal(got.method, expected.method, `${what}: method`);
  assert.equal(got.contentType, expected.contentType, `${what}: Content-Type`);
  assert.deepEqual(got.json, expected.json, `${what}: JSON body`);
  assert.deepEqual(got.bytes, expected.bytes, `${what}: bytes`);
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

Deno.test("hf snippet: every task's @huggingface/inference call, run, sends the workbook's request in the method's argument shape", async () => {
  const scratch = await Deno.makeTempDir();
  for (const entry of TASKS) {
    const example = fromRoot(entry.example);
    const outputAt = example.indexOf("--output") + 1;
    const workbook = await cli(
      [entry.name, ...example.map((w, i) => i === outputAt && i > 0 ? `${scratch}/${w}` : w)],
      { HF_TOKEN: FAKE_TOKEN, HF_MODE: "live" },
      entry.hubTask,
    );
    assert.equal(workbook.posts.length, 1, `${entry.name}: ${workbook.err}`);
    // a task only providers serve is looked up in the model's mapping: here, the catching edge's
    const snippets = await snippetJson(
      [entry.name, ...example],
      entry.hubTask,
      providerOnly(entry.hubTask) ? { HF_TOKEN: FAKE_TOKEN, HF_MODE: "live" } : {},
    );
    const code = snippets.huggingfaceJs ?? "";
    assert.match(code, new RegExp(`client\\.${entry.method}\\(\\{`), `${entry.name}: no call\n${code}`);
    assert.ok(!code.includes(FAKE_TOKEN) && !code.includes("placeholder"), `${entry.name}: a token`);
    const run = await runLibrarySnippet(
      code,
      entry.hubTask,
      () => new Response(PNG, { headers: { "content-type": "image/png" } }),
    );
    assertSameRequest(run.posts[0], workbook.posts[0], entry.name);
    // The method's own argument shape, not the wire body.
    assert.equal(run.calls.length, 1, entry.name);
    const { args } = run.calls[0]!;
    const flat = entry.method === "chatCompletion" || entry.method === "featureExtraction";
    assert.ok(
      entry.method === "chatCompletion" ? "messages" in args : "inputs" in args,
      `${entry.name}: ${Object.keys(args)}`,
    );
    const params = example.flatMap((w, i) => example[i - 1] === "--param" ? [w.split(/[=.]/)[0]!] : []);
    if (flat) {
      for (const name of params) assert.ok(name in args, `${entry.name}: ${name} is an argument of its own`);
      assert.ok(!("parameters" in args), `${entry.name}: flat arguments`);
    } else if (params.length > 0) {
      assert.deepEqual(
        Object.keys(args.parameters as object).sort(),
        [...new Set(params)].sort(),
        entry.name,
      );
    } else {
      assert.ok(!("parameters" in args), `${entry.name}: parameters without --param`);
    }
    for (const wire of ["prompt", "max_tokens", "data"]) {
      if (entry.method !== "chatCompletion") assert.ok(!(wire in args), `${entry.name}: the wire's ${wire}`);
    }
    if (providerOnly(entry.hubTask)) {
      // the library polls a provider's queued job with the global fetch: the answer is not simulated here
      assert.match(snippets.javascript, /answers with its own JSON/, `${entry.name}: the fetch snippet`);
    } else if (entry.output === "image") {
      assert.deepEqual(run.written, [[example[outputAt], PNG]], `${entry.name}: the answer is not written`);
    } else {
      assert.deepEqual(run.written, [], entry.name);
    }
  }
  await Deno.remove(scratch, { recursive: true });
});

Deno.test("hf snippet: the Python huggingface_hub form beside requests, the call in its own argument shape", async () => {
  const lines: string[] = [];
  const io = {
    out: (l: string) => lines.push(l),
    err: () => {},
    readStdin: () => Promise.resolve(new Uint8Array()),
    stdin: () => new ReadableStream<Uint8Array>(),
    writeErr: () => {},
    errIsTerminal: false,
    color: false,
  };
  const { main } = await import("../lib/cli/main.ts");
  const code = await main(
    [
      "snippet",
      "translation",
      "這是一個很困難的問題",
      "--lang",
      "python",
      "--bill-to",
      "my-org",
      "--mode",
      "replay",
    ],
    io,
  );
  assert.equal(code, 0, lines.join("\n"));
  const text = lines.join("\n");
  assert.match(text, /^# Python \(requests\)/m);
  assert.match(
    text,
    /^# Python \(huggingface_hub\)\nimport os\nfrom huggingface_hub import InferenceClient$/m,
  );
  assert.match(
    text,
    /client = InferenceClient\(provider="hf-inference", api_key=os\.environ\["HF_TOKEN"\], bill_to="my-org"\)/,
  );
  assert.match(
    text,
    /output = client\.translation\(\n {4}"這是一個很困難的問題",\n {4}model="Helsinki-NLP\/opus-mt-zh-en",\n\)/,
  );
});

Deno.test("hf snippet text-generation shows textGeneration's arguments ({inputs, parameters}), not the /v1/completions body", async () => {
  const snippets = await snippetJson(
    [
      "text-generation",
      "Once upon a time",
      "--param",
      "max_new_tokens=40",
      "--param",
      "temperature=0.7",
      "--param",
      "seed=42",
    ],
    "text-generation",
  );
  assert.match(snippets.curl, /\/openai-community\/gpt2\/v1\/completions/);
  assert.match(snippets.curl, /"max_tokens": 40/, "the wire body keeps the route's names");
  assert.ok(
    snippets.huggingfaceJs?.includes(
      [
        "const output = await client.textGeneration({",
        '  model: "openai-community/gpt2",',
        '  provider: "hf-inference",',
        '  inputs: "Once upon a time",',
        "  parameters: {",
        "    max_new_tokens: 40,",
        "    temperature: 0.7,",
        "    seed: 42,",
        "  },",
        "});",
      ].join("\n"),
    ),
    snippets.huggingfaceJs,
  );
});

Deno.test("hf snippet chat-completion names the provider the call used: auto, the router's /v1/chat/completions", async () => {
  const snippets = await snippetJson(
    ["chat-completion", "你好", "--param", "max_tokens=20"],
    "conversational",
  );
  assert.match(snippets.curl, /^curl https:\/\/router\.huggingface\.co\/v1\/chat\/completions \\/);
  assert.match(snippets.huggingfaceJs ?? "", /\n {2}provider: "auto",\n/);
  assert.ok(!snippets.huggingfaceJs?.includes("hf-inference"), snippets.huggingfaceJs);
  const named = await snippetJson(
    ["chat-completion", "你好", "--provider", "hf-inference"],
    "conversational",
  );
  assert.match(named.curl, /hf-inference\/models\/meta-llama\/Llama-3\.1-8B-Instruct\/v1\/chat\/completions/);
  assert.match(named.huggingfaceJs ?? "", /\n {2}provider: "hf-inference",\n/);
});

/** The binary tasks, with a parameter each: what 4.13.30's method does with it. */
const BINARY_WITH_PARAMETERS: [task: string, asset: string, param: string, sendsThem: boolean][] = [
  ["image-classification", "apple_on_window.png", "top_k=3", false],
  ["object-detection", "apple_on_window.png", "threshold=0.9", false],
  ["automatic-speech-recognition", "apple_zh.wav", "return_timestamps=true", false],
  ["image-to-text", "apple_on_window.png", "max_new_tokens=20", false],
  ["image-segmentation", "apple_on_window.png", "threshold=0.5", true],
  ["zero-shot-image-classification", "apple_on_window.png", "candidate_labels=an apple,a cat", true],
];

Deno.test("hf snippet leaves out the @huggingface/inference call of a file with parameters when the library drops them", async () => {
  for (const [task, asset, param, sendsThem] of BINARY_WITH_PARAMETERS) {
    const entry = findTask(task)!;
    const path = `${ROOT}/notebooks/assets/${asset}`;
    const snippets = await snippetJson([task, path, "--param", param], entry.hubTask);
    const code = snippets.huggingfaceJs ?? "";
    // What the library really does with a Blob and parameters: raw bytes and no parameters, or JSON with both.
    const { edge, posts } = catchingEdge(entry.hubTask);
    const [key, value] = param.split("=") as [string, string];
    const parameters = { [key]: key === "candidate_labels" ? value.split(",") : JSON.parse(value) };
    const method = (library as unknown as Record<string, (a: unknown, o: unknown) => Promise<unknown>>)[
      entry.method
    ]!;
    await method({
      model: uniqueModel(task),
      provider: "hf-inference",
      accessToken: "hf_test",
      inputs: new Blob([await Deno.readFile(path)]),
      parameters,
    }, { fetch: edge }).catch(() => {});
    assert.equal(posts[0]?.json !== undefined, sendsThem, `${task}: the library changed; update this table`);
    if (sendsThem) {
      assert.match(code, new RegExp(`client\\.${entry.method}\\(`), task);
      assert.match(code, /parameters: \{/, task);
      const run = await runLibrarySnippet(code, entry.hubTask);
      assert.deepEqual(run.posts[0]?.json, snippets.request.body, `${task}: the call does not send them`);
    } else {
      assert.equal(code.split("\n").length, 1, `${task}: one line, not a call:\n${code}`);
      assert.match(
        code,
        new RegExp(
          `^// Not shown: @huggingface/inference's ${entry.method}\\(\\) sends the file as raw bytes and drops "parameters"; the fetch snippet above sends them$`,
        ),
      );
      assert.match(snippets.javascript, /parameters: \{/, `${task}: the fetch snippet sends them`);
    }
  }
});

Deno.test("hf snippet zero-shot-image-classification reads the picture from its path in every language, never pasted", async () => {
  const picture = await Deno.readFile(`${ROOT}/notebooks/assets/apple_on_window.png`);
  const base64Start = btoa(String.fromCharCode(...picture.subarray(0, 30))).slice(0, 24);
  // The path as given on the command line, relative to the working directory.
  const path = relative(Deno.cwd(), `${ROOT}/notebooks/assets/apple_on_window.png`);
  const code = await snippetJson(
    ["zero-shot-image-classification", path, "--param", "candidate_labels=an apple,a cat"],
    "zero-shot-image-classification",
  );
  for (const [name, text] of Object.entries(code).filter(([name]) => name !== "request")) {
    assert.ok(!String(text).includes(base64Start), `${name} pastes the picture`);
    assert.ok(String(text).length < 1500, `${name} is ${String(text).length} characters`);
    assert.ok(String(text).includes(path), `${name} does not read ${path}`);
  }
  const quoted = path.replaceAll(".", "\\.").replaceAll("/", "\\/");
  assert.match(code.curl, new RegExp(`"image": "'"\\$\\(base64 -w0 ${quoted}\\)"'"`));
  assert.match(code.python, /"image": base64\.b64encode\(data\)\.decode\(\),/);
  assert.match(code.javascript, /image: data\.toString\("base64"\),/);
  assert.match(
    code.huggingfaceJs ?? "",
    new RegExp(`inputs: new Blob\\(\\[await readFile\\("${quoted}"\\)\\], \\{ type: "image\\/png" \\}\\),`),
  );
});

Deno.test("hf snippet text-to-image writes the picture to --output in @huggingface/inference too", async () => {
  const snippets = await snippetJson(
    ["text-to-image", "An apple on the window.", "--output", "apple.png"],
    "text-to-image",
  );
  assert.match(snippets.javascript, /await writeFile\("apple\.png", /);
  assert.match(snippets.python, /with open\("apple\.png", "wb"\) as f:/);
  assert.match(snippets.curl, /-o apple\.png$/);
  const code = snippets.huggingfaceJs ?? "";
  assert.match(code, /^import \{ writeFile \} from "node:fs\/promises";$/m);
  assert.match(code, /\nawait writeFile\("apple\.png", new Uint8Array\(await output\.arrayBuffer\(\)\)\);$/);
  assert.ok(!code.includes("console.log"), code);
});

Deno.test("hf snippet: a clip or a sound is saved under its own kind of name, as bytes in Python, and a provider's plain request prints its JSON", async () => {
  const live = { HF_TOKEN: FAKE_TOKEN, HF_MODE: "live" };
  const video = await snippetJson(["text-to-video", "A red apple"], "text-to-video", live);
  assert.match(video.huggingfaceJs ?? "", /await writeFile\("output\.mp4", /);
  assert.match(video.huggingfaceHub ?? "", /with open\("output\.mp4", "wb"\) as f:\n {4}f\.write\(output\)/);
  assert.doesNotMatch(video.javascript, /writeFile|arrayBuffer/, "the queue's JSON is no video");
  assert.match(
    video.javascript,
    /^\/\/ fal-ai answers with its own JSON .*\n.*\n[^]*console\.log\(output\);$/,
  );
  assert.match(video.python, /^# fal-ai answers with its own JSON/);
  assert.match(video.curl, /^# fal-ai answers with its own JSON/);
  const speech = await snippetJson(["text-to-speech", "An apple."], "text-to-speech");
  assert.match(speech.huggingfaceHub ?? "", /with open\("output\.wav", "wb"\)/);
  assert.doesNotMatch(
    speech.javascript,
    /answers with its own JSON/,
    "HF Inference answers the sound itself",
  );
  const picture = await snippetJson(["text-to-image", "An apple."], "text-to-image");
  assert.match(picture.huggingfaceHub ?? "", /output\.save\("output\.png"\) {2}# a PIL image/);
});

Deno.test("hf snippet: a question about a document reads the image file in every form, and the library call sends the same request", async () => {
  const invoice = `${ROOT}/notebooks/assets/upstream/invoice.png`;
  const snippets = await snippetJson(
    ["document-question-answering", JSON.stringify({ image: invoice, question: "Invoice number?" })],
    "document-question-answering",
  );
  assert.match(snippets.curl, new RegExp(`base64 -w0 ${invoice}`));
  assert.ok(snippets.huggingfaceHub?.includes(`    image="${invoice}",\n`), snippets.huggingfaceHub);
  assert.ok(snippets.huggingfaceHub?.includes(`    question="Invoice number?",\n`), snippets.huggingfaceHub);
  assert.match(
    snippets.huggingfaceJs ?? "",
    /image: new Blob\(\[await readFile\(".*invoice\.png"\)\], \{ type: "image\/png" \}\)/,
  );
  const run = await runLibrarySnippet(snippets.huggingfaceJs ?? "", "document-question-answering");
  assert.deepEqual(run.posts[0]?.json, snippets.request.body);
});

Deno.test("hf snippet of a task only providers serve, for a model whose mapping is not recorded, says so in replay", async () => {
  const result = await cli(
    ["snippet", "text-to-video", "--model", "someone/unrecorded-video", "A red apple"],
    {},
    "text-to-video",
  );
  assert.equal(result.code, 1, result.err);
  assert.match(
    result.err,
    /^error: Request not recorded: GET https:\/\/huggingface\.co\/api\/models\/someone\/unrecorded-video/m,
  );
  assert.doesNotMatch(result.err, /Cannot reach|connection/);
});
