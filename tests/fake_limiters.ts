/**
 * The shapes of rate limiter a service may put in front of its API, as small
 * state machines over a clock: the fake servers (tests/fake_hf_server.ts and
 * tests/bench/fake_inference_server.ts) ask one whether a request arriving
 * now is admitted, and answer 429 with its `Retry-After` when it is not.
 *
 * - `fixed-window`: at most `limit` requests per window of `windowMs`,
 *   windows aligned to the clock (whole seconds for 1000 ms); `Retry-After`
 *   is the time to the next window, in whole seconds (at least 1), or
 *   `retryAfterS` when given (a quota that always answers `Retry-After: 30`);
 * - `sliding-window`: at most `limit` requests in any `windowMs`;
 * - `token-bucket`: `rate` tokens per second, at most `burst` kept, a request
 *   takes one; `Retry-After: 1` (as the router answers);
 * - `none`: every request is admitted.
 *
 * @example A token bucket of burst 1 admits one request per 1/rate s
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLimiter } from "./fake_limiters.ts";
 *
 * let now = 0;
 * const limiter = createLimiter({ kind: "token-bucket", rate: 10, burst: 1 }, () => now);
 * assert.equal(limiter.admit(), undefined);
 * now = 50;
 * assert.equal(limiter.admit(), 1); // rejected: Retry-After 1
 * now = 100;
 * assert.equal(limiter.admit(), undefined);
 * ```
 *
 * @module
 */

/** A limiter's shape and figures. */
export type LimiterShape =
  | { kind: "fixed-window"; limit: number; windowMs: number; retryAfterS?: number }
  | { kind: "sliding-window"; limit: number; windowMs: number }
  | { kind: "token-bucket"; rate: number; burst: number }
  | { kind: "none" };

/** One limiter's state. */
export interface Limiter {
  /** Admit a request arriving now: `undefined` when admitted, else the `Retry-After` to answer, in seconds. */
  admit(): number | undefined;
  /** Requests admitted and rejected so far. */
  readonly counts: { admitted: number; rejected: number };
  /** Forget every request (counts included). */
  reset(): void;
}

/** The limiter of `shape`, reading time (ms) from `now`. */
export function createLimiter(shape: LimiterShape, now: () => number = () => performance.now()): Limiter {
  const counts = { admitted: 0, rejected: 0 };
  const decide = decider(shape, now);
  return {
    counts,
    admit() {
      const retryAfter = decide.admit();
      if (retryAfter === undefined) counts.admitted++;
      else counts.rejected++;
      return retryAfter;
    },
    reset() {
      counts.admitted = 0;
      counts.rejected = 0;
      decide.reset();
    },
  };
}

/** A short name for a shape, as the benchmark prints it. */
export function shapeName(shape: LimiterShape): string {
  switch (shape.kind) {
    case "fixed-window":
      return shape.retryAfterS !== undefined
        ? `quota ${shape.limit} per ${shape.windowMs / 1000} s, Retry-After: ${shape.retryAfterS}`
        : `fixed window ${shape.limit} per ${shape.windowMs / 1000} s`;
    case "sliding-window":
      return `sliding window ${shape.limit} per ${shape.windowMs / 1000} s`;
    case "token-bucket":
      return `token bucket ${shape.rate}/s, burst ${shape.burst}`;
    case "none":
      return "no limit";
  }
}

interface Decider {
  admit(): number | undefined;
  reset(): void;
}

function decider(shape: LimiterShape, now: () => number): Decider {
  switch (shape.kind) {
    case "fixed-window":
      return fixedWindow(shape.limit, shape.windowMs, shape.retryAfterS, now);
    case "sliding-window":
      return slidingWindow(shape.limit, shape.windowMs, now);
    case "token-bucket":
      return tokenBucket(shape.rate, shape.burst, now);
    case "none":
      return { admit: () => undefined, reset: () => {} };
  }
}

function fixedWindow(limit: number, windowMs: number, retryAfterS: number | undefined, now: () => number) {
  let window = -1;
  let count = 0;
  return {
    admit(): number | undefined {
      const t = now();
      const current = Math.floor(t / windowMs);
      if (current !== window) {
        window = current;
        count = 0;
      }
      if (count < limit) {
        count++;
        return undefined;
      }
      return retryAfterS ?? Math.max(1, Math.ceil(((current + 1) * windowMs - t) / 1000));
    },
    reset() {
      window = -1;
      count = 0;
    },
  };
}

function slidingWindow(limit: number, windowMs: number, now: () => number) {
  let admitted: number[] = [];
  return {
    admit(): number | undefined {
      const t = now();
      let drop = 0;
      while (drop < admitted.length && admitted[drop]! <= t - windowMs) drop++;
      if (drop > 0) admitted = admitted.slice(drop);
      if (admitted.length < limit) {
        admitted.push(t);
        return undefined;
      }
      return Math.max(1, Math.ceil((admitted[0]! + windowMs - t) / 1000));
    },
    reset() {
      admitted = [];
    },
  };
}

function tokenBucket(rate: number, burst: number, now: () => number) {
  let tokens = burst;
  let last: number | undefined;
  return {
    admit(): number | undefined {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - (last ?? t)) * rate) / 1000);
      last = t;
      if (tokens >= 1 - 1e-9) { // not lost to rounding at exactly 1/rate apart
        tokens = Math.max(0, tokens - 1);
        return undefined;
      }
      return 1;
    },
    reset() {
      tokens = burst;
      last = undefined;
    },
  };
}
