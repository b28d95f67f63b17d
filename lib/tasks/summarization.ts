/**
 * Summarization: the article's own example.
 *
 * @module
 */

import { summarization as librarySummarization } from "@huggingface/inference";
import type { SummarizationOutput as TasksSummarizationOutput } from "@huggingface/tasks";
import { checkKeys, checkObject, checkText } from "./_check.ts";
import {
  checkTextToTextParameters,
  type GenerateParameters,
  type TruncationStrategy,
} from "./_generation.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** What summarization returns: `{ summary_text }` (the first element of the raw `[{summary_text}]`). */
export type SummarizationOutput = TasksSummarizationOutput;

/** The article's model: multilingual (Chinese included) mT5 fine-tuned on XL-Sum news. */
export const SUMMARIZATION_MODEL = "csebuetnlp/mT5_multilingual_XLSum";

/** Parameters of summarization, named as in the API docs. */
export interface SummarizationParameters {
  /** Whether to clean up the potential extra spaces in the output. */
  clean_up_tokenization_spaces?: boolean;
  /** How over-long inputs are cut. */
  truncation?: TruncationStrategy;
  /** Generation parameters (`max_new_tokens`, `num_beams`, ...). */
  generate_parameters?: GenerateParameters;
}

/** Options of {@linkcode summarization}. */
export type SummarizationOptions = TaskOptions<SummarizationParameters>;

const KEYS = ["clean_up_tokenization_spaces", "truncation", "generate_parameters"] as const;

/**
 * Summarize a text. The input is checked before any request; the answer
 * `[{summary_text}]` is returned as its first element.
 *
 * @example Summarizing the article's paragraph (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarization } from "./summarization.ts";
 *
 * const fakeHub = (url: string) =>
 *   url.includes("/api/models/")
 *     ? Response.json({ inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task: "summarization" } } })
 *     : Response.json([{ summary_text: "微軟發現中國黑客組織偽造身分認證權杖" }]);
 * const { summary_text } = await summarization("在接獲美國政府用戶通報下，微軟發現……", {
 *   model: "m/x",
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: (input) => Promise.resolve(fakeHub(String(input instanceof Request ? input.url : input))),
 * });
 * assert.equal(summary_text, "微軟發現中國黑客組織偽造身分認證權杖");
 * ```
 */
export async function summarization(
  inputs: string,
  options: SummarizationOptions = {},
): Promise<SummarizationOutput> {
  const verb = "summarize";
  checkText(inputs, "inputs", verb);
  const { parameters } = options;
  if (parameters !== undefined) {
    checkObject(parameters, "parameters", verb);
    checkKeys(parameters, KEYS, "parameters", verb);
    checkTextToTextParameters(parameters, verb);
  }
  return await runTask({
    task: "summarization",
    verb,
    defaultModel: SUMMARIZATION_MODEL,
    call: librarySummarization,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
}
