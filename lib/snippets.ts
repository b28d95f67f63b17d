/**
 * The same call, in other languages: curl, Python (`requests`, the article's
 * `query(payload)`) and JavaScript (`fetch`, and `@huggingface/inference`),
 * with `$HF_TOKEN` placeholders, never a token.
 *
 * The snippets are rendered from the request the workbook itself would send:
 * the task helper is called with a `fetch` that catches its request (URL,
 * headers, body) instead of sending it. `@huggingface/inference` has a
 * snippets module too (`snippets.getInferenceSnippets`), but it renders only
 * `inputs` (parameters are dropped, zero-shot labels are its own examples) and
 * expects inputs already quoted for each language, so it cannot show the call
 * you made; its placeholders (`$HF_TOKEN`, `os.environ['HF_TOKEN']`,
 * `process.env.HF_TOKEN`) are kept here.
 *
 * @module
 */

import type { TaskOptions } from "./tasks/_run.ts";
import { createTransport } from "./transport/fetch.ts";
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
  /** JavaScript with `@huggingface/inference`'s `InferenceClient`, when the method is known. */
  huggingfaceJs?: string;
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
  /** The `@huggingface/inference` method name. @default {the task function's name} */
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

/**
 * The curl, Python and JavaScript equivalents of `task(inputs, options)`.
 *
 * @example The article's call, in three languages
 * ```ts
 * import assert from "node:assert/strict";
 * import { inferenceSnippets } from "./snippets.ts";
 * import { summarization } from "./tasks/summarization.ts";
 *
 * const snippets = await inferenceSnippets(summarization, "今天的天氣很好", {
 *   model: "csebuetnlp/mT5_multilingual_XLSum",
 *   hubTask: "summarization",
 * });
 * assert.match(snippets.curl, /router\.huggingface\.co\/hf-inference\/models\/csebuetnlp/);
 * assert.match(snippets.python, /def query\(payload\):/);
 * assert.match(snippets.javascript, /process\.env\.HF_TOKEN/);
 * ```
 */
export async function inferenceSnippets<I, O extends object>(
  task: (inputs: I, options: O) => Promise<unknown>,
  inputs: I,
  options: InferenceSnippetsOptions & Omit<O, keyof TaskOptions<unknown>> = {} as
    & InferenceSnippetsOptions
    & Omit<O, keyof TaskOptions<unknown>>,
): Promise<InferenceSnippets> {
  const request = await captureRequest(task, inputs, options);
  const method = options.method ?? (task.name || undefined);
  return renderSnippets(request, {
    ...(method ? { method } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.provider ? { provider: String(options.provider) } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.inputPath ? { inputPath: options.inputPath } : {}),
    ...(options.outputPath ? { outputPath: options.outputPath } : {}),
  });
}

