/**
 * The same call, in other languages: curl, Python (`requests`, the article's
 * `query(payload)`) and JavaScript (`fetch`, and `@huggingface/inference`),
 * with `$HF_TOKEN` placeholders, never a token.
 *
 * The snippets are rendered from the request the workbook itself would send:
 * the task helper is called with a `fetch` that catches its request (URL,
 * headers, body) instead of sending it. A file input is read from its path in
 * every language, never pasted (as bytes, or base64 in JSON when parameters go
 * along).
 *
 * The `@huggingface/inference` call is read back from that request in the
 * method's own argument shape (`inputs` and `parameters`, chat's `messages`),
 * then checked: {@linkcode inferenceSnippets} runs the library's method on the
 * same catching `fetch` and shows the call only when it sends the very same
 * request. When it would not (4.13's `imageClassification`, `objectDetection`,
 * `imageToText` and `automaticSpeechRecognition` send a file as raw bytes and
 * drop `parameters`), a one-line comment says why and points to the `fetch`
 * snippet.
 *
 * `@huggingface/inference` has a snippets module too
 * (`snippets.getInferenceSnippets`), but it renders only `inputs` (parameters
 * are dropped, zero-shot labels are its own examples) and expects inputs
 * already quoted for each language, so it cannot show the call you made; its
 * placeholders (`$HF_TOKEN`, `os.environ['HF_TOKEN']`, `process.env.HF_TOKEN`)
 * are kept here.
 *
 * @module
 */

import * as library from "npm:@huggingface/inference@^4.13.30";
import { isRecord } from "./_json.ts";
import { sniffMedia } from "./tasks/_media.ts";
import { INFERENCE_PROVIDERS, type TaskOptions } from "./tasks/_run.ts";
import { ReplayMissError } from "./errors.ts";
import { createTransport } from "./transport/fetch.ts";
import { stableStringify } from "./transport/recordings.ts";
import { resolveMode } from "./transport/mode.ts";

/** A request as the workbook would send it. */
export interface CapturedRequest {
  /** The method. */
  method: string;
  /** The URL. */
  url: string;
  /** The body's content type, if any. */
  contentType?: string;
  /** The body: parsed JSON, or bytes for a binary input. */
  body?: unknown;
  /** `X-HF-Bill-To`, when set. */
  billTo?: string;
  /** The model id the call named (from the provider-mapping look-up, the URL or the body), when known. */
  model?: string;
}

/** The same call in each language. */
export interface InferenceSnippets {
  /** The request they all send. */
  request: CapturedRequest;
  /** curl, with `$HF_TOKEN`. */
  curl: string;
  /** Python with `requests`, shaped like the article's `query(payload)`. */
  python: string;
  /** JavaScript with `fetch`. */
  javascript: string;
  /**
   * JavaScript with `@huggingface/inference`'s `InferenceClient`, when the method is known: the call, or a
   * one-line comment saying why it is left out (the library would send another request).
   */
  huggingfaceJs?: string;
  /** Python with `huggingface_hub`'s `InferenceClient`, when the method is known. */
  huggingfaceHub?: string;
}

/** Options of {@linkcode inferenceSnippets}: the task's options, and how to show what is not text. */
export interface InferenceSnippetsOptions
  extends Omit<TaskOptions<unknown>, "fetch" | "accessToken" | "mode" | "parameters"> {
  /** The task's parameters. */
  parameters?: unknown;
  /**
   * The task of the model's provider mapping (`summarization`, `conversational`, ...). With it, the mapping
   * look-up is answered here (hf-inference or an endpoint, offline); without it, the look-up takes the
   * workbook's road in the mode in force.
   */
  hubTask?: string;
  /** The `@huggingface/inference` method name. When not given: the task function's name. */
  method?: string;
  /** The file a binary input comes from, as the snippets should read it. @default {"input.bin"} */
  inputPath?: string;
  /** Whether the answer is bytes (an image), written to this file. */
  outputPath?: string;
  /** Replace the network edge of a mapping look-up that is not answered here (tests). */
  fetch?: typeof fetch;
}

const PLACEHOLDER_TOKEN = "hf_snippet_token_placeholder";
const BASE64_MARK = "\u0000base64-of-input\u0000";
const FILE_MARK = "\u0000file-input\u0000";

