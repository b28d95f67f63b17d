/**
 * How fast a batch sends. Requests leave evenly, one every 1/R s (a GCRA, the
 * "virtual scheduling" form of a leaky bucket, with a small burst allowed
 * after a quiet spell), so that every shape of limiter a service may use
 * accepts them: a fixed window (whole seconds), a sliding window, a token
 * bucket of any burst. A p-queue interval cap would send R at once at the
 * start of each second, which a token bucket (or any window shorter than a
 * second) rejects.
 *
 * R is found from the service's answers, from above and from below:
 *
 * - with `--rate`, R starts at the rate given and never goes above it; without,
 *   there is no pacing until 429s come (only the concurrency bounds the rate);
 * - the first request of a run goes alone (a probe): the others wait for its
 *   answer, or 50 ms (a limiter answers at once). It opens the first
 *   connection, which makes it reach the service late, and a bad token or
 *   model is then met by one request, not by C;
 * - a 429 now and then (fewer than 2 among the last 100 answers, 10 with
 *   `--rate`: the rate given is the service's own) is a request that came a
 *   little early by the service's clock: it goes back in the queue, the rate
 *   stays and every interval widens by 1 % (up to 10 %);
 * - more is a limit met (from a request sent after the last change, 10 of them
 *   at least, or at once while unlimited): the rate that met it is the new
 *   upper bound, and R falls to the last rate that ran clean or to 97 % of what
 *   the service accepted in the second before, whichever is lower (a set rate
 *   by 10 % at most at a time; an unlimited start, C requests at once, to half
 *   of what it sent at least, as TCP halves on a loss);
 * - a calm spell (no 429 for a second, or 20 requests) at a rate that bound the
 *   sends is a lower bound, and R rises half way to the upper bound: a
 *   bisection that settles within 1 % of the limit; after 5 s without a 429 the
 *   upper bound creeps 2 % at each calm spell, so the gate follows a limit that
 *   rises (and forgets a 429 that was not one);
 * - after a limit is met, a probe goes first again: when it meets a 429 too,
 *   the service's window is closed, and the gate waits (twice as long each
 *   time, up to the `Retry-After`) before the next probe;
 * - a `Retry-After` of 5 s or more is a quota, not a rate: every send waits
 *   that long, then a probe goes first, and the rate is left as it was;
 * - a burst of 503s (5 among the last 20 answers) is an overload: as a limit met.
 *
 * Every pacing interval is a little longer than exact, because a request
 * reaches the service some time after it leaves, and not always the same time:
 * Deno writes a request only once JavaScript yields, and on the project's
 * 2-core machine the delay from `fetch()` to a loopback server's handler
 * scatters by about a millisecond (p99 1 to 1.6 ms, in a script that does
 * nothing else as in the batch). A token bucket of burst 1 rejects a request
 * that arrives less than 1/R after the one before, so the margin must cover
 * that scatter: 6 % at the start (1.2 ms at 50/s), 0.5 % narrower after each 70
 * answers without a 429, down to 1 %, and 1 % wider after each early 429, up to
 * 10 %. A service that takes bursts never answers 429 at R and its margin falls
 * to 1 %.
 *
 * Timers fire a millisecond or two late (at 50/s, 5 to 10 % of the rate, lost
 * for good: an even schedule cannot catch up without sending two requests
 * closer than 1/R), so the gate's timer is set up to 2 ms early and the last
 * stretch is waited actively; a send that is late anyway lets the next one
 * catch up by half the margin at most.
 *
 * @module
 */

/** How much longer than exact each interval is: at the start, at least, at most, and how it moves (see above). */
const MARGIN = { start: 1.06, least: 1.01, most: 1.1, step: 0.01, calmAnswers: 70, calmStep: 0.005 };
/** A `Retry-After` this long or longer pauses every send (a quota). */
export const QUOTA_PAUSE_MS = 5000;
/** The window the service is assumed to count in, for estimates, in ms. */
const WINDOW_MS = 1000;
/** Bounds this close together (as a share of the upper one) have found the limit. */
const SETTLED = 0.01;
/** Calm this long (no 429), the upper bound creeps up 2 % at each calm spell. */
const CREEP_MS = 5_000;
/** The lowest rate, requests per second. */
const MIN_RATE = 0.05;
/** How long a probe holds the others back at least, in ms: a limiter answers 429 at once, a slower answer passed. */
const PROBE_HOLD_MS = 50;
/** 429s among the last answers that a limit met gives, and fewer are requests a little early: `count` in `of`. */
const STRAY = { of: 100, count: 2 };
/** With `--rate` the rate given is the service's: a limit met is this many 429s among the last answers. */
const FIXED_STRAY = { of: 100, count: 10 };
/** 503s among the last answers that count as an overload signal. */
const UNAVAILABLE_BURST = { of: 20, count: 5 };