/** Call `task` with a `fetch` that keeps its request instead of sending it. */
export async function captureRequest<I, O extends object>(
  task: (inputs: I, options: O) => Promise<unknown>,
  inputs: I,
  options: InferenceSnippetsOptions = {},
): Promise<CapturedRequest> {
  const { hubTask, method: _method, inputPath: _in, outputPath: _out, fetch: edge, ...taskOptions } = options;
  const provider = String(options.provider ?? "hf-inference");
  let captured: CapturedRequest | undefined;
  let lookup: typeof fetch | undefined;
  const capture = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.method === "GET" && /^https:\/\/huggingface\.co\/api\/models\//.test(request.url)) {
      if (hubTask !== undefined && provider === "hf-inference") {
        const model = options.model ??
          decodeURIComponent(new URL(request.url).pathname.slice("/api/models/".length));
        return Response.json({
          id: model,
          inferenceProviderMapping: { "hf-inference": { status: "live", providerId: model, task: hubTask } },
        });
      }
      lookup ??= createTransport({
        mode: resolveMode().mode,
        recording: "hub",
        ...(edge ? { fetch: edge } : {}),
      });
      return await lookup(request.url, { headers: { Accept: "application/json" }, redirect: "follow" });
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    const contentType = request.headers.get("content-type") ?? undefined;
    const billTo = request.headers.get("x-hf-bill-to") ?? undefined;
    captured = {
      method: request.method,
      url: request.url,
      ...(contentType ? { contentType } : {}),
      ...(bytes.length > 0 ? { body: decodeBody(bytes, contentType) } : {}),
      ...(billTo ? { billTo } : {}),
    };
    return new Response("captured for a snippet", { status: 418 });
  };
  try {
    await task(inputs, {
      ...taskOptions,
      mode: "live",
      accessToken: PLACEHOLDER_TOKEN,
      fetch: capture,
      retry: { maxAttempts: 1, maxUnavailableAttempts: 1 },
    } as unknown as O);
  } catch (error) {
    if (captured === undefined) throw error;
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

/** How {@linkcode renderSnippets} names what the request alone does not say. */
export interface RenderOptions {
  /** The `@huggingface/inference` method (`summarization`, `chatCompletion`, ...). */
  method?: string;
  /** The model id. */
  model?: string;
  /** The provider. */
  provider?: string;
  /** The dedicated endpoint. */
  endpointUrl?: string;
  /** The file a binary input comes from. */
  inputPath?: string;
  /** The file a binary answer goes to. */
  outputPath?: string;
}

/** Render a captured request as curl, Python and JavaScript. */
export function renderSnippets(request: CapturedRequest, options: RenderOptions = {}): InferenceSnippets {
  const inputPath = options.inputPath ?? "input.bin";
  const binaryBody = request.body instanceof Uint8Array;
  const json = binaryBody || request.body === undefined
    ? undefined
    : markBase64(request.body, options.inputPath);
  const usesBase64 = json !== undefined &&
    JSON.stringify(json).includes(JSON.stringify(BASE64_MARK).slice(1, -1));
  const snippets: InferenceSnippets = {
    request,
    curl: curl(request, json, binaryBody, inputPath, options.outputPath, usesBase64),
    python: python(request, json, binaryBody, inputPath, options.outputPath, usesBase64),
    javascript: javascript(request, json, binaryBody, inputPath, options.outputPath, usesBase64),
  };
  const client = huggingfaceJs(request, json, binaryBody, inputPath, options, usesBase64);
  if (client) snippets.huggingfaceJs = client;
  return snippets;
}

/** Replace a base64 copy of a binary input (sent when parameters come along) by a marker. */
function markBase64(body: unknown, inputPath: string | undefined): unknown {
  if (inputPath === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    return body;
  }
  const inputs = (body as Record<string, unknown>).inputs;
  if (typeof inputs === "string" && inputs.length > 64 && /^[A-Za-z0-9+/]+=*$/.test(inputs)) {
    return { ...body, inputs: BASE64_MARK };
  }
  return body;
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

function huggingfaceJs(
  request: CapturedRequest,
  json: unknown,
  binaryBody: boolean,
  inputPath: string,
  options: RenderOptions,
  usesBase64: boolean,
): string | undefined {
  if (!options.method) return undefined;
  const args: Record<string, unknown> = {};
  if (options.endpointUrl) args.endpointUrl = options.endpointUrl;
  else {
    const model = options.model ??
      /\/models\/([^?]+?)(?:\/pipeline\/[\w-]+)?$/.exec(new URL(request.url).pathname)?.[1];
    if (model) args.model = model;
    args.provider = options.provider ?? "hf-inference";
  }
  let body = json;
  if (binaryBody || usesBase64) {
    const parameters = usesBase64 ? (json as Record<string, unknown>).parameters : undefined;
    body = { inputs: "\u0000blob\u0000", ...(parameters !== undefined ? { parameters } : {}) };
  }
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (key === "model" && args.model !== undefined) continue;
      args[key] = value;
    }
  }
  const lines = ['import { InferenceClient } from "@huggingface/inference";'];
  if (binaryBody || usesBase64) lines.push('import { readFile } from "node:fs/promises";');
  lines.push("", "const client = new InferenceClient(process.env.HF_TOKEN);");
  const call = toJs(args).replace(
    JSON.stringify("\u0000blob\u0000"),
    `new Blob([await readFile(${JSON.stringify(inputPath)})])`,
  );
  lines.push(
    `const output = await client.${options.method}(${call}${
      request.billTo ? `, { billTo: ${JSON.stringify(request.billTo)} }` : ""
    });`,
  );
  lines.push("console.log(output);");
  return lines.join("\n");
}
