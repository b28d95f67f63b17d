/**
 * recordings/: every committed file is well formed, says where each answer
 * came from, holds no secret, and every recorded request is found again by
 * replay (the key round-trips); and the store's own rules.
 */
import assert from "node:assert/strict";
import { HfApiError, HfOutputError, ReplayMissError } from "../lib/errors.ts";
import { createTransport } from "../lib/transport/fetch.ts";
import {
  type Interaction,
  keyOfInteraction,
  type RecordingFile,
  RecordingStore,
  requestKey,
  stableStringify,
} from "../lib/transport/recordings.ts";
import { provenanceLabel, provenanceOf } from "../lib/provenance.ts";
import { assetByDigest, base64Bytes, modelOf } from "./_recorded.ts";
import { query, type QueryPayload } from "../lib/query.ts";
import { audioClassification } from "../lib/tasks/audio_classification.ts";
import { automaticSpeechRecognition } from "../lib/tasks/automatic_speech_recognition.ts";
import { chatCompletion, chatCompletionStream, type ChatMessage } from "../lib/tasks/chat_completion.ts";
import { documentQuestionAnswering } from "../lib/tasks/document_question_answering.ts";
import { featureExtraction } from "../lib/tasks/feature_extraction.ts";
import { fillMask } from "../lib/tasks/fill_mask.ts";
import { imageClassification } from "../lib/tasks/image_classification.ts";
import { imageSegmentation } from "../lib/tasks/image_segmentation.ts";
import { imageToText } from "../lib/tasks/image_to_text.ts";
import { objectDetection } from "../lib/tasks/object_detection.ts";
import { questionAnswering } from "../lib/tasks/question_answering.ts";
import { sentenceSimilarity } from "../lib/tasks/sentence_similarity.ts";
import { summarization } from "../lib/tasks/summarization.ts";
import { tableQuestionAnswering } from "../lib/tasks/table_question_answering.ts";
import { tabularClassification } from "../lib/tasks/tabular_classification.ts";
import { tabularRegression } from "../lib/tasks/tabular_regression.ts";
import { textClassification } from "../lib/tasks/text_classification.ts";
import { textToImage } from "../lib/tasks/text_to_image.ts";
import { tokenClassification } from "../lib/tasks/token_classification.ts";
import { translation } from "../lib/tasks/translation.ts";
import { visualQuestionAnswering } from "../lib/tasks/visual_question_answering.ts";
import { zeroShotClassification } from "../lib/tasks/zero_shot_classification.ts";
import { zeroShotImageClassification } from "../lib/tasks/zero_shot_image_classification.ts";
import {
  CLEAN_ENV,
  countingFetch,
  HAS_REFERENCE,
  RECORDINGS,
  type ReferenceInteraction,
  referenceInteractions,
  tempDir,
  withEnv,
} from "./_helpers.ts";

/** The client test suites whose tapes an `upstream` origin may name. */
const UPSTREAM_REPOSITORIES = ["huggingface/huggingface.js", "huggingface/huggingface_hub"];

const PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const PUBLISHED =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";

