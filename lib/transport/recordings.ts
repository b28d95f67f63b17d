/**
 * Recorded HTTP interactions: one readable JSON file per task in recordings/,
 * binary response bodies as sibling files. A request is found by its method,
 * URL and canonical body (JSON key order does not matter; binary bodies by
 * SHA-256 digest). Every interaction says where it came from (`origin`).
 *
 * @module
 */

import { pathOfFileUrl } from "../_paths.ts";
import { redact } from "../env.ts";

/** Where a recorded interaction came from, so no reader mistakes an authored example for a live answer. */
export type Origin =
  | {
    /** Recorded live from the service by `deno task record` (or `HF_MODE=record` / `cache`). */
    kind: "recorded";
    /** The day it was recorded, `YYYY-MM-DD`. */
    date: string;
    /** Anything worth knowing. */
    note?: string;
  }
  | {
    /** A real response of the service, quoted by a publication (the article), not recorded by this project. */
    kind: "published";
    /** Where it was published. */
    source: string;
    /** Anything worth knowing. */
    note?: string;
  }
  | {
    /** A real response of the service, recorded by Hugging Face's own client test suites (their tapes). */
    kind: "upstream";
    /** The repository whose tapes hold it: `huggingface/huggingface.js` or `huggingface/huggingface_hub`. */
    repository: string;
    /** The commit of that repository the tape was taken from (40 hex digits). */
    commit: string;
    /** The day it was recorded, `YYYY-MM-DD`. */
    date: string;
    /** Anything worth knowing (e.g. the URL it was recorded at, when that is not today's). */
    note?: string;
  }
  | {
    /** Written by hand after a documented or recorded shape: an example, not the service's answer. */
    kind: "authored";
    /** The documentation or recording whose shape it follows. */
    after: string;
    /** Anything worth knowing. */
    note?: string;
  };

/** A recorded request. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Full URL (secrets scrubbed). */
  url: string;
  /** The body: JSON as a value, text as a string. Absent for no body. */
  body?: unknown;
  /** How the body is stored: `json` (default when `body` is not a string), `text`, or `binary` (`bodyDigest`). */
  bodyKind?: "json" | "text" | "binary";
  /** `sha256:<hex>` of a binary body. */
  bodyDigest?: string;
}

/** A recorded response. */
export interface RecordedResponse {
  /** HTTP status. */
  status: number;
  /** A safe subset of the response headers. */
  headers: Record<string, string>;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
  /** The body as text, when it was text (or JSON that does not parse). */
  text?: string;
  /** A sibling file (relative to the recordings folder) holding a binary body. */
  file?: string;
}

/** One request and its response. */
export interface Interaction {
  /** Where it came from. */
  origin: Origin;
  /** The request. */
  request: RecordedRequest;
  /** The response. */
  response: RecordedResponse;
  /**
   * The answers to the same request sent again, in order: a job's status
   * polled until it is done answers "in progress", then "done". The n-th
   * repeat of the request in one transport is answered by `later[n - 1]` (the
   * last one once they run out).
   */
  later?: RecordedResponse[];
}

/** The content of one recordings file. */
export interface RecordingFile {
  /** The task (or `query`, `hub`) the file holds. */
  task: string;
  /** What the file is for. */
  description?: string;
  /** The interactions, in the order they were added. */
  interactions: Interaction[];
}

/** Response headers worth keeping: nothing that identifies the account or the session. */
const KEPT_HEADERS = [
  "content-type",
  "retry-after",
  "ratelimit",
  "ratelimit-policy",
  "location",
  "x-error-code",
  "x-error-message",
  "x-compute-type",
];

/** A request as the transport sees it. */
export interface RequestShape {
  /** HTTP method. */
  method: string;
  /** Full URL. */
  url: string;
  /** The body's bytes (empty for none). */
  body: Uint8Array;
  /** The request's content type, if any. */
  contentType?: string | null;
  /** The request's headers (never recorded). */
  headers?: Headers;
}