/**
 * The curl, Python and JavaScript equivalents of `task(inputs, options)`.
 *
 * @example The article's call, in three languages
 * ```ts
 * import assert from "node:assert/strict";
 * import { inferenceSnippets, summarization } from "@hf-workbook/workbook";
 *
 * const snippets = await inferenceSnippets(summarization, "今天的天氣很好", {
 *   model: "csebuetnlp/mT5_multilingual_XLSum",
 *   hubTask: "summarization",
 * });
 * assert.match(snippets.curl, /router\.huggingface\.co\/hf-inference\/models\/csebuetnlp/);
 * assert.match(snippets.python, /def query\(payload\):/);
 * assert.match(snippets.javascript, /process\.env\.HF_TOKEN/);
 * assert.match(snippets.huggingfaceJs ?? "", /client\.summarization\(\{/);
 * ```
 */
export async function inferenceSnippets<I, O extends object>(
  task: (inputs: I, options: O) => Promise<unknown>,
  inputs: I,
  options: InferenceSnippetsOptions & Omit<O, keyof TaskOptions<unknown>> = {} as
    & InferenceSnippetsOptions
    & Omit<O, keyof TaskOptions<unknown>>,
): Promise<InferenceSnippets> {
  const lookup = lookupEdge(options);
  const request = await capture((edge) => callCatching(task, inputs, options, edge), lookup);
  const method = options.method ?? (task.name || undefined);
  const render: RenderOptions = {
    ...(method ? { method } : {}),
    ...(await providerArgs(request, inputs, options) ?? {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.provider ? { provider: String(options.provider) } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.inputPath ? { inputPath: options.inputPath } : {}),
    ...(options.outputPath ? { outputPath: options.outputPath } : {}),
  };
  if (method) {
    const note = await checkLibraryCall(request, method, render, lookup);
    if (note !== undefined) render.libraryNote = note;
  }
  return renderSnippets(request, render);
}

/**
 * A third-party provider's body is its own (fal-ai's `{prompt, image_url}`, replicate's `{input}`), not the
 * method's arguments: those are the call's own, `{inputs, parameters}`, the file input as a `Blob`. The check
 * that follows runs the library with them and keeps the call only when it sends this very request.
 */
async function providerArgs(
  request: CapturedRequest,
  inputs: unknown,
  options: InferenceSnippetsOptions,
): Promise<Pick<RenderOptions, "callArgs" | "callFile"> | undefined> {
  const provider = providerOfUrl(request.url);
  if (provider === undefined || provider === "hf-inference" || provider === "auto") return undefined;
  const { image, ...rest } = isRecord(inputs) ? inputs : { image: inputs };
  const source = typeof image === "string" && options.inputPath === undefined && !isRecord(inputs)
    ? undefined // a prompt, not a file
    : image;
  const bytes = source instanceof Uint8Array
    ? source
    : typeof source === "string"
    ? await Deno.readFile(source)
    : undefined;
  const parameters = { ...rest, ...(isRecord(options.parameters) ? options.parameters : {}) };
  const format = bytes ? sniffMedia(bytes) : undefined;
  return {
    callArgs: {
      inputs: bytes ? FILE_MARK : inputs,
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    },
    ...(bytes ? { callFile: { bytes, ...(format ? { mediaType: format.mediaType } : {}) } } : {}),
  };
}

/** Call `task` with a `fetch` that keeps its request instead of sending it. */
export async function captureRequest<I, O extends object>(
  task: (inputs: I, options: O) => Promise<unknown>,
  inputs: I,
  options: InferenceSnippetsOptions = {},
): Promise<CapturedRequest> {
  return await capture((edge) => callCatching(task, inputs, options, edge), lookupEdge(options));
}

/** Call a task helper on the catching `fetch`, as the workbook would call it live. */
async function callCatching<I, O extends object>(
  task: (inputs: I, options: O) => Promise<unknown>,
  inputs: I,
  options: InferenceSnippetsOptions,
  edge: typeof fetch,
): Promise<unknown> {
  const { hubTask: _task, method: _method, inputPath: _in, outputPath: _out, fetch: _edge, ...taskOptions } =
    options;
  return await task(inputs, {
    ...taskOptions,
    mode: "live",
    accessToken: PLACEHOLDER_TOKEN,
    fetch: edge,
    retry: { maxAttempts: 1, maxUnavailableAttempts: 1 },
  } as unknown as O);
}

/**
 * Whether HF Inference runs `hubTask` at all: the tasks only third-party providers serve (text-to-video,
 * image-to-video, ...) are looked up in the model's real mapping instead of assumed on HF Inference.
 */
function servedByHfInference(hubTask: string | undefined): boolean {
  if (hubTask === undefined) return true;
  try {
    library.getProviderHelper("hf-inference", hubTask as library.InferenceTask);
    return true;
  } catch {
    return false;
  }
}

/** Answers the provider-mapping look-ups of one snippet, each asked once (the check asks them again). */
type LookupEdge = (request: Request) => Promise<Response>;

function lookupEdge(options: InferenceSnippetsOptions): LookupEdge {
  const provider = String(
    options.provider ?? (servedByHfInference(options.hubTask) ? "hf-inference" : "auto"),
  );
  const answers = new Map<string, Promise<{ status: number; headers: Headers; body: ArrayBuffer }>>();
  let transport: typeof fetch | undefined;
  const answer = async (url: string) => {
    if (options.hubTask !== undefined && provider === "hf-inference") {
      const model = options.model ?? decodeURIComponent(new URL(url).pathname.slice("/api/models/".length));
      return Response.json({
        id: model,
        inferenceProviderMapping: {
          "hf-inference": { status: "live", providerId: model, task: options.hubTask },
        },
      });
    }
    transport ??= createTransport({
      mode: resolveMode().mode,
      recording: "hub",
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return await transport(url, { headers: { Accept: "application/json" }, redirect: "follow" });
  };
  return async (request) => {
    let kept = answers.get(request.url);
    if (kept === undefined) {
      kept = answer(request.url).then(async (r) => ({
        status: r.status,
        headers: r.headers,
        body: await r.arrayBuffer(),
      }));
      answers.set(request.url, kept);
    }
    const { status, headers, body } = await kept;
    return new Response(body, { status, headers });
  };
}

/** Run `call` with a `fetch` that answers mapping look-ups and keeps the first other request instead of sending it. */
async function capture(
  call: (edge: typeof fetch) => Promise<unknown>,
  lookup: LookupEdge,
): Promise<CapturedRequest> {
  let captured: CapturedRequest | undefined;
  let lookedUp: string | undefined;
  let missed: ReplayMissError | undefined;
  const edge = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const hub = /^https:\/\/huggingface\.co\/api\/models\/([^?]+)/.exec(request.url);
    if (request.method === "GET" && hub) {
      lookedUp = decodeURIComponent(hub[1]!);
      try {
        return await lookup(request);
      } catch (error) {
        // the task's own transport would call this a network failure: it is a look-up replay does not hold
        if (error instanceof ReplayMissError) missed = error;
        throw error;
      }
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    const contentType = request.headers.get("content-type") ?? undefined;
    const billTo = request.headers.get("x-hf-bill-to") ?? undefined;
    const body = bytes.length > 0 ? decodeBody(bytes, contentType) : undefined;
    const model = lookedUp ?? modelOfUrl(request.url) ??
      (isRecord(body) && typeof body.model === "string" ? body.model : undefined);
    captured = {
      method: request.method,
      url: request.url,
      ...(contentType ? { contentType } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(billTo ? { billTo } : {}),
      ...(model ? { model } : {}),
    };
    return new Response("captured for a snippet", { status: 418 });
  };
  try {
    await call(edge);
  } catch (error) {
    if (captured === undefined) throw missed ?? error;
  }
  if (captured === undefined) {
    throw new TypeError("Cannot render snippets: the task sent no request");
  }
  return captured;
}

function decodeBody(bytes: Uint8Array, contentType: string | undefined): unknown {
  if (contentType?.includes("json")) {
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      // fall through: bytes
    }
  }
  return bytes;
}

/** The model id in a router or endpoint URL (`.../models/<id>`, its pipeline or OpenAI-style route cut off). */
function modelOfUrl(url: string): string | undefined {
  const found = /\/models\/(.+?)(?:\/pipeline\/[\w-]+|\/v1\/(?:chat\/)?completions)?\/?$/.exec(
    new URL(url).pathname,
  );
  return found ? decodeURIComponent(found[1]!) : undefined;
}

/** The provider a router URL goes to: its first path segment, or `auto` for the router's own `/v1/...`. */
function providerOfUrl(url: string): string | undefined {
  const { hostname, pathname } = new URL(url);
  if (hostname !== "router.huggingface.co") return undefined;
  const first = pathname.split("/")[1] ?? "";
  if (first === "v1") return "auto";
  return (INFERENCE_PROVIDERS as readonly string[]).includes(first) ? first : undefined;
}

/** How {@linkcode renderSnippets} names what the request alone does not say. */
export interface RenderOptions {
  /** The `@huggingface/inference` method (`summarization`, `chatCompletion`, ...). */
  method?: string;
  /** The model id. When not given: the request's. */
  model?: string;
  /** The provider. When not given: the one the request's URL goes to (`auto` for the router's `/v1/...`). */
  provider?: string;
  /** The dedicated endpoint. */
  endpointUrl?: string;
  /** The file a binary input comes from. */
  inputPath?: string;
  /** The file a binary answer goes to. */
  outputPath?: string;
  /**
   * Why the `@huggingface/inference` call is left out: shown as a one-line comment instead of the call.
   * {@linkcode inferenceSnippets} sets it when the library would send another request than the workbook.
   */
  libraryNote?: string;
  /**
   * The `@huggingface/inference` method's arguments, when the body is not them (a third-party provider's own
   * body); the file input as the file marker. When not given: read back from the body.
   */
  callArgs?: Record<string, unknown>;
  /** The file input of {@linkcode RenderOptions.callArgs}, when the body does not carry it as base64. */
  callFile?: { bytes: Uint8Array; mediaType?: string };
}

/** The request, read for rendering: its JSON with the file input marked, and the file's bytes. */
interface ReadBack {
  /** The JSON body, a base64 copy of the file input replaced by {@linkcode BASE64_MARK}. */
  json: unknown;
  /** Whether the body is the file's raw bytes. */
  binaryBody: boolean;
  /** Whether the JSON holds the file as base64. */
  usesBase64: boolean;
  /** The file input, when the request carries one. */
  file?: { bytes: Uint8Array; mediaType?: string };
}

function readBack(request: CapturedRequest): ReadBack {
  if (request.body instanceof Uint8Array) {
    return {
      json: undefined,
      binaryBody: true,
      usesBase64: false,
      file: { bytes: request.body, ...(request.contentType ? { mediaType: request.contentType } : {}) },
    };
  }
  if (request.body === undefined) return { json: undefined, binaryBody: false, usesBase64: false };
  const found = markBase64(request.body);
  return {
    json: found.json,
    binaryBody: false,
    usesBase64: found.file !== undefined,
    ...(found.file ? { file: found.file } : {}),
  };
}

/**
 * Render a captured request as curl, Python and JavaScript. With `method`, the `@huggingface/inference` call
 * is read back from the request as it is; {@linkcode inferenceSnippets} also checks that the library sends
 * that very request, and passes `libraryNote` when it would not.
 */
export function renderSnippets(request: CapturedRequest, options: RenderOptions = {}): InferenceSnippets {
  const inputPath = options.inputPath ?? "input.bin";
  const { json, binaryBody, usesBase64, file } = readBack(request);
  // A third-party provider answers a media task with its own JSON (a queued job to poll, or a link to the
  // media), not the media's bytes: the plain requests print that answer; the client calls below finish it.
  const provider = providerOfUrl(request.url);
  const viaProvider = options.outputPath !== undefined && provider !== undefined &&
    provider !== "hf-inference" && provider !== "auto";
  const outputPath = viaProvider ? undefined : options.outputPath;
  const note = viaProvider
    ? [
      `${provider} answers with its own JSON (a job to poll, or a link to the media), not the media itself:`,
      "the @huggingface/inference and huggingface_hub calls below wait for it and save it",
    ]
    : undefined;
  const snippets: InferenceSnippets = {
    request,
    curl: commented("#", note, curl(request, json, binaryBody, inputPath, outputPath, usesBase64)),
    python: commented("#", note, python(request, json, binaryBody, inputPath, outputPath, usesBase64)),
    javascript: commented(
      "//",
      note,
      javascript(request, json, binaryBody, inputPath, outputPath, usesBase64),
    ),
  };
  if (options.method) {
    snippets.huggingfaceJs = options.libraryNote !== undefined
      ? `// ${options.libraryNote.replace(/\s+/g, " ")}`
      : huggingfaceJs(
        request,
        libraryCall(request, json, binaryBody, options),
        inputPath,
        file ?? options.callFile,
        options,
      );
    snippets.huggingfaceHub = huggingfaceHub(
      request,
      libraryCall(request, json, binaryBody, options),
      inputPath,
      options,
    );
  }
  return snippets;
}

/** `code` under a comment, when there is one to say. */
function commented(mark: string, note: readonly string[] | undefined, code: string): string {
  return note === undefined ? code : [...note.map((line) => `${mark} ${line}`), code].join("\n");
}

/** The base64 text of a file input, if `value` is one (it decodes to a picture or a recording). */
function base64File(value: unknown): { bytes: Uint8Array; mediaType: string } | undefined {
  if (typeof value !== "string" || value.length < 16 || !/^[A-Za-z0-9+/]+=*$/.test(value)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const format = sniffMedia(bytes);
  return format ? { bytes, mediaType: format.mediaType } : undefined;
}

/**
 * Replace a base64 copy of a file input by a marker: `inputs` itself (image and audio tasks with parameters,
 * image segmentation) or `inputs.image` (zero-shot image classification), so the snippets read the file.
 */
function markBase64(body: unknown): { json: unknown; file?: { bytes: Uint8Array; mediaType: string } } {
  if (!isRecord(body)) return { json: body };
  const inputs = body.inputs;
  const file = base64File(inputs);
  if (file) return { json: { ...body, inputs: BASE64_MARK }, file };
  if (isRecord(inputs)) {
    const image = base64File(inputs.image);
    if (image) return { json: { ...body, inputs: { ...inputs, image: BASE64_MARK } }, file: image };
  }
  return { json: body };
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function curl(
  request: CapturedRequest,
  json: unknown,
  binaryBody: boolean,
  inputPath: string,
  outputPath: string | undefined,
  usesBase64: boolean,
): string {
  const lines = [
    `curl ${request.url}`,
    `    -X ${request.method}`,
    `    -H "Authorization: Bearer $HF_TOKEN"`,
  ];
  if (request.contentType) lines.push(`    -H ${shellQuote(`Content-Type: ${request.contentType}`)}`);
  if (request.billTo) lines.push(`    -H ${shellQuote(`X-HF-Bill-To: ${request.billTo}`)}`);
  if (binaryBody) lines.push(`    --data-binary @${inputPath}`);
  else if (json !== undefined) {
    const text = JSON.stringify(json, null, 4);
    const quoted = usesBase64
      ? shellQuote(text).replace(JSON.stringify(BASE64_MARK).slice(1, -1), `'"$(base64 -w0 ${inputPath})"'`)
      : shellQuote(text);
    lines.push(`    -d ${quoted}`);
  }
  if (outputPath) lines.push(`    -o ${outputPath}`);
  return lines.join(" \\\n");
}

/** A JSON value as a Python literal. */
function toPython(value: unknown, indent = 0): string {
  const pad = " ".repeat(indent + 4);
  const end = " ".repeat(indent);
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    return value === BASE64_MARK ? "base64.b64encode(data).decode()" : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${pad}${toPython(v, indent + 4)},`).join("\n")}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${
    entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${toPython(v, indent + 4)},`).join("\n")
  }\n${end}}`;
}

function python(
  request: CapturedRequest,
  json: unknown,
  binaryBody: boolean,
  inputPath: string,
  outputPath: string | undefined,
  usesBase64: boolean,
): string {
  const imports = ["import os", ...(usesBase64 ? ["import base64"] : []), "import requests"];
  const headers = [`"Authorization": f"Bearer {os.environ['HF_TOKEN']}"`];
  if (request.billTo) headers.push(`"X-HF-Bill-To": ${JSON.stringify(request.billTo)}`);
  const answer = outputPath ? "response.content" : "response.json()";
  const lines = [
    ...imports,
    "",
    `API_URL = ${JSON.stringify(request.url)}`,
    `headers = {${headers.join(", ")}}`,
    "",
  ];
  if (binaryBody) {
    lines.push(
      "def query(filename):",
      '    with open(filename, "rb") as f:',
      "        data = f.read()",
      `    response = requests.${request.method.toLowerCase()}(API_URL, headers={"Content-Type": ${
        JSON.stringify(request.contentType ?? "application/octet-stream")
      }, **headers}, data=data)`,
      `    return ${answer}`,
      "",
      `output = query(${JSON.stringify(inputPath)})`,
    );
  } else {
    if (usesBase64) {
      lines.push(`with open(${JSON.stringify(inputPath)}, "rb") as f:`, "    data = f.read()", "");
    }
    lines.push(
      "def query(payload):",
      `    response = requests.${request.method.toLowerCase()}(API_URL, headers=headers, json=payload)`,
      `    return ${answer}`,
      "",
      `output = query(${toPython(json ?? {})})`,
    );
  }
  if (outputPath) {
    lines.push(`with open(${JSON.stringify(outputPath)}, "wb") as f:`, "    f.write(output)");
  } else {
    lines.push("print(output)");
  }
  return lines.join("\n");
}

/** A JSON value as a JavaScript literal (keys unquoted when they can be). */
function toJs(value: unknown, indent = 0): string {
  const pad = " ".repeat(indent + 2);
  const end = " ".repeat(indent);
  if (value === BASE64_MARK) return 'data.toString("base64")';
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${pad}${toJs(v, indent + 2)},`).join("\n")}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const key = (k: string) => /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
  return `{\n${entries.map(([k, v]) => `${pad}${key(k)}: ${toJs(v, indent + 2)},`).join("\n")}\n${end}}`;
}

