/**
 * How fast a batch sends: a fixed rate (`--rate`), or a rate found from the
 * service's own answers when none is given. Both are p-queue interval caps in
 * strict (sliding window) mode; the adaptive gate replaces its queue when the
 * rate changes, since p-queue's cap is fixed at construction.
 *
 * The adaptive rule, in short:
 *
 * - start unlimited (only the concurrency bounds the rate);
 * - the first 429 (or a burst of 503s) reveals the limit: the new rate is what
 *   the service accepted in the second before that request (95 % of it), and
 *   every send pauses for the `Retry-After` the service asked (1 s when it
 *   asked for none), so the window the service counts can empty;
 * - a later 429 (sent after the last change) lowers the rate to the smaller of
 *   97 % of what was accepted in the second before it and 92 % of the current
 *   rate, without pausing; 429s in the second after a change are the tail of
 *   the same overshoot and change nothing;
 * - each second without a 429 raises the rate: by 2 % while it is under 97 %
 *   of the rate of the last 429, by 0.5 % above that, so the gate creeps up to
 *   a limit it has met (and follows one that rises) instead of jumping over it;
 * - a `Retry-After` of 5 s or more pauses every send that long: that is a
 *   quota, not a rate.
 *
 * Every window is 2 % longer than exact: a request reaches the service a few
 * ms after it leaves, and not always the same few ms, so an exact window puts
 * 51 requests into some second of the service's clock (measured: 2 % of
 * requests answered 429 at `--rate` equal to the limit, none with the margin).
 *
 * @module
 */

import PQueue from "p-queue";
import { abortableSleep } from "../transport/retry.ts";

/** The window the service is assumed to count in, for estimates, in ms. */
const WINDOW_MS = 1000;
/** No change for this long after a change, in ms. */
const COOL_DOWN_MS = 1000;
/** How much longer than exact each p-queue window is (see {@linkcode pacer}). */
const WINDOW_MARGIN = 1.02;
/** A `Retry-After` this long or longer pauses every send. */
const QUOTA_PAUSE_MS = 5000;
/** 503s among the last answers that count as an overload signal. */
const UNAVAILABLE_BURST = { of: 20, count: 3 };

/** What a gate reports of itself. */
export interface RateState {
  /** `fixed` (`--rate`), or `adaptive` (found from the service's answers). */
  kind: "fixed" | "adaptive";
  /** Requests per second in force; `undefined` while unlimited. */
  requestsPerSecond: number | undefined;
  /** How many times the adaptive rate went down. */
  slowdowns: number;
}

/** Permission to send, one request at a time. */
export interface RateGate {
  /** Resolve, with the time it is sent (ms), when one more request may be sent; rejects when `signal` aborts. */
  acquire(signal: AbortSignal): Promise<number>;
  /** Tell the gate how the request sent at `sentAt` (what {@linkcode RateGate.acquire} returned) was answered. */
  answered(sentAt: number, status: number, retryAfterMs?: number): void;
  /** The rate in force. */
  state(): RateState;
}

/** Parse `50`, `50/s`, `3000/min` or `0.5/s` into requests per second. */
export function parseRate(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hour))?\s*$/i.exec(text);
  const per = match?.[2]?.toLowerCase();
  const value = match
    ? Number(match[1]) / (per?.startsWith("m") ? 60 : per?.startsWith("h") ? 3600 : 1)
    : NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `Cannot run the batch: "rate" must be a positive number of requests per second like 50/s or 3000/min, got ${
        JSON.stringify(text)
      }`,
    );
  }
  return value;
}

/**
 * A p-queue that lets `requestsPerSecond` tasks start per second in a sliding
 * window: `window: "second"` counts over whole seconds, as a service's limit
 * does; `"short"` over about 1/20 s, so that a new queue (the adaptive gate
 * makes one at each change) cannot start with a burst.
 */
function pacer(requestsPerSecond: number | undefined, window: "second" | "short"): PQueue {
  if (requestsPerSecond === undefined) return new PQueue();
  const cap = Math.max(
    1,
    window === "second" ? Math.floor(requestsPerSecond) : Math.round(requestsPerSecond / 20),
  );
  // A window a little longer than exact: a request reaches the service a few ms after its start, and not always
  // the same few ms (the first one opens the connection), so an exact window would put 51 requests into some
  // second of the service's clock.
  return new PQueue({
    intervalCap: cap,
    interval: ((cap * 1000) / requestsPerSecond) * WINDOW_MARGIN,
    strict: true,
  });
}

/** A gate at a fixed rate. */
export function fixedRate(requestsPerSecond: number): RateGate {
  const queue = pacer(requestsPerSecond, "second");
  return {
    async acquire(signal) {
      await queue.add(() => undefined, { signal });
      return performance.now();
    },
    answered() {},
    state: () => ({ kind: "fixed", requestsPerSecond, slowdowns: 0 }),
  };
}

/** Options of {@linkcode adaptiveRate}. */
export interface AdaptiveRateOptions {
  /** The clock, in ms. @default {performance.now} */
  now?: () => number;
  /** Told when the rate changes. */
  onChange?: (state: RateState, why: string) => void;
}