async function committedFiles(): Promise<[string, RecordingFile, string][]> {
  const out: [string, RecordingFile, string][] = [];
  for await (const entry of Deno.readDir(RECORDINGS)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const text = await Deno.readTextFile(`${RECORDINGS}/${entry.name}`);
    out.push([entry.name, JSON.parse(text) as RecordingFile, text]);
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

Deno.test("every recordings file is well formed and every interaction says where it came from", async () => {
  const files = await committedFiles();
  assert.ok(files.some(([name]) => name === "summarization.json"));
  for (const [name, file] of files) {
    assert.equal(`${file.task}.json`, name, `${name}: "task" names the file`);
    assert.ok(typeof file.description === "string" && file.description.length > 10, `${name}: a description`);
    assert.ok(Array.isArray(file.interactions) && file.interactions.length > 0, name);
    const keys = new Set<string>();
    for (const [n, i] of file.interactions.entries()) {
      const where = `${name} #${n}`;
      const o = i.origin;
      assert.ok(
        o && ["recorded", "published", "upstream", "authored"].includes(o.kind),
        `${where}: origin.kind`,
      );
      if (o.kind === "recorded") assert.match(o.date, /^\d{4}-\d{2}-\d{2}$/, where);
      if (o.kind === "upstream") {
        assert.ok(
          UPSTREAM_REPOSITORIES.includes(o.repository),
          `${where}: upstream repository ${o.repository}`,
        );
        assert.match(o.commit, /^[0-9a-f]{40}$/, `${where}: upstream commit`);
        assert.match(o.date, /^20\d{2}-\d{2}-\d{2}$/, `${where}: upstream date`);
        assert.ok(!Number.isNaN(Date.parse(o.date)), `${where}: upstream date`);
      }
      if (o.kind === "published") assert.ok(o.source.length > 0, `${where}: published needs a source`);
      if (o.kind === "authored") assert.ok(o.after.length > 0, `${where}: authored needs "after"`);
      assert.match(i.request.method, /^(GET|POST|PUT)$/, where);
      assert.doesNotThrow(() => new URL(i.request.url), where);
      assert.ok(Number.isInteger(i.response.status), where);
      const bodies = ["json", "text", "file"].filter((k) => k in i.response);
      assert.ok(bodies.length <= 1, `${where}: one response body, got ${bodies}`);
      if (i.response.file !== undefined) {
        assert.ok(!i.response.file.includes("/"), `${where}: a sibling file`);
        assert.ok(
          (await Deno.stat(`${RECORDINGS}/${i.response.file}`)).isFile,
          `${where}: ${i.response.file}`,
        );
      }
      if (i.request.bodyKind === "binary") {
        assert.match(i.request.bodyDigest ?? "", /^sha256:[0-9a-f]{64}$/, where);
      }
      const key = await keyOfInteraction(i);
      assert.ok(!keys.has(key), `${where}: the same request twice in one file`);
      keys.add(key);
    }
  }
});

Deno.test("every hf-inference task call in a recording comes with its model's mapping look-up", async () => {
  for (const [name, file] of await committedFiles()) {
    const looked = new Set(
      file.interactions.filter((i) => i.request.method === "GET")
        .map((i) => /\/api\/models\/([^?]+)\?expand\[\]=inferenceProviderMapping$/.exec(i.request.url)?.[1]),
    );
    for (const i of file.interactions) {
      const model = /^https:\/\/router\.huggingface\.co\/hf-inference\/models\/([^/]+(?:\/[^/]+)?)/.exec(
        i.request.url,
      )?.[1];
      if (i.request.method !== "POST" || !model) continue;
      assert.ok(looked.has(model), `${name}: ${model} is called but its mapping look-up is not recorded`);
    }
  }
});

Deno.test("no recording holds a token, an Authorization value or a cookie", async () => {
  for await (const entry of Deno.readDir(RECORDINGS)) {
    if (!entry.isFile) continue;
    const bytes = await Deno.readFile(`${RECORDINGS}/${entry.name}`);
    const text = new TextDecoder().decode(bytes);
    assert.ok(!/hf_[A-Za-z0-9]{30,}/.test(text), `${entry.name} holds a token`);
    if (entry.name.endsWith(".json")) {
      assert.ok(
        !/"(authorization|cookie|set-cookie|x-hf-bill-to)"\s*:/i.test(text),
        `${entry.name} keeps a secret header`,
      );
      assert.ok(!/Bearer [A-Za-z0-9_]/.test(text), `${entry.name} holds a Bearer value`);
    }
  }
});

Deno.test("replay finds every recorded request again from its recorded form (keys round-trip)", async () => {
  const net = countingFetch();
  const replay = createTransport({ mode: "replay", recordingsDir: RECORDINGS, fetch: net.fetch });
  const seen = new Set<string>();
  let checked = 0;
  for (const [name, file] of await committedFiles()) {
    for (const i of file.interactions) {
      if (i.request.bodyKind === "binary") continue; // the bytes are not stored, only their digest
      const key = await keyOfInteraction(i);
      const first = !seen.has(key); // a request in two files is answered from the first
      seen.add(key);
      const r = i.request;
      const body = r.body === undefined
        ? undefined
        : r.bodyKind === "text"
        ? String(r.body)
        : JSON.stringify(r.body);
      const where = `${name}: ${r.method} ${r.url}`;
      let status: number;
      try {
        const response = await replay(r.url, { method: r.method, ...(body !== undefined ? { body } : {}) });
        status = response.status;
        await response.body?.cancel();
      } catch (error) {
        if (error instanceof ReplayMissError) assert.fail(`${where} is not found again`);
        if (error instanceof HfApiError) status = error.status;
        else if (error instanceof HfOutputError) status = 200;
        else throw error;
      }
      if (first) assert.equal(status, i.response.status, where);
      checked++;
    }
  }
  assert.ok(checked > 0);
  assert.equal(net.calls.length, 0);
});

Deno.test("the summarization recording holds the article's exact input and its published output", async () => {
  const file = JSON.parse(await Deno.readTextFile(`${RECORDINGS}/summarization.json`)) as RecordingFile;
  const call = file.interactions.find((i) =>
    i.request.url === "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum"
  ) as Interaction;
  assert.deepEqual(call.request.body, { inputs: PARAGRAPH });
  assert.deepEqual(call.response.json, [{ summary_text: PUBLISHED }]);
  assert.equal(call.origin.kind, "published");
  const lookup = file.interactions.find((i) => i.request.method === "GET");
  assert.equal(
    (lookup?.response.json as { inferenceProviderMapping: Record<string, { task: string }> })
      .inferenceProviderMapping["hf-inference"]?.task,
    "summarization",
  );
});

Deno.test("RecordingStore: a task name that is not a file name is refused; a file without interactions is named", async () => {
  await using tmp = await tempDir();
  const store = new RecordingStore(tmp.dir);
  const request = { method: "GET", url: "https://huggingface.co/x", body: new Uint8Array() };
  for (const task of ["../escape", "a/b", "Upper", ""]) {
    await assert.rejects(
      store.save(task, request, { kind: "none", canonical: "" }, {
        status: 200,
        headers: new Headers(),
        body: new Uint8Array(),
      }, { kind: "authored", after: "a test" }),
      (e) => e instanceof TypeError && e.message.includes("is not a file name"),
    );
  }
  assert.deepEqual([...Deno.readDirSync(tmp.dir)], []);

  await using broken = await tempDir();
  await Deno.writeTextFile(`${broken.dir}/bad.json`, '{"task":"bad"}');
  await assert.rejects(
    new RecordingStore(broken.dir).find("GET https://x/ -"),
    /bad\.json has no "interactions" list/,
  );
  assert.deepEqual(await new RecordingStore(`${tmp.dir}/missing`).all(), []);
});

Deno.test("RecordingStore.bodyOf: JSON, text, sibling file or nothing", async () => {
  await using tmp = await tempDir();
  await Deno.writeFile(`${tmp.dir}/x.bin`, new Uint8Array([1, 2, 3]));
  const store = new RecordingStore(new URL(`file://${tmp.dir}/`));
  assert.equal(store.dir, tmp.dir);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(
    decode(await store.bodyOf({ status: 200, headers: {}, json: { b: 1, a: [2] } })),
    '{"b":1,"a":[2]}',
  );
  assert.equal(decode(await store.bodyOf({ status: 200, headers: {}, text: "plain" })), "plain");
  assert.deepEqual(
    await store.bodyOf({ status: 200, headers: {}, file: "x.bin" }),
    new Uint8Array([1, 2, 3]),
  );
  assert.deepEqual(await store.bodyOf({ status: 204, headers: {} }), new Uint8Array());
  assert.equal(
    stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
  );
  assert.equal(await requestKey("get", "https://HuggingFace.co/x", ""), "GET https://huggingface.co/x -");
});

/** Every interaction of recordings/ whose origin is `upstream`, with its file's name. */
async function upstreamInteractions(): Promise<[string, Interaction & { origin: UpstreamOrigin }][]> {
  const out: [string, Interaction & { origin: UpstreamOrigin }][] = [];
  for (const [name, file] of await committedFiles()) {
    for (const i of file.interactions) {
      if (i.origin.kind === "upstream") out.push([name, i as Interaction & { origin: UpstreamOrigin }]);
    }
  }
  return out;
}

type UpstreamOrigin = Extract<Interaction["origin"], { kind: "upstream" }>;

/** A reference record with the fields these tests read beyond ReferenceInteraction's. */
type Tape = ReferenceInteraction & {
  source: string;
  firstSeenCommit?: string;
  lastSeenCommit?: string;
  requestBody?: unknown;
  requestBodyNote?: string;
};

/** The request body without what changes nothing for the service (`options`, `stream: false`, empty `parameters`). */
function comparableBody(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const { options: _options, ...rest } = body as Record<string, unknown>;
  if (rest.stream === false) delete rest.stream;
  if (sameValue(rest.parameters, {})) delete rest.parameters;
  return rest;
}

function sameValue(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "every upstream answer is the answer hf-recorded holds, from the repository and commit its origin names",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const tapes = [
      ...await referenceInteractions("interactions.json"),
      ...await referenceInteractions("hub_cassettes.json"),
    ] as Tape[];
    const upstream = await upstreamInteractions();
    assert.ok(upstream.length >= 12, `${upstream.length} upstream interactions`);
    for (const [name, i] of upstream) {
      const where = `${name}: ${i.request.method} ${i.request.url}`;
      const model = modelOf(i.request.url);
      const fromRepository = tapes.filter((t) =>
        t.source.startsWith(`${i.origin.repository} `) &&
        (t.source.endsWith(i.origin.commit) || t.lastSeenCommit === i.origin.commit ||
          t.firstSeenCommit === i.origin.commit) &&
        modelOf(t.url) === model && t.method === i.request.method
      );
      assert.ok(fromRepository.length > 0, `${where}: no tape of ${model} at ${i.origin.commit}`);
      const file = i.response.file === undefined
        ? undefined
        : await Deno.readFile(`${RECORDINGS}/${i.response.file}`);
      const answered = fromRepository.filter((t) =>
        t.status === i.response.status &&
        (file !== undefined
          ? sameValue(base64Bytes((t.responseBody as { base64?: string } | undefined)?.base64 ?? ""), file)
          : i.response.json !== undefined
          ? t.responseBodyKind === "json" && sameValue(t.responseBody, i.response.json)
          : t.responseBody === i.response.text)
      );
      assert.ok(
        answered.length > 0,
        `${where}: the answer differs from every tape of ${model} at that commit`,
      );
      if (i.request.body === undefined || i.request.bodyKind === "binary") continue;
      const asked = answered.filter((t) =>
        t.requestBody === null || t.requestBody === undefined || t.requestBodyNote !== undefined ||
        sameValue(comparableBody(t.requestBody), comparableBody(i.request.body))
      );
      assert.ok(asked.length > 0, `${where}: no tape with this answer was asked this request`);
    }
  },
});

