/**
 * What every task helper promises, as the loops the task tests share: it
 * answers from recordings/ alone in replay mode, it parses every real
 * hf-inference answer of ../shared/reference/hf-recorded, it surfaces every
 * real error body with the service's own message (through a real local fake
 * server), and it refuses bad input before any request. The loops own the
 * serving, counting and reporting; each test file still says what its task's
 * outputs, errors and messages must be.
 *
 * @module
 */

import assert from "node:assert/strict";
import { HfApiError, type InferenceProviderName } from "../lib/mod.ts";
import { CLEAN_ENV, countingFetch, rejection, uniqueModel, withEnv } from "./_helpers.ts";
import {
  errorTexts,
  type MediaAnswer,
  mediaFetch,
  NO_WAIT,
  type ReferenceCase,
  referenceErrors,
  referenceSuccesses,
} from "./_reference_tasks.ts";
import { type FakeResponse, startFakeHf } from "./fake_hf_server.ts";

/** Live mode with a test token: spread it into a helper's options, with an injected `fetch`. */
export const LIVE = { mode: "live", accessToken: "hf_test" } as const;

/** The options of a live call to a fake service. */
export interface LiveOptions {
  /** Always `"live"`. */
  mode: "live";
  /** A test token. */
  accessToken: string;
  /** A model id no other test of the process uses. */
  model: string;
  /** The fake service. */
  fetch: typeof fetch;
  /** Real retries, no real waiting. */
  retry: typeof NO_WAIT;
  /** The provider, when the call must name one. */
  provider?: InferenceProviderName;
}

/** Live options against `fetch`: a test token, a model of its own, retries without waiting. */
export function liveOptions(fetch: typeof globalThis.fetch, model: string = uniqueModel()): LiveOptions {
  return { ...LIVE, model, fetch, retry: NO_WAIT };
}

/** The options of a replayed call: replay mode, and a fetch that refuses every request. */
export interface ReplayOptions {
  /** Always `"replay"`. */
  mode: "replay";
  /** Rejects, and counts the attempt. */
  fetch: typeof fetch;
}

/**
 * Runs `fn` in replay mode, with a clean environment (no token, no mode) and
 * a fetch that refuses every request, then asserts that none was attempted:
 * what recordings/ alone answers.
 */
export async function fromRecordings<T>(fn: (replay: ReplayOptions) => Promise<T>): Promise<T> {
  const network = countingFetch();
  const result = await withEnv(CLEAN_ENV, () => fn({ mode: "replay", fetch: network.fetch }));
  assert.equal(network.calls.length, 0, "replay reached the network");
  return result;
}

/** How many recorded cases a loop must find: exactly that many, or at least `atLeast`. */
export type CaseCount = number | { atLeast: number };

/** "6 in interactions.json, 3 in hub_cassettes.json". */
function byFile(cases: readonly ReferenceCase[]): string {
  const counts = new Map<string, number>();
  for (const c of cases) {
    const file = c.where.split("#")[0]!;
    counts.set(file, (counts.get(file) ?? 0) + 1);
  }
  return [...counts].map(([file, n]) => `${n} in ${file}`).join(", ") || "none";
}

function checkCount(cases: readonly ReferenceCase[], count: CaseCount, what: string): void {
  assert.ok(cases.length > 0, `hf-recorded holds no ${what}`);
  if (typeof count === "number") {
    assert.equal(cases.length, count, `expected ${count} ${what}, found ${byFile(cases)}`);
  } else {
    assert.ok(
      cases.length >= count.atLeast,
      `expected at least ${count.atLeast} ${what}, found ${byFile(cases)}`,
    );
  }
}

