/**
 * Many inputs at once: JSONL in, JSONL out, at the speed the service allows
 * (concurrency, requests paced evenly at a set or a found rate), retried by
 * the errors' retry classes (lib/errors.ts), resumable, with progress.
 *
 * @module
 */

export {
  type BadLine,
  batch,
  type BatchItem,
  type BatchOptions,
  type BatchProgress,
  type BatchResult,
  type BatchSummary,
  type BatchTask,
  itemDigest,
  type ParametersOf,
} from "./batch.ts";
export { parseRate, type RateState } from "./_rate.ts";
export { batchResults, type LatencyBucket, latencyBuckets } from "./results.ts";
