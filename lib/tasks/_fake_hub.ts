/**
 * The stand-in for Hugging Face that the helpers' doc examples use, so they
 * run offline under `deno test --doc`: it answers the Hub's provider-mapping
 * look-up (hf-inference serves the model for the task) and every task call
 * with the answer given. Not for tests: they drive a real local server
 * (tests/fake_hf_server.ts).
 *
 * @module
 */

/** What {@linkcode fakeHub} answers a task call with: a JSON value, a `Response`, or a function of the request. */
export type FakeAnswer = unknown | Response | ((request: Request) => Response | Promise<Response>);

/** The options of a live call to the stand-in: spread them into a helper's options. */
export interface FakeHubOptions {
  /** `"m/x"`: a model id the stand-in serves. */
  model: string;
  /** `"live"`: the call goes to `fetch`, not to recordings/. */
  mode: "live";
  /** A test token. */
  accessToken: string;
  /** The stand-in. */
  fetch: typeof fetch;
}

/**
 * Options for a helper call that the stand-in answers: `answer` for the task
 * call, a live provider mapping for `task` for the Hub's look-up.
 *
 * @example A summary, offline
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeHub } from "./_fake_hub.ts";
 * import { summarization } from "@hf-workbook/workbook";
 *
 * const { summary_text } = await summarization("A long text.", fakeHub("summarization", [{ summary_text: "Short." }]));
 * assert.equal(summary_text, "Short.");
 * ```
 */
export function fakeHub(task: string, answer: FakeAnswer): FakeHubOptions {
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname.startsWith("/api/models/")) {
      return Response.json({
        inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task } },
      });
    }
    if (typeof answer === "function") return await answer(request);
    if (answer instanceof Response) return answer.clone();
    return Response.json(answer);
  };
  return { model: "m/x", mode: "live", accessToken: "hf_test", fetch };
}