/** The helper call that sends an upstream interaction's request again (replay mode, `model` from its URL). */
function helperCall(task: string, i: Interaction): () => Promise<unknown> {
  const body = (i.request.body ?? {}) as Record<string, unknown>;
  const model = modelOf(i.request.url)!;
  const { inputs, parameters, ...rest } = body;
  const options = { model, mode: "replay" as const, ...(parameters ? { parameters } : {}) };
  const media = async () =>
    i.request.bodyKind === "binary"
      ? await assetByDigest(i.request.bodyDigest!)
      : base64Bytes(String(inputs));
  const viaQuery = (task === "text-generation" && !i.request.url.endsWith("/v1/completions")) ||
    (task === "summarization" &&
      (parameters as Record<string, unknown> | undefined)?.max_length !== undefined);
  if (viaQuery) return () => query(body as unknown as QueryPayload, { model, mode: "replay" });
  const text: Record<string, (inputs: never, options: never) => Promise<unknown>> = {
    "fill-mask": fillMask,
    "question-answering": questionAnswering,
    "sentence-similarity": sentenceSimilarity,
    "summarization": summarization,
    "table-question-answering": tableQuestionAnswering,
    "tabular-classification": tabularClassification,
    "tabular-regression": tabularRegression,
    "text-classification": textClassification,
    "text-to-image": textToImage,
    "token-classification": tokenClassification,
    "translation": translation,
    "zero-shot-classification": zeroShotClassification,
  };
  const binary: Record<string, (inputs: never, options: never) => Promise<unknown>> = {
    "audio-classification": audioClassification,
    "automatic-speech-recognition": automaticSpeechRecognition,
    "image-classification": imageClassification,
    "image-segmentation": imageSegmentation,
    "image-to-text": imageToText,
    "object-detection": objectDetection,
  };
  if (text[task]) return () => text[task]!(inputs as never, options as never);
  if (binary[task]) return async () => binary[task]!(await media() as never, options as never);
  if (task === "feature-extraction") {
    return () => featureExtraction(inputs as string, { model, mode: "replay", parameters: rest });
  }
  if (task === "zero-shot-image-classification") {
    const { image } = inputs as { image: string };
    return () => zeroShotImageClassification(base64Bytes(image), options as never);
  }
  if (task === "document-question-answering" || task === "visual-question-answering") {
    const { image, question } = inputs as { image: string; question: string };
    const call = task === "document-question-answering" ? documentQuestionAnswering : visualQuestionAnswering;
    return () => call({ image: base64Bytes(image), question } as never, options as never);
  }
  if (task === "chat-completion") {
    const { messages, model: _model, stream, ...chat } = body;
    const chatOptions = {
      model,
      provider: "hf-inference" as const,
      mode: "replay" as const,
      parameters: chat,
    };
    if (!stream) return () => chatCompletion(messages as ChatMessage[], chatOptions);
    return async () => {
      const chunks = [];
      for await (const chunk of chatCompletionStream(messages as ChatMessage[], chatOptions)) {
        chunks.push(chunk);
      }
      return chunks;
    };
  }
  throw new Error(`no helper call for an upstream ${task} answer: add one here`);
}

