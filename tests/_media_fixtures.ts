/**
 * Test fixtures for the image and audio task helpers: the project's own
 * picture and clips, a fetch that answers the provider-mapping look-up and
 * the task call (JSON or bytes) and keeps every request's bytes, and the real
 * interactions of a task in ../shared/reference/hf-recorded, by provider.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type ReferenceInteraction, referenceInteractions } from "./_helpers.ts";
import { mappingAnswer } from "./_reference_tasks.ts";

export { NO_WAIT } from "./_reference_tasks.ts";

const ASSETS = new URL("../notebooks/assets/", import.meta.url);

/** The picture the notebooks use (notebooks/assets/apple_on_window.png, drawn by tests/assets.ts). */
export const PICTURE: Uint8Array = Deno.readFileSync(new URL("apple_on_window.png", ASSETS));
/** The Mandarin clip (espeak-ng). */
export const ZH_WAV: Uint8Array = Deno.readFileSync(new URL("apple_zh.wav", ASSETS));
/** The English clip (espeak-ng). */
export const EN_WAV: Uint8Array = Deno.readFileSync(new URL("apple_en.wav", ASSETS));
/** The picture's path, as a notebook in notebooks/ would not write it (tests run from the root). */
export const PICTURE_PATH: string = new URL("apple_on_window.png", ASSETS).pathname;

/** A request a {@linkcode mediaFetch} saw. */
export interface SeenBytes {
  /** The method. */
  method: string;
  /** The URL. */
  url: string;
  /** The request's headers. */
  headers: Headers;
  /** The body's bytes. */
  bytes: Uint8Array;
  /** The body as text. */
  text: string;
}

/** What the task call answers: JSON, or bytes with a content type. */
export type MediaAnswer =
  | { json: unknown; status?: number }
  | { bytes: Uint8Array; type: string; status?: number }
  | { text: string; type: string; status?: number };

/**
 * A fetch that answers provider-mapping look-ups (hf-inference serves the
 * model for `task`) and every other request with `answer` (or what a function
 * of the request returns), and keeps every request it saw.
 */
export function mediaFetch(
  task: string,
  answer: MediaAnswer | ((seen: SeenBytes) => MediaAnswer),
): { fetch: typeof fetch; calls: SeenBytes[]; posts: () => SeenBytes[] } {
  const calls: SeenBytes[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const bytes = new Uint8Array(await request.arrayBuffer());
    const seen = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      bytes,
      text: new TextDecoder().decode(bytes),
    };
    calls.push(seen);
    if (request.method === "GET" && request.url.includes("/api/models/")) {
      return mappingAnswer(request.url, task);
    }
    const a = typeof answer === "function" ? answer(seen) : answer;
    const status = a.status ?? 200;
    if ("json" in a) return Response.json(a.json, { status });
    if ("bytes" in a) {
      return new Response(a.bytes as Uint8Array<ArrayBuffer>, {
        status,
        headers: { "content-type": a.type },
      });
    }
    return new Response(a.text, { status, headers: { "content-type": a.type } });
  };
  return { fetch, calls, posts: () => calls.filter((c) => c.method === "POST") };
}

/** A fetch that must not be called: it records the call and rejects. */
export function noNetwork(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: (input: RequestInfo | URL) => {
      calls.push(String(input instanceof Request ? input.url : input));
      return Promise.reject(new Error("the network must not be reached"));
    },
  };
}

/** Base64 of bytes. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** Bytes of base64. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** A real interaction of a task, with where it is. */
export interface RealCase extends ReferenceInteraction {
  /** `interactions.json#12`. */
  where: string;
  /** Why the body is missing or damaged, when the reference says so. */
  responseBodyNote?: string;
}

/** Every interaction of `task` in ../shared/reference/hf-recorded (both files). */
export async function realCases(task: string): Promise<RealCase[]> {
  const out: RealCase[] = [];
  for (const name of ["interactions.json", "hub_cassettes.json"] as const) {
    (await referenceInteractions(name)).forEach((x, i) => {
      if (x.task === task) out.push({ ...x, where: `${name}#${i}` });
    });
  }
  return out;
}

/** A minimal WAV header with `seconds` of silence at 16 kHz. */
export function silentWav(seconds = 0.1): Uint8Array {
  const samples = Math.round(16000 * seconds);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode("RIFF"), 0);
  view.setUint32(4, 36 + samples * 2, true);
  bytes.set(new TextEncoder().encode("WAVEfmt "), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 16000, true);
  view.setUint32(28, 32000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  bytes.set(new TextEncoder().encode("data"), 36);
  view.setUint32(40, samples * 2, true);
  return bytes;
}