function javascript(
  request: CapturedRequest,
  json: unknown,
  binaryBody: boolean,
  inputPath: string,
  outputPath: string | undefined,
  usesBase64: boolean,
): string {
  const headers = ["Authorization: `Bearer ${process.env.HF_TOKEN}`"];
  if (request.contentType) headers.push(`"Content-Type": ${JSON.stringify(request.contentType)}`);
  if (request.billTo) headers.push(`"X-HF-Bill-To": ${JSON.stringify(request.billTo)}`);
  const lines: string[] = [];
  const readsFile = binaryBody || usesBase64;
  const writesFile = outputPath !== undefined;
  if (readsFile || writesFile) {
    lines.push(
      `import { ${
        [readsFile ? "readFile" : "", writesFile ? "writeFile" : ""].filter(Boolean).join(", ")
      } } from "node:fs/promises";`,
      "",
    );
  }
  if (readsFile) lines.push(`const data = await readFile(${JSON.stringify(inputPath)});`);
  const body = binaryBody ? "data" : json === undefined ? undefined : `JSON.stringify(${toJs(json, 2)})`;
  lines.push(
    `const response = await fetch(${JSON.stringify(request.url)}, {`,
    `  method: ${JSON.stringify(request.method)},`,
    `  headers: { ${headers.join(", ")} },`,
    ...(body ? [`  body: ${body},`] : []),
    "});",
  );
  if (writesFile) {
    lines.push(
      `await writeFile(${JSON.stringify(outputPath)}, new Uint8Array(await response.arrayBuffer()));`,
    );
  } else {
    lines.push("const output = await response.json();", "console.log(output);");
  }
  return lines.join("\n");
}