Deno.test("every upstream answer parses through its task helper in replay mode and says it was recorded upstream", async () => {
  const net = countingFetch();
  let checked = 0;
  for (const [name, i] of await upstreamInteractions()) {
    if (i.request.method !== "POST") continue;
    const task = name.replace(/\.json$/, "");
    const where = `${name}: ${i.request.url}`;
    const call = helperCall(task, i);
    const answer = await withEnv({ ...CLEAN_ENV, HF_RECORDINGS_DIR: RECORDINGS }, call);
    assert.ok(answer !== undefined && answer !== null, where);
    checked++;
    const chunks = Array.isArray(answer) && i.response.text?.startsWith("data:") ? answer : undefined;
    for (const chunk of chunks ?? []) assert.deepEqual(provenanceOf(chunk), provenanceOf(chunks![0]), where);
    const provenance = provenanceOf(chunks ? chunks[0] : answer); // a stream: each of its chunks
    assert.equal(provenance?.kind, "upstream", `${where}: ${JSON.stringify(provenance)}`);
    assert.equal(
      provenanceLabel(provenance!),
      `replayed · recorded by ${i.origin.repository} (${i.origin.date}, ${i.origin.commit.slice(0, 7)})`,
    );
  }
  assert.ok(checked >= 12, `${checked} upstream answers`);
  assert.equal(net.calls.length, 0);
});

