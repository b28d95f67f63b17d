/**
 * Reading a batch's output back: its lines, streamed, and how long the items
 * took, in buckets a chart can show.
 *
 * @module
 */

import type { BatchResult } from "./batch.ts";
import { readFileLines } from "./_jsonl.ts";

/**
 * The results of a batch output file, one at a time (lines that are not JSON
 * are skipped).
 *
 * @example Counting the failed items of an output
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchResults } from "@hf-workbook/workbook/batch";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, '{"id":"a","output":1,"attempts":1,"latency_ms":5}\n{"id":"b","error":{"kind":"validation","message":"no"},"attempts":1,"latency_ms":3}\n');
 * let failed = 0;
 * for await (const result of batchResults(path)) if (result.error) failed++;
 * assert.equal(failed, 1);
 * await Deno.remove(path);
 * ```
 */
export async function* batchResults(path: string | URL): AsyncGenerator<BatchResult> {
  for await (const { text } of readFileLines(path)) {
    if (text.trim() === "") continue;
    try {
      yield JSON.parse(text) as BatchResult;
    } catch {
      // a line cut by a crash: the next run repairs it
    }
  }
}

/** One bucket of {@linkcode latencyBuckets}. */
export interface LatencyBucket {
  /** The bucket, e.g. `100 ms – 1 s`. */
  label: string;
  /** How many items took that long. */
  value: number;
}

/**
 * How many items took how long (their last attempt), in buckets whose edges
 * are in ms: `< 100 ms`, `100 ms – 1 s`, `1 s – 10 s`, `≥ 10 s` by default.
 * Every bucket is listed, empty ones too, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { latencyBuckets } from "@hf-workbook/workbook/batch";
 *
 * const buckets = latencyBuckets([{ latency_ms: 40 }, { latency_ms: 250 }, { latency_ms: 90 }]);
 * assert.deepEqual(buckets.map((b) => b.value), [2, 1, 0, 0]);
 * assert.equal(buckets[0]!.label, "< 100 ms");
 * ```
 */
export function latencyBuckets(
  results: Iterable<Pick<BatchResult, "latency_ms">>,
  edges: readonly number[] = [100, 1000, 10_000],
): LatencyBucket[] {
  const show = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);
  const labels = [
    `< ${show(edges[0]!)}`,
    ...edges.slice(1).map((edge, i) => `${show(edges[i]!)} – ${show(edge)}`),
    `≥ ${show(edges[edges.length - 1]!)}`,
  ];
  const counts = labels.map(() => 0);
  for (const { latency_ms } of results) {
    const at = edges.findIndex((edge) => latency_ms < edge);
    counts[at === -1 ? edges.length : at]!++;
  }
  return labels.map((label, i) => ({ label, value: counts[i]! }));
}