/** What {@linkcode parsesEveryReferenceSuccess} serves, calls and checks. */
export interface EveryReferenceSuccess<O> {
  /** The task, as hf-recorded names it. */
  task: string;
  /** How many recorded answers there must be. */
  count: CaseCount;
  /** The recorded answers to serve. @default {every hf-inference JSON success of `task`} */
  cases?: readonly ReferenceCase[];
  /** The task the Hub's mapping look-up lists the model under. @default {`task`} */
  hubTask?: string;
  /** What the fake service answers for a case. @default {its recorded JSON body} */
  answer?: (c: ReferenceCase) => MediaAnswer;
  /** Calls the helper; `live` holds live mode, a token, a model of its own and the fake service's fetch. */
  call: (live: LiveOptions, c: ReferenceCase) => Promise<O>;
  /** What the output of a case must be. */
  expect: (output: O, c: ReferenceCase) => void | Promise<void>;
}

/**
 * Serves each real answer of a task through a fetch that also answers the
 * mapping look-up, calls the helper and checks its output; logs and returns
 * how many parsed. Fails when hf-recorded holds none, or not `count`.
 */
export async function parsesEveryReferenceSuccess<O>(spec: EveryReferenceSuccess<O>): Promise<number> {
  const cases = spec.cases ?? await referenceSuccesses(spec.task);
  checkCount(cases, spec.count, `${spec.task} successes`);
  let parsed = 0;
  for (const c of cases) {
    const service = mediaFetch(spec.hubTask ?? spec.task, spec.answer?.(c) ?? { json: c.responseBody });
    const output = await spec.call(liveOptions(service.fetch, uniqueModel(spec.task)), c);
    await spec.expect(output, c);
    parsed++;
  }
  assert.equal(parsed, cases.length);
  console.log(`${spec.task}: parsed ${parsed} of ${cases.length} real hf-inference answers`);
  return parsed;
}

/** What {@linkcode surfacesEveryReferenceError} serves, calls and checks. */
export interface EveryReferenceError {
  /** The task, as hf-recorded names it. */
  task: string;
  /** How many recorded errors there must be. */
  count: CaseCount;
  /** The recorded errors to serve. @default {every hf-inference error of `task`} */
  cases?: readonly ReferenceCase[];
  /** The task the Hub's mapping look-up lists the model under. @default {`task`} */
  hubTask?: string;
  /** Where the task call goes, for a case served by hf-inference. @default {the model's hf-inference URL} */
  route?: (model: string) => string;
  /**
   * Providers whose recorded errors are served through them (provider → the model's id there): the
   * model is mapped to that provider alone and `live.provider` names it. Others go through hf-inference.
   */
  providers?: Partial<Record<InferenceProviderName, string>>;
  /** Calls the helper; `live` holds live mode, a token, a model of its own and the fake server's fetch. */
  call: (live: LiveOptions, c: ReferenceCase) => Promise<unknown>;
  /** More checks of a case's error; `posts` is how many task calls the fake server received. */
  expect?: (error: HfApiError, c: ReferenceCase, posts: number) => void;
  /** Words added to the logged count. */
  note?: string;
}

/**
 * Serves each real error body of a task, with its status and content type,
 * from a fresh fake server, calls the helper and checks that it rejects with
 * an HfApiError of that status whose service message holds the body's text
 * (never the library's generic "an HTTP error occurred"); logs and returns
 * how many surfaced. Fails when hf-recorded holds none, or not `count`.
 */