/** The task recordings this check covers (the tasks added by issue 13 keep their own files and notes). */
const TASK_FILES = new Set([
  "automatic-speech-recognition",
  "chat-completion",
  "feature-extraction",
  "fill-mask",
  "image-classification",
  "image-segmentation",
  "image-to-text",
  "object-detection",
  "question-answering",
  "sentence-similarity",
  "summarization",
  "table-question-answering",
  "text-classification",
  "text-generation",
  "text-to-image",
  "token-classification",
  "translation",
  "zero-shot-classification",
  "zero-shot-image-classification",
].map((task) => `${task}.json`));

Deno.test("every authored answer says in its note that it is not a model's answer", async () => {
  const says = /made up|not a model|not the model|not the service|authored|written by hand|placeholder/i;
  for (const [name, file] of (await committedFiles()).filter(([name]) => TASK_FILES.has(name))) {
    for (const i of file.interactions) {
      if (i.origin.kind !== "authored" || i.request.method === "GET") continue;
      assert.match(
        i.origin.note ?? "",
        says,
        `${name}: ${i.request.url} ${JSON.stringify(i.request.body ?? "")}`,
      );
    }
  }
});

Deno.test("every authored mapping look-up says it is authored, not the Hub's answer", async () => {
  for (const [name, file] of (await committedFiles()).filter(([name]) => TASK_FILES.has(name))) {
    for (const i of file.interactions) {
      if (i.request.method !== "GET" || !i.request.url.includes("inferenceProviderMapping")) continue;
      if (i.origin.kind !== "authored") continue;
      const mapping = (i.response.json as { inferenceProviderMapping?: unknown } | undefined)
        ?.inferenceProviderMapping;
      const claimsLive = JSON.stringify(mapping ?? null).includes('"status":"live"');
      if (!claimsLive) continue;
      assert.match(i.origin.note ?? "", /^Authored, not the Hub's answer/, `${name}: ${i.request.url}`);
    }
  }
});