/** The `@huggingface/inference` call of a request: where it goes, and the method's own arguments. */
interface LibraryCall {
  /** `model` and `provider`, or `endpointUrl`. */
  target: Record<string, string>;
  /** The method's arguments (`inputs`, `parameters`, chat's `messages`, ...), the file input as {@linkcode FILE_MARK}. */
  args: Record<string, unknown>;
}

function libraryCall(
  request: CapturedRequest,
  json: unknown,
  binaryBody: boolean,
  options: RenderOptions,
): LibraryCall {
  const target: Record<string, string> = {};
  if (options.endpointUrl) target.endpointUrl = options.endpointUrl;
  else {
    const model = options.model ?? request.model;
    if (model) target.model = model;
    const provider = options.provider ?? providerOfUrl(request.url);
    if (provider) target.provider = provider;
  }
  return {
    target,
    args: options.callArgs ?? methodArgs(request, json, binaryBody, options.method, target.model),
  };
}

/**
 * The method's arguments, read back from the body the library builds from them: HF Inference sends them as
 * they are (chat adds `model`), but text generation goes to `/v1/completions` as `{model, prompt, max_tokens,
 * ...}`, built from `{inputs, parameters: {max_new_tokens, ...}}`.
 */
function methodArgs(
  request: CapturedRequest,
  json: unknown,
  binaryBody: boolean,
  method: string | undefined,
  model: string | undefined,
): Record<string, unknown> {
  if (binaryBody) return { inputs: FILE_MARK };
  if (!isRecord(json)) return json === undefined ? {} : { inputs: json };
  if (
    method === "textGeneration" && typeof json.prompt === "string" &&
    new URL(request.url).pathname.endsWith("/completions")
  ) {
    const { model: _model, prompt, max_tokens, ...rest } = json;
    const parameters = { ...(max_tokens !== undefined ? { max_new_tokens: max_tokens } : {}), ...rest };
    return { inputs: prompt, ...(Object.keys(parameters).length > 0 ? { parameters } : {}) };
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === "model" && (method === "chatCompletion" || value === model)) continue;
    args[key] = key === "inputs" ? fileInput(value) : value;
  }
  return args;
}