export async function surfacesEveryReferenceError(spec: EveryReferenceError): Promise<number> {
  const cases = spec.cases ?? await referenceErrors(spec.task);
  checkCount(cases, spec.count, `${spec.task} errors`);
  const hubTask = spec.hubTask ?? spec.task;
  let surfaced = 0;
  for (const c of cases) {
    await using fake = await startFakeHf();
    const model = uniqueModel(spec.task);
    const answer: FakeResponse = {
      status: c.status,
      headers: { "content-type": c.headers["content-type"] ?? "application/json" },
      text: c.responseBodyRaw!,
    };
    const provider = c.provider as InferenceProviderName;
    const providerId = spec.providers?.[provider];
    const live = liveOptions(fake.fetch, model);
    if (providerId) {
      fake.setMapping(model, { [provider]: { status: "live", providerId, task: hubTask } });
      fake.on(/^https:\/\/router\.huggingface\.co\//, answer);
      live.provider = provider;
    } else {
      fake.setModelTask(model, hubTask);
      fake.on(spec.route?.(model) ?? `/hf-inference/models/${model}`, answer);
    }
    const error = await rejection(spec.call(live, c));
    assert.ok(error instanceof HfApiError, `${c.where}: ${error}`);
    assert.equal(error.status, c.status, c.where);
    for (const text of errorTexts(c.responseBodyRaw!)) {
      assert.ok(error.serviceMessage.includes(text), `${c.where}: ${error.serviceMessage} lacks ${text}`);
    }
    assert.doesNotMatch(error.serviceMessage, /an HTTP error occurred/, c.where);
    spec.expect?.(error, c, fake.requests.filter((r) => r.method === "POST").length);
    surfaced++;
  }
  assert.equal(surfaced, cases.length);
  console.log(
    `${spec.task}: surfaced ${surfaced} of ${cases.length} real error answers${
      spec.note ? ` ${spec.note}` : ""
    }`,
  );
  return surfaced;
}

/** The error a bad input must throw. */
export type InputErrorClass = TypeErrorConstructor | RangeErrorConstructor;

/**
 * One bad input: what is wrong (the step's name), the input, what goes with
 * it (options or parameters, as the table's `call` takes them), the error
 * class, and its message (a pattern, or the exact text).
 */
export type BadInput<I, M> = readonly [
  what: string,
  input: I,
  more: M,
  type: InputErrorClass,
  message: RegExp | string,
];

/** Live options whose fetch refuses, and no model: a helper's own default model is checked. */
export type RefusingOptions = Omit<LiveOptions, "model" | "provider">;

/** What {@linkcode rejectsBeforeAnyRequest} tries. */
export interface BadInputTable<I, M> {
  /** How every message starts: `Cannot <verb>: `. */
  prefix: string;
  /** Calls the helper with a case's input and what goes with it; `live`'s fetch refuses and counts. */
  call: (input: I, more: M, live: RefusingOptions) => unknown;
  /** Another entry point (a stream) that must throw the same error at once, before returning. */
  atOnce?: (input: I, more: M, live: RefusingOptions) => unknown;
  /** The bad inputs. */
  cases: NoInfer<readonly BadInput<I, M>[]>;
}

/**
 * Tries each bad input in its own step: the helper throws (or rejects with)
 * the named error class, with a message that starts with `prefix` and names
 * what is wrong, and no request is attempted. Fails on an empty table.
 */
export async function rejectsBeforeAnyRequest<I, M>(
  t: Deno.TestContext,
  table: BadInputTable<I, M>,
): Promise<void> {
  assert.ok(table.cases.length > 0, "no bad input to try");
  const check = (error: unknown, what: string, type: InputErrorClass, message: RegExp | string) => {
    assert.ok(error instanceof type, `${what}: ${error}`);
    assert.ok(error.message.startsWith(table.prefix), `${what}: ${error.message}`);
    if (typeof message === "string") assert.equal(error.message, message, what);
    else assert.match(error.message, message, `${what}: ${error.message}`);
  };
  for (const [what, input, more, type, message] of table.cases) {
    await t.step(what, async () => {
      const network = countingFetch();
      const live = { ...LIVE, fetch: network.fetch, retry: NO_WAIT };
      check(await rejection((async () => await table.call(input, more, live))()), what, type, message);
      if (table.atOnce) {
        let thrown: unknown = undefined;
        try {
          table.atOnce(input, more, live);
        } catch (error) {
          thrown = error;
        }
        check(thrown, `${what} (at once)`, type, message);
      }
      assert.equal(network.calls.length, 0, `${what}: a request was attempted`);
    });
  }
}