/** What a gate reports of itself. */
export interface RateState {
  /** `fixed` (`--rate`, a ceiling), or `adaptive` (found from the service's answers). */
  kind: "fixed" | "adaptive";
  /** Requests per second in force; `undefined` while unlimited. */
  requestsPerSecond: number | undefined;
  /** How many times the rate went down. */
  slowdowns: number;
}

/** Permission to send, one request at a time. */
export interface RateGate {
  /** Resolve, with the time it is sent (ms), when one more request may be sent; rejects when `signal` aborts. */
  acquire(signal: AbortSignal): Promise<number>;
  /**
   * Tell the gate how the request sent at `sentAt` (what {@linkcode RateGate.acquire} returned) was answered:
   * its status, 0 when it got no answer.
   */
  answered(sentAt: number, status: number, retryAfterMs?: number): void;
  /** The rate in force. */
  state(): RateState;
}

/** The clock a gate reads and sets timers on (tests inject a fake one). */
export interface GateClock {
  /** The time, in ms. */
  now(): number;
  /** Call `fn` in `ms`; returns what {@linkcode GateClock.clear} takes. */
  set(fn: () => void, ms: number): unknown;
  /** Cancel a timer. */
  clear(handle: unknown): void;
  /** Wait actively until `at`, a millisecond or two away (a fake clock has none: the gate sets a timer then). */
  spinUntil?(at: number): void;
}

/** Options of {@linkcode createRateGate}. */
export interface RateGateOptions {
  /** A ceiling in requests per second (`--rate`); without it the gate is adaptive and starts unlimited. */
  rate?: number;
  /** Requests that may leave back to back after a quiet spell. @default {1} */
  burst?: number;
  /** The clock. When not given: performance.now and setTimeout. */
  clock?: GateClock;
  /** Told when the rate changes, with why. */
  onChange?: (state: RateState, why: string) => void;
}

const REAL_CLOCK: GateClock = {
  now: () => performance.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as number),
  spinUntil: (at) => {
    while (performance.now() < at) {
      // the last millisecond or so before a send: a timer would fire late
    }
  },
};

/** How early the gate's timer is set, at most, in ms (the rest is waited actively). */
const EARLY_MS = 2;

