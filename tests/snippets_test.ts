/**
 * Snippets: curl / Python / JavaScript rendered from the request the
 * workbook really sends, for three tasks; with the router URL, the payload,
 * `$HF_TOKEN` placeholders and never a token.
 *
 * @module
 */

import assert from "node:assert/strict";
import { snippets as librarySnippets } from "@huggingface/inference";
import { type InferenceSnippets, inferenceSnippets } from "../lib/snippets.ts";
import { summarization } from "../lib/tasks/summarization.ts";
import { zeroShotClassification } from "../lib/tasks/zero_shot_classification.ts";
import { featureExtraction } from "../lib/tasks/feature_extraction.ts";
import { imageClassification } from "../lib/tasks/image_classification.ts";
import { main } from "../lib/cli/main.ts";
import type { CliIo } from "../lib/cli/io.ts";
import { CLEAN_ENV, countingFetch, FAKE_TOKEN, ROOT, uniqueModel, withEnv } from "./_helpers.ts";

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