/** A gate that finds the service's rate limit from its 429s (and bursts of 503s). */
export function adaptiveRate(options: AdaptiveRateOptions = {}): RateGate {
  const now = options.now ?? (() => performance.now());
  let rate: number | undefined;
  let queue = pacer(undefined, "short");
  let swap = new AbortController();
  let pausedUntil = 0;
  let changedAt = -Infinity;
  let calmSince = now();
  let slowdowns = 0;
  /** The rate in force when the last 429 came. */
  let ceiling = Infinity;
  /** When requests were sent, for the last few seconds. */
  const sent = new Times();
  /** When requests answered 429 were sent, for the last few seconds. */
  const rejected = new Times();
  /** Whether each of the last answers was a 503. */
  const recent: boolean[] = [];

  const state = (): RateState => ({ kind: "adaptive", requestsPerSecond: rate, slowdowns });

  function setRate(next: number, why: string) {
    rate = Math.max(0.1, next);
    changedAt = now();
    calmSince = changedAt;
    queue = pacer(rate, "short");
    swap.abort();
    swap = new AbortController();
    options.onChange?.(state(), why);
  }

  /** Requests per second the service accepted in the window before `t`: sent, less those answered 429. */
  function acceptedBefore(t: number): number {
    const count = sent.between(t - WINDOW_MS, t) - rejected.between(t - WINDOW_MS, t);
    return (Math.max(0, count) * 1000) / WINDOW_MS;
  }

  function slowDown(sentAt: number, status: number, retryAfterMs: number | undefined) {
    const t = now();
    if (retryAfterMs !== undefined && retryAfterMs >= QUOTA_PAUSE_MS) {
      pausedUntil = Math.max(pausedUntil, t + retryAfterMs);
    }
    if (sentAt < changedAt || t - changedAt < COOL_DOWN_MS) return;
    const seen = acceptedBefore(sentAt);
    slowdowns++;
    ceiling = Math.min(rate ?? seen, seen);
    if (rate === undefined) {
      pausedUntil = Math.max(pausedUntil, t + (retryAfterMs ?? 1000));
      setRate(Math.max(1, seen * 0.95), `${status}: the service's limit is about ${seen.toFixed(1)}/s`);
    } else {
      setRate(Math.min(Math.max(1, seen * 0.97), rate * 0.92), `${status}: slowing down`);
    }
  }

  return {
    async acquire(signal) {
      for (;;) {
        const wait = pausedUntil - now();
        if (wait > 0) await abortableSleep(wait, signal);
        if (rate !== undefined && now() - calmSince >= WINDOW_MS) {
          setRate(rate * (rate < ceiling * 0.97 ? 1.02 : 1.005), "no 429 for a second: speeding up");
        }
        if (rate === undefined) {
          // Unlimited: nothing to queue behind (an unlimited p-queue would start it at once anyway).
          signal.throwIfAborted();
          const at = now();
          if (pausedUntil > at) continue;
          sent.add(at, at - 3 * WINDOW_MS);
          return at;
        }
        const current = swap.signal;
        try {
          await queue.add(() => undefined, { signal: AbortSignal.any([signal, current]) });
          if (pausedUntil <= now()) {
            const at = now();
            sent.add(at, at - 3 * WINDOW_MS);
            return at;
          }
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          if (!current.aborted) throw error;
          // the rate changed while waiting: wait again, at the new rate
        }
      }
    },
    answered(sentAt, status, retryAfterMs) {
      const unavailable = status === 503;
      recent.push(unavailable);
      if (recent.length > UNAVAILABLE_BURST.of) recent.shift();
      if (status === 429) {
        rejected.add(sentAt, now() - 3 * WINDOW_MS);
        calmSince = now();
        slowDown(sentAt, status, retryAfterMs);
      } else if (unavailable && recent.filter(Boolean).length >= UNAVAILABLE_BURST.count) {
        recent.length = 0;
        calmSince = now();
        slowDown(sentAt, status, retryAfterMs);
      }
    },
    state,
  };
}

/** Times of the last few seconds, oldest first, forgotten past a horizon. */
class Times {
  #times: number[] = [];
  #start = 0;

  /** Add `t` (kept in order) and forget times older than `horizon`. */
  add(t: number, horizon: number): void {
    let i = this.#times.length;
    while (i > this.#start && this.#times[i - 1]! > t) i--;
    this.#times.splice(i, 0, t);
    while (this.#start < this.#times.length && this.#times[this.#start]! < horizon) this.#start++;
    if (this.#start > 1024) {
      this.#times = this.#times.slice(this.#start);
      this.#start = 0;
    }
  }

  /** How many times fall in `[from, to)`. */
  between(from: number, to: number): number {
    let count = 0;
    for (let i = this.#times.length - 1; i >= this.#start; i--) {
      const t = this.#times[i]!;
      if (t >= to) continue;
      if (t < from) break;
      count++;
    }
    return count;
  }
}
