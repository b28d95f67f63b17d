/**
 * The floor of a replayed call's start-up, for the benchmark: the same
 * summarization `deno task hf summarization <text>` replays, made with
 * `@huggingface/inference` alone, its `fetch` answering from
 * recordings/summarization.json (method, URL and body matched; nothing else
 * checked). What is left between this and the workbook's replayed call is the
 * workbook's own layer: its command line, the task's contract and checks, the
 * transport's recording lookup and the provenance. Not a test.
 *
 * ```sh
 * deno run --allow-read tests/bench/only_client_replay.ts [text]   # default: the article's paragraph
 * ```
 *
 * @module
 */

import { InferenceClient } from "@huggingface/inference";

interface Interaction {
  request: { method: string; url: string; body?: unknown };
  response: { status: number; headers?: Record<string, string>; json?: unknown };
}

/** JSON with its keys in order, so two bodies compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

const recording = JSON.parse(
  await Deno.readTextFile(new URL("../../recordings/summarization.json", import.meta.url)),
) as { interactions: Interaction[] };

const answer = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = input instanceof Request ? input.url : String(input);
  const method = init?.method ?? "GET";
  const body = typeof init?.body === "string" ? canonical(JSON.parse(init.body)) : undefined;
  const found = recording.interactions.find((i) =>
    i.request.method === method && i.request.url === url &&
    (i.request.body === undefined ? body === undefined : canonical(i.request.body) === body)
  );
  if (found === undefined) return Promise.reject(new Error(`not recorded: ${method} ${url}`));
  return Promise.resolve(
    new Response(JSON.stringify(found.response.json), {
      status: found.response.status,
      headers: { "content-type": "application/json", ...found.response.headers },
    }),
  );
};

const MODEL = "csebuetnlp/mT5_multilingual_XLSum";
/** The article's paragraph: what the recording holds for the model on the router. */
const recorded = recording.interactions.find((i) =>
  i.request.url === `https://router.huggingface.co/hf-inference/models/${MODEL}`
)?.request.body as { inputs?: string } | undefined;

const client = new InferenceClient(undefined, { fetch: answer });
const output = await client.summarization({
  model: MODEL,
  provider: "hf-inference",
  inputs: Deno.args[0] ?? recorded?.inputs ?? "",
});
console.log(output.summary_text);
