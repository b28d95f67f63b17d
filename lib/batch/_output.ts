/**
 * The output side of a batch: what an existing output already holds (resume),
 * dropping the failed items that should be tried again, turning outputs into
 * JSON, and the latency figures.
 *
 * @module
 */

import { mayPass } from "../errors.ts";
import { toBase64 } from "../_bytes.ts";
import { JsonlAppender, readFileLines } from "./_jsonl.ts";

/** What an output file already holds, read once before a batch starts. */
export interface OutputState {
  /** Ids finished in an earlier run (answered, or failed for good). */
  ids: Map<string, "before" | "this run">;
  /** How many items of the output failed for good (an error that would repeat). */
  failedBefore: number;
  /** The first of their ids. */
  failedIds: string[];
}

/** How many failed ids a summary names. */
export const FAILED_IDS_SHOWN = 10;

/**
 * Make the output ready to resume: drop the failed items that will be tried
 * again (those whose error could pass, or all with `retryFailed`), then read
 * the ids it holds. A missing output is an empty one.
 *
 * @throws {Error} What reading or rewriting the output throws, a missing file aside.
 */
export async function prepareOutput(path: string | URL, retryFailed: boolean): Promise<OutputState> {
  await dropFailed(path, retryFailed ? () => true : (kind) => mayPass(kind));
  const state: OutputState = { ids: new Map(), failedBefore: 0, failedIds: [] };
  try {
    for await (const { text } of readFileLines(path)) {
      const line = parseLine(text);
      if (line?.id === undefined) continue;
      state.ids.set(line.id, "before");
      if (line.errorKind === undefined) continue;
      state.failedBefore++;
      if (state.failedIds.length < FAILED_IDS_SHOWN) state.failedIds.push(line.id);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return state;
}

function parseLine(text: string): { id?: string; errorKind?: string } | undefined {
  if (text.trim() === "") return undefined;
  try {
    const value = JSON.parse(text) as { id?: unknown; error?: { kind?: unknown } };
    const id = typeof value.id === "string" ? value.id : undefined;
    const errorKind = value.error === undefined ? undefined : String(value.error?.kind ?? "error");
    return { ...(id !== undefined ? { id } : {}), ...(errorKind !== undefined ? { errorKind } : {}) };
  } catch {
    return undefined;
  }
}

/** Rewrite the output without the failed items `drop` picks (streamed through a temporary file). */
async function dropFailed(path: string | URL, drop: (kind: string) => boolean): Promise<void> {
  const target = typeof path === "string" ? path : path.pathname;
  const temporary = `${target}.retry-failed.tmp`;
  let kept: JsonlAppender | undefined;
  let dropped = 0;
  try {
    await Deno.remove(temporary).catch(() => {});
    kept = await JsonlAppender.open(temporary);
    for await (const { text } of readFileLines(path)) {
      const line = parseLine(text);
      if (line === undefined) continue;
      if (line.errorKind !== undefined && drop(line.errorKind)) dropped++;
      else await kept.write(JSON.parse(text));
    }
  } catch (error) {
    await kept?.close();
    await Deno.remove(temporary).catch(() => {});
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  await kept.close();
  if (dropped > 0) await Deno.rename(temporary, target);
  else await Deno.remove(temporary);
}

/** The default serializer: bytes and Blobs as `{type, base64}`, anything else as it is. */
export async function defaultSerialize(output: unknown): Promise<unknown> {
  if (output instanceof Blob) {
    return { type: output.type, base64: toBase64(new Uint8Array(await output.arrayBuffer())) };
  }
  if (output instanceof Uint8Array) return { base64: toBase64(output) };
  return output;
}

/** Latencies in 1 ms steps up to a minute (longer ones count as a minute): fixed memory for any count. */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(60_001);
  #count = 0;
  #max = 0;

  /** Count one latency, in ms. */
  add(ms: number): void {
    this.#counts[Math.min(60_000, Math.max(0, Math.round(ms)))]!++;
    this.#count++;
    this.#max = Math.max(this.#max, ms);
  }

  /** The median, the 95th percentile and the largest. */
  summary(): { p50: number; p95: number; max: number } {
    const at = (q: number) => {
      const rank = Math.max(1, Math.ceil(q * this.#count));
      let seen = 0;
      for (let ms = 0; ms < this.#counts.length; ms++) {
        seen += this.#counts[ms]!;
        if (seen >= rank) return ms;
      }
      return this.#max;
    };
    return this.#count === 0 ? { p50: 0, p95: 0, max: 0 } : { p50: at(0.5), p95: at(0.95), max: this.#max };
  }
}