/**
 * Parse `50`, `50/s`, `3000/min` or `0.5/s` into requests per second.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRate } from "@hf-workbook/workbook/batch";
 *
 * assert.equal(parseRate("3000/min"), 50);
 * assert.throws(() => parseRate("fast"), RangeError);
 * ```
 *
 * @throws {RangeError} when `text` is not a positive rate.
 */
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
 * The gate of a batch: fixed ceiling (`rate`) or adaptive, paced evenly.
 *
 * @example Requests leave 1/R s apart, however many wait
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRateGate } from "./_rate.ts";
 *
 * const gate = createRateGate({ rate: 50 });
 * const signal = new AbortController().signal;
 * const times = await Promise.all([1, 2, 3].map(() => gate.acquire(signal)));
 * assert.ok(times[1]! - times[0]! >= 50); // the first goes alone, a probe: nobody answers it here
 * assert.ok(times[2]! - times[1]! >= 20); // then 1/R apart, and the margin
 * ```
 */
export function createRateGate(options: RateGateOptions = {}): RateGate {
  return new Gate(options);
}

interface Waiter {
  resolve: (sentAt: number) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/** The rate found so far: a bisection between what ran clean and what met a 429. */
class Bounds {
  /** The highest rate that ran clean (0: none yet). */
  lo = 0;
  /** The lowest rate that met a 429. */
  hi = Infinity;

  /**
   * A 429 at `rate`, when the service's answers put its rate at `estimate`: the rate to fall to, what ran
   * clean or the estimate, whichever is lower (a rate that ran clean under a burst allowance may not be).
   */
  limitMet(rate: number, estimate: number): number {
    this.hi = Math.min(this.hi, rate);
    if (this.lo >= this.hi * (1 - SETTLED / 2) || estimate < this.lo) this.lo = 0; // it does not run clean now
    return this.lo > 0 ? this.lo : estimate;
  }

  /** A calm spell at `rate`, `calmMs` after the last 429: the rate to rise to. */
  calm(rate: number, calmMs: number): number {
    this.lo = Math.max(this.lo, rate);
    if (!Number.isFinite(this.hi)) return rate * 1.25;
    // Calm for long: the upper bound may have been met by requests that came a little early, or the limit rose.
    if (calmMs >= CREEP_MS) this.hi *= 1.02;
    return this.hi - this.lo <= this.hi * SETTLED ? this.lo : (this.lo + this.hi) / 2;
  }
}

class Gate implements RateGate {
  readonly #clock: GateClock;
  readonly #ceiling: number;
  readonly #burst: number;
  readonly #onChange: ((state: RateState, why: string) => void) | undefined;
  readonly #bounds = new Bounds();
  #rate: number | undefined;
  #slowdowns = 0;
  /** The GCRA's theoretical arrival time of the next request, in ms. */
  #tat = -Infinity;
  #waiting: Waiter[] = [];
  #timer: unknown;
  #timerAt = Infinity;
  #pausedUntil = 0;
  /** After a 429: `wanted` (the next request goes alone), `out` (sent at `#probeAt`, waiting for its answer). */
  #probe: "none" | "wanted" | "out" = "wanted";
  #probeAt = -1;
  #probeWaitMs = 0;
  /** When the rate last changed: a 429 for a request sent before is the tail of an overshoot already answered. */
  #changedAt: number;
  /** Since when the gate has been calm at the rate in force. */
  #calmFrom: number;
  #last429At = -Infinity;
  readonly #sent = new Times();
  #firstSentAt = Infinity;
  #sentSinceChange = 0;
  readonly #rejected = new Times();
  readonly #recent: boolean[] = [];
  /** Whether each of the last answers was a 429, and how many were. */
  readonly #last: boolean[] = [];
  #last429s = 0;
  /** How much longer than exact each interval is: it widens with each early request, narrows in calm. */
  #margin = MARGIN.start;
  /** Answers without a 429 since the margin last changed. */
  #cleanAnswers = 0;

  constructor(options: RateGateOptions) {
    this.#clock = options.clock ?? REAL_CLOCK;
    this.#ceiling = options.rate ?? Infinity;
    this.#rate = options.rate;
    this.#burst = options.burst ?? 1;
    this.#onChange = options.onChange;
    this.#changedAt = this.#clock.now();
    this.#calmFrom = this.#changedAt;
    if (!Number.isInteger(this.#burst) || this.#burst < 1) {
      throw new RangeError(
        `Cannot pace the batch: "burst" must be a whole number of at least 1, got ${this.#burst}`,
      );
    }
  }

  state(): RateState {
    return {
      kind: Number.isFinite(this.#ceiling) ? "fixed" : "adaptive",
      requestsPerSecond: this.#rate,
      slowdowns: this.#slowdowns,
    };
  }

  acquire(signal: AbortSignal): Promise<number> {
    signal.throwIfAborted();
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: () => this.#drop(waiter) };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiting.push(waiter);
      this.#pump();
    });
  }

  answered(sentAt: number, status: number, retryAfterMs?: number): void {
    const now = this.#clock.now();
    this.#last.push(status === 429);
    if (status === 429) this.#last429s++;
    if (this.#last.length > STRAY.of && this.#last.shift()) this.#last429s--;
    const probe = sentAt === this.#probeAt; // a probe's 429 may come after its hold was lifted
    if (status === 429) this.#on429(sentAt, now, probe, retryAfterMs);
    else if (probe && this.#probe === "out") this.#probe = "none";
    if (status !== 429) this.#onOther(sentAt, status);
    if (status !== 429 && ++this.#cleanAnswers >= MARGIN.calmAnswers) this.#narrow();
    this.#pump();
  }

  #on429(sentAt: number, now: number, probe: boolean, retryAfterMs: number | undefined): void {
    this.#rejected.add(sentAt, now - 3 * WINDOW_MS);
    this.#last429At = now;
    const stray = Number.isFinite(this.#ceiling) ? FIXED_STRAY : STRAY;
    const alone = this.#last429s < stray.count;
    if (retryAfterMs !== undefined && retryAfterMs >= QUOTA_PAUSE_MS) {
      // A quota: wait what it asks, then probe; the rate stays.
      this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
      this.#probe = "wanted";
      return;
    }
    if (probe) {
      // The service's window is still closed: wait longer before the next probe, up to its Retry-After.
      const longer = Math.max(this.#probeWaitMs * 2, 2 * this.#interval(), PROBE_HOLD_MS);
      this.#probeWaitMs = Math.min(retryAfterMs ?? 1000, longer);
      this.#pausedUntil = Math.max(this.#pausedUntil, now + this.#probeWaitMs);
      this.#probe = "wanted";
      return;
    }
    if (sentAt < this.#changedAt) return; // the tail of an overshoot already answered
    if (alone) return this.#widen(); // early by the service's clock: leave more room between requests
    if (this.#rate !== undefined && !this.#triedSinceChange()) return; // unlimited: no rate to judge, a limit is met
    this.#slowDown(sentAt, 429);
  }

  /** A request came early by the service's clock: every interval a little longer, up to {@linkcode MARGIN}'s most. */
  #widen(): void {
    this.#margin = Math.min(MARGIN.most, this.#margin + MARGIN.step);
    this.#cleanAnswers = 0;
  }

  /** Calm for a while: the margin a little narrower again, down to its least. */
  #narrow(): void {
    this.#margin = Math.max(MARGIN.least, this.#margin - MARGIN.calmStep);
    this.#cleanAnswers = 0;
  }

  /** Whether the rate in force has been tried enough to be judged: 10 requests, or 3 s. */
  #triedSinceChange(): boolean {
    return this.#sentSinceChange >= 10 || this.#clock.now() - this.#changedAt >= 3000;
  }

  #onOther(sentAt: number, status: number): void {
    this.#recent.push(status === 503);
    if (this.#recent.length > UNAVAILABLE_BURST.of) this.#recent.shift();
    if (status !== 503 || this.#recent.filter(Boolean).length < UNAVAILABLE_BURST.count) return;
    this.#recent.length = 0;
    if (sentAt >= this.#changedAt) this.#slowDown(sentAt, 503);
  }

  /** A limit met at the rate in force: fall to what ran clean, else under what the service accepted. */
  #slowDown(sentAt: number, status: number): void {
    const accepted = this.#acceptedBefore(sentAt);
    const current = this.#rate ?? this.#sentRate(sentAt);
    // What the service accepted in the second before is its rate (it was rejecting). One 429 cuts a set rate by
    // 10 % at most. In the first second what was accepted is a short glimpse: a found rate falls by 30 % at
    // most, and an unlimited start (C requests at once) to half of what it sent, as TCP halves on a loss.
    const glimpse = sentAt - this.#firstSentAt < WINDOW_MS;
    const floor = Number.isFinite(this.#ceiling)
      ? current * 0.9
      : glimpse
      ? current * (this.#rate === undefined ? 0.5 : 0.7)
      : 0;
    const next = this.#bounds.limitMet(current, Math.max(floor, Math.min(current, accepted) * 0.97));
    this.#slowdowns++;
    this.#probe = "wanted";
    this.#probeWaitMs = 0;
    this.#setRate(
      next,
      this.#rate === undefined
        ? `${status}: the service's limit is about ${accepted.toFixed(1)}/s`
        : `${status}: slowing down`,
    );
  }

  #setRate(next: number, why: string): void {
    this.#rate = Math.min(this.#ceiling, Math.max(MIN_RATE, next));
    this.#changedAt = this.#clock.now();
    this.#calmFrom = this.#changedAt;
    this.#sentSinceChange = 0;
    this.#onChange?.(this.state(), why);
  }

  /** Calm long enough at a rate that bound the sends: rise (a fixed gate never above its ceiling). */
  #maybeRise(now: number): void {
    if (this.#rate === undefined || this.#probe !== "none") return;
    const calmMs = Math.max(WINDOW_MS, 20 * this.#interval());
    if (now - this.#calmFrom < calmMs || now - this.#last429At < calmMs) return;
    // Only a rate the sends kept up with says anything about the service.
    if (this.#sent.between(now - calmMs, now) < 0.8 * this.#rate * (calmMs / 1000)) {
      this.#calmFrom = now;
      return;
    }
    const next = this.#bounds.calm(this.#rate, now - this.#last429At);
    if (Math.min(next, this.#ceiling) <= this.#rate) {
      this.#calmFrom = now;
      return;
    }
    this.#setRate(next, "no 429 for a while: speeding up");
  }

  #interval(): number {
    return this.#rate === undefined ? 0 : (1000 / this.#rate) * this.#margin;
  }

  /** Requests per second the service accepted in the window before `t`: sent, less those answered 429. */
  #acceptedBefore(t: number): number {
    const count = this.#sent.between(t - WINDOW_MS, t) - this.#rejected.between(t - WINDOW_MS, t);
    return Math.max(MIN_RATE, (count * 1000) / this.#windowBefore(t));
  }

  #sentRate(t: number): number {
    return Math.max(MIN_RATE, (this.#sent.between(t - WINDOW_MS, t + 1) * 1000) / this.#windowBefore(t));
  }

  /** The window of the estimates: a second, or what there is of it since the first send (0.1 s at least). */
  #windowBefore(t: number): number {
    return Math.min(WINDOW_MS, Math.max(100, t - this.#firstSentAt));
  }

  /** When the next request may leave: the pause, the probe, the GCRA's schedule. */
  #nextAt(now: number): number {
    const interval = this.#interval();
    const paced = Math.max(now, this.#pausedUntil, this.#tat - (this.#burst - 1) * interval);
    if (this.#probe !== "out") return paced;
    const until = this.#probeAt + Math.max(PROBE_HOLD_MS, 3 * interval);
    if (now < until) return Math.max(until, paced);
    this.#probe = "none"; // no 429 at once: the probe passed the limiter
    return paced;
  }

  #pump(): void {
    let now = this.#clock.now();
    this.#maybeRise(now);
    while (this.#waiting.length > 0) {
      const at = this.#nextAt(now);
      if (at > now && at - now <= this.#early() && this.#clock.spinUntil) {
        this.#clock.spinUntil(at);
        now = Math.max(at, this.#clock.now()); // the time has moved: the next waiter is judged by it, not by the start
      } else if (at > now) return this.#wake(at, now);
      this.#release(this.#waiting.shift()!, now);
    }
  }

  #release(waiter: Waiter, now: number): void {
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    // A late send catches up by half the margin at most: never closer to the last one than 1/R and half of it.
    const interval = this.#interval();
    const catchUp = interval * (1 - (1 + (this.#margin - 1) / 2) / this.#margin);
    // Later by a whole interval or more, it waited for something else (no demand, a probe, a pause): no catch-up.
    const base = this.#tat === -Infinity || now - this.#tat >= interval
      ? now
      : Math.max(this.#tat, now - catchUp);
    this.#tat = base + interval;
    this.#sent.add(now, now - 3 * WINDOW_MS);
    this.#firstSentAt = Math.min(this.#firstSentAt, now);
    this.#sentSinceChange++;
    if (this.#probe === "wanted") {
      this.#probe = "out";
      this.#probeAt = now;
    }
    waiter.resolve(now);
  }

  /** How early the timer is set: a tenth of the interval, at most {@linkcode EARLY_MS}; none on a fake clock. */
  #early(): number {
    return this.#clock.spinUntil ? Math.min(EARLY_MS, this.#interval() / 10) : 0;
  }

  /** Set the timer for a little before `at`, unless one is set for then already. */
  #wake(at: number, now: number): void {
    if (at === Infinity || this.#timerAt === at) return;
    this.#clock.clear(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#clock.set(() => {
      this.#timerAt = Infinity;
      this.#pump();
    }, Math.max(0, at - now - this.#early()));
  }

  #drop(waiter: Waiter): void {
    const at = this.#waiting.indexOf(waiter);
    if (at !== -1) this.#waiting.splice(at, 1);
    waiter.reject(waiter.signal.reason);
  }
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
