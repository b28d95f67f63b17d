/**
 * `hf check <model>`: is this model served, by which providers, for which
 * task? A clear answer for "served", "not served", "renamed" and "not found".
 *
 * @module
 */

import { HfApiError } from "../errors.ts";
import { type ModelProviders, modelProviders, type ModelProvidersOptions } from "../hub.ts";
import type { Mode } from "../transport/mode.ts";
import { announceMode } from "./_options.ts";
import { ExitCode } from "./exit.ts";
import type { CliIo } from "./io.ts";

/** The answer of {@linkcode checkModel}. */
export interface CheckAnswer {
  /** `served`, `not-served` (no provider, or not the one asked for) or `not-found`. */
  verdict: "served" | "not-served" | "not-found";
  /** The lines a person reads. */
  lines: string[];
  /** What the Hub said (absent when the model was not found). */
  providers?: ModelProviders;
}

/** Options of {@linkcode checkModel}. */
export interface CheckOptions extends ModelProvidersOptions {
  /** The provider the answer is about; `any` for any. @default {"hf-inference"} */
  provider?: string;
}

/**
 * Ask the Hub who serves `model` and say it plainly.
 *
 * @example A model hf-inference serves
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkModel } from "./check.ts";
 *
 * const answer = { inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task: "summarization" } } };
 * const result = await checkModel("m/x", { mode: "live", fetch: () => Promise.resolve(Response.json(answer)) });
 * assert.equal(result.verdict, "served");
 * assert.match(result.lines[0]!, /served by hf-inference for summarization/);
 * ```
 *
 * @throws {HfWorkbookError} When the look-up fails otherwise than a 404 or 401 (which are a verdict).
 */
export async function checkModel(model: string, options: CheckOptions = {}): Promise<CheckAnswer> {
  const { provider = "hf-inference", ...lookup } = options;
  let info: ModelProviders;
  try {
    info = await modelProviders(model, lookup);
  } catch (error) {
    if (error instanceof HfApiError && (error.status === 404 || error.status === 401)) {
      return {
        verdict: "not-found",
        lines: [
          `${model}: not found on the Hub (${error.status}: ${error.serviceMessage})`,
          "Check the id: case matters, and private or gated models need a token that may read them.",
        ],
      };
    }
    throw error;
  }
  const name = info.renamedTo ?? model;
  const lines: string[] = [];
  if (info.renamedTo) {
    lines.push(`${model} was renamed to ${info.renamedTo} (the Hub answered 307): use the new id.`);
  }
  const describe = (p: { provider: string; task: string; status: string; providerId: string }) =>
    `${p.provider} for ${p.task} (${p.status}${p.providerId !== name ? `, as ${p.providerId}` : ""})`;
  const chosen = provider === "any"
    ? info.providers.find((p) => p.status === "live")
    : info.providers.find((p) => p.provider === provider);
  if (info.providers.length === 0) {
    lines.push(`${name}: not served by any Inference Provider.`);
    lines.push(
      "Pick a served model (https://huggingface.co/models?inference_provider=hf-inference) or deploy it on an Inference Endpoint (--endpoint).",
    );
    return { verdict: "not-served", lines, providers: info };
  }
  if (chosen === undefined) {
    lines.push(`${name}: not served by ${provider}.`);
  } else {
    lines.push(`${name}: served by ${describe(chosen)}.`);
    if (chosen.status !== "live") lines.push("Status staging: for tests only, not for everyone.");
  }
  const others = info.providers.filter((p) => p !== chosen);
  if (others.length > 0) lines.push(`${chosen ? "Also" : "Served"} by: ${others.map(describe).join("; ")}.`);
  if (chosen === undefined) lines.push(`Call it with --provider ${others[0]!.provider}.`);
  const served = chosen !== undefined && chosen.status === "live";
  return { verdict: served ? "served" : "not-served", lines, providers: info };
}

/**
 * `hf check <model>`: print the answer (or its JSON); exit 1 unless served.
 *
 * @throws {ExitCode} When the check fails: the exit code to end with.
 */
export async function runCheck(
  model: string,
  flags: { provider: string; json?: boolean; mode?: Mode; quiet?: boolean },
  io: CliIo,
): Promise<void> {
  const info = announceMode(flags.mode, io, flags.quiet);
  const answer = await checkModel(model, {
    provider: flags.provider,
    mode: info.mode,
    ...(info.token ? { accessToken: info.token } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  if (flags.json) io.out(JSON.stringify({ model, verdict: answer.verdict, ...answer.providers }, null, 2));
  else for (const line of answer.lines) io.out(line);
  if (answer.verdict !== "served") throw new ExitCode(1);
}