/** The body of a request in its canonical, storable form. */
export interface CanonicalBody {
  /** How it is stored. */
  kind: "none" | "json" | "text" | "binary";
  /** JSON value or text (redacted); absent for none and binary. */
  value?: unknown;
  /** The canonical text the key is computed from. */
  canonical: string;
}

/**
 * The canonical form of a request body: JSON with sorted keys, text as is,
 * binary by SHA-256 digest; secrets scrubbed.
 *
 * @example Key order does not matter
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalBody } from "@hf-workbook/workbook/transport";
 *
 * const enc = new TextEncoder();
 * const a = await canonicalBody(enc.encode('{"inputs":"x","parameters":{"b":1,"a":2}}'));
 * const b = await canonicalBody(enc.encode('{"parameters":{"a":2,"b":1},"inputs":"x"}'));
 * assert.equal(a.canonical, b.canonical);
 * ```
 */
export async function canonicalBody(bytes: Uint8Array): Promise<CanonicalBody> {
  if (bytes.length === 0) return { kind: "none", canonical: "" };
  const text = utf8(bytes);
  if (text === undefined) return { kind: "binary", canonical: `sha256:${await sha256Hex(bytes)}` };
  try {
    const value = scrubJson(JSON.parse(text));
    return { kind: "json", value, canonical: stableStringify(value) };
  } catch {
    const value = redact(text);
    return { kind: "text", value, canonical: value };
  }
}

/** The text of `bytes` when they are UTF-8, else `undefined` (a binary body). */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The key a request is recorded under: `METHOD URL sha256(canonical body)`. */
export async function requestKey(method: string, url: string, canonical: string): Promise<string> {
  const digest = canonical === "" ? "-" : await sha256Hex(new TextEncoder().encode(canonical));
  return `${method.toUpperCase()} ${normalizeUrl(url)} ${digest}`;
}

/** A short digest of a canonical body, for messages. */
export async function shortDigest(canonical: string): Promise<string> {
  if (canonical === "") return "(none)";
  return `sha256:${(await sha256Hex(new TextEncoder().encode(canonical))).slice(0, 12)}`;
}

/**
 * JSON with object keys sorted at every depth, so equal values give equal
 * text: the workbook's one canonical JSON (recording keys, batch digests,
 * snippet comparisons, re-recording diffs).
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function scrubJson(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = /^(access_?token|authorization|api_?key)$/i.test(k) ? "hf_***" : scrubJson(v);
    }
    return out;
  }
  return value;
}

/** The URL as recorded: parsed, re-serialised and scrubbed. */
function normalizeUrl(url: string): string {
  let href = url;
  try {
    href = new URL(url).href;
  } catch {
    // keep it as given
  }
  return redact(href);
}

/** The headers of a response that a recording keeps. */
function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) out[name] = redact(value);
  }
  return out;
}

/** SHA-256 of bytes, as lower-case hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A response found in the recordings, ready to be turned into a `Response`. */
export interface ReplayedResponse {
  /** The interaction. */
  interaction: Interaction;
  /** The recordings file it is in. */
  file: string;
  /** The answer for this repeat of the request: `response`, or one of `later` (see {@linkcode Interaction.later}). */
  response: RecordedResponse;
}

/**
 * The recordings in one folder: an index from request key to interaction,
 * read once, and writes that keep each file readable and sorted by insertion.
 */
export class RecordingStore {
  /** The folder, as a path. */
  readonly dir: string;
  #index: Promise<Map<string, ReplayedResponse>> | undefined;
  #files = new Map<string, Promise<Map<string, ReplayedResponse>>>();
  #writes: Promise<void> = Promise.resolve();

  /** A store for the folder `dir` (a path or a `file:` URL). */
  constructor(dir: string | URL) {
    this.dir = (typeof dir === "string" ? dir : pathOfFileUrl(dir)).replace(/(?<=.)[\\/]$/, "");
  }

