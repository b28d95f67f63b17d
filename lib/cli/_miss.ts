/**
 * A replay miss, told for the command line: which call was not recorded,
 * which inputs are recorded for that task and model (the closest few), and
 * how to record this one, in the command line's own flags.
 *
 * @module
 */

import { distance } from "npm:fastest-levenshtein@^1.0.16/esm/mod.js";
import type { TaskOptions } from "../tasks/_run.ts";
import { CliError } from "./exit.ts";
import { commandLead } from "./_invocation.ts";
import type { CliIo } from "./io.ts";
import type { TaskEntry } from "./tasks.ts";

/** A recorded call, as the miss lists it. */
interface RecordedCall {
  model: string | undefined;
  /** What was sent, in short. */
  said: string;
  /** Its input and its parameters, as compared with the call that missed. */
  input: string;
  params: string;
}

const SHOWN = 3;

function cut(text: string, length = 70): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > length ? `${one.slice(0, length - 1)}…` : one;
}

/** The model a recorded request is for: its body's, or its URL's. */
function modelOf(url: string, body: unknown): string | undefined {
  const named = (body as { model?: unknown } | undefined)?.model;
  if (typeof named === "string") return named;
  return /\/models\/([^/?]+(?:\/[^/?]+)?)/.exec(new URL(url).pathname)?.[1];
}

/** An input as the miss shows it: a text quoted, a file (base64 in JSON) by its size, JSON cut short. */
function shownInput(input: unknown): string {
  if (typeof input === "string" && input.length >= 100 && /^[A-Za-z0-9+/]+=*$/.test(input)) {
    return `a file (base64, ${Math.floor((input.length * 3) / 4)} bytes)`;
  }
  return typeof input === "string" ? JSON.stringify(cut(input, 50)) : cut(JSON.stringify(input) ?? "", 50);
}

/** A body's inputs and parameters, the way the miss compares and shows them. */
function summary(body: unknown, digest?: string): Omit<RecordedCall, "model"> {
  if (body === null || typeof body !== "object") {
    return {
      said: `a file sent as raw bytes (${digest?.slice(0, 15) ?? "binary"}…), no parameters`,
      input: "",
      params: "",
    };
  }
  const { inputs, messages, prompt, model: _model, stream: _stream, parameters, ...rest } = body as Record<
    string,
    unknown
  >;
  const input = inputs ?? messages ?? prompt;
  const params = parameters ?? (Object.keys(rest).length > 0 ? rest : undefined);
  const shown = shownInput(input);
  const said = params === undefined
    ? `input ${shown}`
    : `input ${shown}, parameters ${cut(JSON.stringify(params), 40)}`;
  return { said, input: JSON.stringify(input ?? "").slice(0, 300), params: JSON.stringify(params ?? {}) };
}

async function recordedCalls(entry: TaskEntry): Promise<RecordedCall[]> {
  const { recordingStore } = await import("../transport/fetch.ts");
  const all = await recordingStore().all();
  return all
    .filter((r) => r.file === `${entry.name}.json` && !r.interaction.request.url.includes("/api/models/"))
    .map((r) => {
      const request = r.interaction.request;
      const body = request.bodyKind === "binary" ? undefined : request.body;
      return { model: modelOf(request.url, body), ...summary(body, request.bodyDigest) };
    });
}

/** The lines that say what is recorded for `entry` and `model`, the closest to `wanted` first. */
function recordedLines(
  calls: RecordedCall[],
  entry: TaskEntry,
  model: string,
  wanted: { input: string; params: string },
): string[] {
  const same = calls.filter((c) => c.model?.toLowerCase() === model.toLowerCase());
  if (same.length === 0) {
    const models = [...new Set(calls.map((c) => c.model).filter((m) => m !== undefined))];
    return models.length === 0 ? [`Nothing is recorded for ${entry.name}.`] : [
      `Nothing is recorded for ${model}; recorded models for ${entry.name}: ${models.slice(0, 6).join(", ")}`,
    ];
  }
  // Parameters first (what a person changes most), then the input; a file's path says nothing of its bytes.
  const far = (c: RecordedCall) =>
    distance(c.params, wanted.params) * 1000 +
    (entry.input.kind === "binary" ? 0 : distance(c.input, wanted.input));
  const ranked = same.map((c) => ({ c, d: far(c) })).sort((a, b) => a.d - b.d);
  return [
    `Recorded for ${entry.name} with ${model} (${same.length}; the closest first):`,
    ...ranked.slice(0, SHOWN).map(({ c }) => `  ${c.said}`),
  ];
}

/**
 * `error` said for the command line when it is a replay miss; anything else
 * is returned as it is.
 */
export async function explainMiss(
  error: unknown,
  entry: TaskEntry,
  call: { input: unknown; options: TaskOptions<Record<string, unknown>>; io: CliIo },
): Promise<unknown> {
  const { ReplayMissError } = await import("../errors.ts");
  if (!(error instanceof ReplayMissError)) return error;
  const model = call.options.model ?? entry.defaultModel ?? "the default model";
  const wanted = {
    input: JSON.stringify(call.input ?? "").slice(0, 300),
    params: JSON.stringify(call.options.parameters ?? {}),
  };
  const lines = recordedLines(await recordedCalls(entry), entry, model, wanted);
  return new CliError(
    [
      `Not recorded: this ${entry.name} call to ${model} (${error.request}), and replay answers only recorded calls.`,
      ...lines,
    ]
      .join("\n"),
    recordHint(entry, commandLead()),
    1,
    { cause: error },
  );
}

/**
 * How to record the call that missed, in the words that run this command
 * line (`deno task hf` in the repository, `deno run ... main.ts` elsewhere).
 */
export function recordHint(entry: { name: string }, lead: string): string {
  const all = lead === "deno task hf" ? "deno task record" : `${lead} record`;
  return `Record it with your token: add --mode record (or --mode cache) and run it again with HF_TOKEN set ` +
    `(HF_TOKEN=hf_... ${lead} ${entry.name} ... --mode record); ${all} re-records every file`;
}
