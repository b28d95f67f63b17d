/**
 * Polling a provider's job until it is done: a wait between polls (the
 * provider's own interval, or what its `Retry-After` asks), the caller's
 * `AbortSignal` during every wait, and a deadline after which the job is
 * given up with an {@linkcode HfJobTimeoutError}.
 *
 * @module
 */

import { abortableSleep, serverAskedDelay } from "../transport/retry.ts";
import { HfJobTimeoutError } from "./errors.ts";

/** How long a job may take, from its submission to its last status poll: 10 minutes. */
export const DEFAULT_POLL_DEADLINE_MS = 600_000;

/** One status poll, as {@linkcode PollOptions.onPoll} is told of it. */
export interface PollEvent {
  /** The provider, e.g. `fal-ai`. */
  provider: string;
  /** The provider's id of the job. */
  jobId: string;
  /** The job's status as the provider spelled it (`IN_QUEUE`, `processing`, ...). */
  status: string;
  /** How many status polls were made so far (0 for the submission's answer). */
  polls: number;
  /** Milliseconds since the job was submitted. */
  elapsedMs: number;
}

/** How a provider's job is polled. */
export interface PollOptions {
  /**
   * The longest wait for a job, from its submission to its result; past it
   * the call fails with an `HfJobTimeoutError` (the job may still finish at
   * the provider). @default {600000} (10 minutes)
   */
  deadlineMs?: number;
  /**
   * The wait between two status polls when the provider asks for none with
   * `Retry-After`. When not given: the provider's own: 500 ms (fal-ai, replicate, wavespeed, novita), 2 s (together), 5 s (novita MiniMax).
   */
  intervalMs?: number;
  /** Told of every status the job reports, the submission's answer included (progress, logs). */
  onPoll?: (event: PollEvent) => void;
  /** The wait between polls; tests inject one that returns at once. When not given: a timer that the signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock the deadline is counted on; tests inject one. @default {Date.now} */
  now?: () => number;
}

/** What one look at a job says. */
export type JobState<T> =
  | { done: true; status: string; value: T }
  | {
    done: false;
    status: string;
    /** What the answer's `Retry-After` asked for, in ms. */
    retryAfterMs?: number;
  };

/** A job to poll. */
export interface Job<T> {
  /** The provider. */
  provider: string;
  /** The provider's id of the job. */
  jobId: string;
  /** The provider's own wait between polls. */
  intervalMs: number;
  /** What the submission's answer said. */
  first: JobState<T>;
  /** One status poll (it throws `HfJobFailedError` for a failed job). */
  check: () => Promise<JobState<T>>;
}

/**
 * Poll `job` until it is done and return its value. Every wait honours the
 * signal; a wait that would pass the deadline is not started: the
 * {@linkcode HfJobTimeoutError} comes at once. `skipWaits` (replay: the
 * answers are recorded) polls without waiting, still in order.
 *
 * @example A job done on its second poll, with an injected sleep
 * ```ts
 * import assert from "node:assert/strict";
 * import { pollJob } from "./_poll.ts";
 *
 * const waits: number[] = [];
 * const answers = [{ done: false as const, status: "IN_PROGRESS", retryAfterMs: 2000 }, { done: true as const, status: "COMPLETED", value: "ok" }];
 * const value = await pollJob({
 *   provider: "fal-ai",
 *   jobId: "req-1",
 *   intervalMs: 500,
 *   first: { done: false, status: "IN_QUEUE" },
 *   check: () => Promise.resolve(answers.shift()!),
 * }, { sleep: (ms) => (waits.push(ms), Promise.resolve()) });
 * assert.equal(value, "ok");
 * assert.deepEqual(waits, [500, 2000]);
 * ```
 *
 * @throws {HfJobTimeoutError} When the job is not done by the deadline.
 */
export async function pollJob<T>(
  job: Job<T>,
  options: PollOptions = {},
  signal?: AbortSignal,
  skipWaits = false,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const deadlineMs = options.deadlineMs ?? DEFAULT_POLL_DEADLINE_MS;
  const started = now();
  let state = job.first;
  let polls = 0;
  const tell = () =>
    options.onPoll?.({
      provider: job.provider,
      jobId: job.jobId,
      status: state.status,
      polls,
      elapsedMs: now() - started,
    });
  tell();
  while (!state.done) {
    const waitMs = state.retryAfterMs ?? options.intervalMs ?? job.intervalMs;
    if (now() - started + (skipWaits ? 0 : waitMs) > deadlineMs) {
      throw new HfJobTimeoutError(job.provider, job.jobId, state.status, deadlineMs, polls);
    }
    signal?.throwIfAborted();
    if (!skipWaits) await sleep(waitMs, signal);
    signal?.throwIfAborted();
    state = await job.check();
    polls++;
    tell();
  }
  return state.value;
}

/** The wait an answer's `Retry-After` (or `RateLimit`) header asks for, in ms. */
export function retryAfterOf(headers: Headers): number | undefined {
  return serverAskedDelay(headers);
}