  /**
   * The interaction recorded for `key`, if any, with the answer for its
   * `repeat`-th sending in one transport (0 for the first). With `task`, that
   * task's file (`<task>.json`, where the call records) is read first, and the
   * whole folder only when it does not hold the request: one call reads one file.
   */
  async find(key: string, repeat = 0, task?: string): Promise<ReplayedResponse | undefined> {
    const named = task !== undefined && /^[a-z0-9_-]+$/.test(task);
    const own = named ? (await this.#loadFile(`${task}.json`)).get(key) : undefined;
    const found = own ?? (await this.#load()).get(key);
    if (found === undefined || repeat === 0) return found;
    const later = found.interaction.later ?? [];
    const response = later[Math.min(repeat, later.length) - 1] ?? found.interaction.response;
    return { ...found, response };
  }

  /** Every recorded interaction, with the file each is in. */
  async all(): Promise<ReplayedResponse[]> {
    return [...(await this.#load()).values()];
  }

  /** The bytes of a response body: from its sibling file, its text, or its JSON. */
  async bodyOf(response: RecordedResponse): Promise<Uint8Array> {
    if (response.file !== undefined) return await Deno.readFile(`${this.dir}/${response.file}`);
    if (response.text !== undefined) return new TextEncoder().encode(response.text);
    if (response.json !== undefined) return new TextEncoder().encode(JSON.stringify(response.json));
    return new Uint8Array();
  }

  /**
   * Add (or replace, for the same request) an interaction in `<task>.json`;
   * a binary response body is written beside it. Writes are serialised. A
   * `repeat` above 0 (the same request sent again in one transport, such as a
   * job's status poll) is added to the interaction's `later` answers instead.
   */
  save(
    task: string,
    request: RequestShape,
    canonical: CanonicalBody,
    response: {
      status: number;
      headers: Headers;
      body: Uint8Array;
    },
    origin: Origin,
    repeat = 0,
  ): Promise<void> {
    const write = this.#writes.then(() => this.#save(task, request, canonical, response, origin, repeat));
    this.#writes = write.catch(() => {});
    return write;
  }

  async #save(
    task: string,
    request: RequestShape,
    canonical: CanonicalBody,
    response: {
      status: number;
      headers: Headers;
      body: Uint8Array;
    },
    origin: Origin,
    repeat: number,
  ): Promise<void> {
    if (!/^[a-z0-9_-]+$/.test(task)) {
      throw new TypeError(`Cannot record: task name "${task}" is not a file name`);
    }
    await Deno.mkdir(this.dir, { recursive: true });
    const path = `${this.dir}/${task}.json`;
    let file: RecordingFile;
    try {
      file = JSON.parse(await Deno.readTextFile(path)) as RecordingFile;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      file = { task, interactions: [] };
    }
    const key = await requestKey(request.method, request.url, canonical.canonical);
    const recordedRequest: RecordedRequest = {
      method: request.method.toUpperCase(),
      url: normalizeUrl(request.url),
    };
    if (canonical.kind === "json") recordedRequest.body = canonical.value;
    if (canonical.kind === "text") {
      Object.assign(recordedRequest, { body: canonical.value, bodyKind: "text" });
    }
    if (canonical.kind === "binary") {
      Object.assign(recordedRequest, { bodyKind: "binary", bodyDigest: canonical.canonical });
    }
    const recordedResponse = await this.#responseOf(task, response);
    const interaction: Interaction = { origin, request: recordedRequest, response: recordedResponse };
    const keys = await Promise.all(file.interactions.map((i) => keyOfInteraction(i)));
    const at = keys.indexOf(key);
    const earlier = at >= 0 ? file.interactions[at] : undefined;
    const kept = repeat > 0 && earlier !== undefined
      ? { ...earlier, later: [...(earlier.later ?? []), recordedResponse] }
      : interaction;
    if (at >= 0) file.interactions[at] = kept;
    else file.interactions.push(kept);
    await Deno.writeTextFile(path, redact(JSON.stringify(file, null, 2)) + "\n");
    const replayed = { interaction: kept, file: `${task}.json`, response: kept.response };
    (await this.#load()).set(key, replayed);
    (await this.#files.get(`${task}.json`))?.set(key, replayed);
  }

  async #responseOf(task: string, response: { status: number; headers: Headers; body: Uint8Array }) {
    const headers = keptHeaders(response.headers);
    const type = response.headers.get("content-type") ?? "";
    const out: RecordedResponse = { status: response.status, headers };
    const isText = /json|text\/|event-stream|xml|html/.test(type) ||
      (type === "" && response.body.length === 0);
    if (isText) {
      const text = redact(new TextDecoder().decode(response.body));
      if (type.includes("json")) {
        try {
          out.json = JSON.parse(text);
          return out;
        } catch {
          // keep it as text: truncated or broken JSON is worth recording as it came
        }
      }
      out.text = text;
      return out;
    }
    const name = `${task}.${(await sha256Hex(response.body)).slice(0, 12)}.${extensionOf(type)}`;
    await Deno.writeFile(`${this.dir}/${name}`, response.body);
    out.file = name;
    return out;
  }

  #load(): Promise<Map<string, ReplayedResponse>> {
    this.#index ??= loadIndex(this.dir);
    return this.#index;
  }

  /** The index of one file of the folder (empty when it does not exist). */
  #loadFile(name: string): Promise<Map<string, ReplayedResponse>> {
    let index = this.#files.get(name);
    if (index === undefined) {
      index = addFile(new Map(), this.dir, name, true);
      this.#files.set(name, index);
    }
    return index;
  }
}

/** The key of a recorded interaction, computed as the transport computes it for a live request. */
export async function keyOfInteraction(interaction: Interaction): Promise<string> {
  const r = interaction.request;
  let canonical = "";
  if (r.bodyKind === "binary") canonical = r.bodyDigest ?? "";
  else if (r.bodyKind === "text") canonical = typeof r.body === "string" ? r.body : "";
  else if (r.body !== undefined) canonical = stableStringify(r.body);
  return await requestKey(r.method, r.url, canonical);
}

async function loadIndex(dir: string): Promise<Map<string, ReplayedResponse>> {
  const index = new Map<string, ReplayedResponse>();
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".json"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return index;
    throw error;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) await addFile(index, dir, entry.name, false);
  return index;
}

/** Add the interactions of `dir/name` to `index` (the first of a key wins); a missing file adds none when `optional`. */
async function addFile(
  index: Map<string, ReplayedResponse>,
  dir: string,
  name: string,
  optional: boolean,
): Promise<Map<string, ReplayedResponse>> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/${name}`);
  } catch (error) {
    if (optional && error instanceof Deno.errors.NotFound) return index;
    throw error;
  }
  const file = JSON.parse(text) as RecordingFile;
  if (!Array.isArray(file.interactions)) {
    throw new TypeError(`Cannot read recordings: ${dir}/${name} has no "interactions" list`);
  }
  // The digests at once, not one after another: translation.json (13 interactions) is indexed about 1 ms
  // sooner, the whole folder (168) some 5 ms.
  const keys = await Promise.all(file.interactions.map(keyOfInteraction));
  file.interactions.forEach((interaction, i) => {
    const key = keys[i]!;
    if (!index.has(key)) index.set(key, { interaction, file: name, response: interaction.response });
  });
  return index;
}

function extensionOf(contentType: string): string {
  const type = contentType.split(";")[0]?.trim() ?? "";
  const known: Record<string, string> = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/flac": "flac",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "video/mp4": "mp4",
    "video/webm": "webm",
  };
  return known[type] ?? "bin";
}