/**
 * A base64 file input is the file, as a `Blob`: `inputs` itself, zero-shot image classification's
 * `{image}`, or the `image` beside a question (document and visual question answering).
 */
function fileInput(inputs: unknown): unknown {
  if (inputs === BASE64_MARK) return FILE_MARK;
  if (!isRecord(inputs) || inputs.image !== BASE64_MARK) return inputs;
  return Object.keys(inputs).length === 1 ? FILE_MARK : { ...inputs, image: FILE_MARK };
}

/** Whether the method's arguments take the file: as `inputs`, or as `inputs.image`. */
function takesFile(args: Record<string, unknown>): boolean {
  return args.inputs === FILE_MARK || (isRecord(args.inputs) && args.inputs.image === FILE_MARK);
}

function huggingfaceJs(
  request: CapturedRequest,
  call: LibraryCall,
  inputPath: string,
  file: ReadBack["file"],
  options: RenderOptions,
): string {
  const readsFile = takesFile(call.args);
  const writesFile = options.outputPath !== undefined;
  const lines = ['import { InferenceClient } from "@huggingface/inference";'];
  if (readsFile || writesFile) {
    lines.push(
      `import { ${
        [readsFile ? "readFile" : "", writesFile ? "writeFile" : ""].filter(Boolean).join(", ")
      } } from "node:fs/promises";`,
    );
  }
  lines.push("", "const client = new InferenceClient(process.env.HF_TOKEN);");
  const blob = `new Blob([await readFile(${JSON.stringify(inputPath)})]${
    file?.mediaType ? `, { type: ${JSON.stringify(file.mediaType)} }` : ""
  })`;
  const args = toJs({ ...call.target, ...call.args }).replace(JSON.stringify(FILE_MARK), blob);
  lines.push(
    `const output = await client.${options.method}(${args}${
      request.billTo ? `, { billTo: ${JSON.stringify(request.billTo)} }` : ""
    });`,
  );
  lines.push(
    writesFile
      ? `await writeFile(${JSON.stringify(options.outputPath)}, new Uint8Array(await output.arrayBuffer()));`
      : "console.log(output);",
  );
  return lines.join("\n");
}

/** How `huggingface_hub`'s answer is kept: a picture is a PIL image, a clip or a sound is bytes. */
function pythonSave(outputPath: string | undefined): string[] {
  if (outputPath === undefined) return ["print(output)"];
  const path = JSON.stringify(outputPath);
  return /\.(png|jpe?g|webp|gif|bmp)$/i.test(outputPath)
    ? [`output.save(${path})  # a PIL image`]
    : [`with open(${path}, "wb") as f:`, "    f.write(output)  # bytes"];
}

/** `summarization` → `summarization`, `textToImage` → `text_to_image`: the Python client's method names. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The inputs of a task whose input is an object, as `huggingface_hub`'s keyword arguments. */
const PYTHON_INPUTS: Record<string, Record<string, string>> = {
  questionAnswering: { question: "question", context: "context" },
  tableQuestionAnswering: { query: "query", table: "table" },
  sentenceSimilarity: { source_sentence: "sentence", sentences: "other_sentences" },
  documentQuestionAnswering: { image: "image", question: "question" },
  visualQuestionAnswering: { image: "image", question: "question" },
};

/** The `huggingface_hub` call's arguments: the input first, then keywords (parameters flattened). */
function pythonArguments(call: LibraryCall, method: string, inputPath: string): string[] {
  const { inputs, parameters, messages, ...rest } = call.args;
  const words: string[] = [];
  const named = PYTHON_INPUTS[method];
  if (messages !== undefined) words.push(`messages=${toPython(messages, 4)}`);
  else if (inputs === FILE_MARK) words.push(JSON.stringify(inputPath));
  else if (named && isRecord(inputs)) {
    for (const [key, value] of Object.entries(inputs)) {
      const text = value === FILE_MARK ? JSON.stringify(inputPath) : toPython(value, 4);
      words.push(`${named[key] ?? key}=${text}`);
    }
  } else if (inputs !== undefined) words.push(toPython(inputs, 4));
  const target = call.target.endpointUrl === undefined && call.target.model
    ? { model: call.target.model }
    : {};
  const keywords = { ...target, ...(isRecord(parameters) ? parameters : {}), ...rest };
  for (const [key, value] of Object.entries(keywords)) words.push(`${key}=${toPython(value, 4)}`);
  return words;
}

/** Python with `huggingface_hub.InferenceClient`: the same call, in its own argument shape. */
function huggingfaceHub(
  request: CapturedRequest,
  call: LibraryCall,
  inputPath: string,
  options: RenderOptions,
): string {
  const method = options.method ?? "";
  const client = [
    ...(call.target.endpointUrl ? [`model=${JSON.stringify(call.target.endpointUrl)}`] : []),
    ...(call.target.provider && !call.target.endpointUrl
      ? [`provider=${JSON.stringify(call.target.provider)}`]
      : []),
    `api_key=os.environ["HF_TOKEN"]`,
    ...(request.billTo ? [`bill_to=${JSON.stringify(request.billTo)}`] : []),
  ];
  const args = pythonArguments(call, method, inputPath);
  return [
    "import os",
    "from huggingface_hub import InferenceClient",
    "",
    `client = InferenceClient(${client.join(", ")})`,
    `output = client.${snakeCase(method)}(`,
    ...args.map((a) => `    ${a},`),
    ")",
    ...pythonSave(options.outputPath),
  ].join("\n");
}

/**
 * Run the library's `method` with the arguments the snippet would show, on a catching `fetch`, and say why
 * the snippet must be left out when the library would not send `request` itself.
 */
async function checkLibraryCall(
  request: CapturedRequest,
  method: string,
  options: RenderOptions,
  lookup: LookupEdge,
): Promise<string | undefined> {
  const name = `@huggingface/inference's ${method}()`;
  const fn = (library as unknown as Record<string, unknown>)[method];
  if (typeof fn !== "function") {
    return `Not shown: @huggingface/inference has no ${method}(); the fetch snippet above makes the call`;
  }
  const back = readBack(request);
  const call = libraryCall(request, back.json, back.binaryBody, options);
  const args: Record<string, unknown> = { ...call.target, ...call.args, accessToken: PLACEHOLDER_TOKEN };
  const file = back.file ?? options.callFile;
  if (takesFile(args) && file) {
    const blob = new Blob(
      [file.bytes as Uint8Array<ArrayBuffer>],
      file.mediaType ? { type: file.mediaType } : {},
    );
    args.inputs = args.inputs === FILE_MARK ? blob : { ...(args.inputs as object), image: blob };
  }
  let sent: CapturedRequest;
  try {
    sent = await capture(
      (edge) =>
        (fn as (args: unknown, options: library.Options) => Promise<unknown>)(args, {
          fetch: edge,
          retry_on_error: false,
          ...(request.billTo ? { billTo: request.billTo } : {}),
        }),
      lookup,
    );
  } catch (error) {
    return `Not shown: ${name} fails on this call (${
      (error as Error).message
    }); the fetch snippet above makes it`;
  }
  const dropped = isRecord(request.body) && request.body.parameters !== undefined &&
    sent.body instanceof Uint8Array;
  if (dropped) {
    return `Not shown: ${name} sends the file as raw bytes and drops "parameters"; the fetch snippet above sends them`;
  }
  const differs = difference(request, sent);
  return differs === undefined
    ? undefined
    : `Not shown: ${name} ${differs}; the fetch snippet above sends the call as made`;
}

/** How `got` differs from `expected`, in a few words; `undefined` when it is the same request. */
function difference(expected: CapturedRequest, got: CapturedRequest): string | undefined {
  if (got.method !== expected.method || got.url !== expected.url) {
    return `would send ${got.method} ${got.url} instead`;
  }
  if ((got.contentType ?? "") !== (expected.contentType ?? "")) {
    return `would send Content-Type ${got.contentType ?? "(none)"} instead of ${
      expected.contentType ?? "(none)"
    }`;
  }
  if (!sameBody(expected.body, got.body)) return "would send another body";
  if (got.billTo !== expected.billTo) return "would bill another account";
  return undefined;
}

function sameBody(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length &&
      a.every((byte, i) => byte === b[i]);
  }
  // two bodies that differ only in key order are the same request: the recordings' canonical JSON says so
  return stableStringify(a) === stableStringify(b);
}
