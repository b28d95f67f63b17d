/**
 * Summarization: the article's own example.
 *
 * @module
 */

import { summarization as librarySummarization } from "npm:@huggingface/inference@^4.13.30";
import type {
  SummarizationOutput as TasksSummarizationOutput,
  SummarizationParameters as TasksSummarizationParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { checkText } from "./_check.ts";
import type { TextToTextGenerationParameters } from "./_generation_parameters.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { SUMMARIZATION_CONTRACT } from "./_specs/summarization.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** What summarization returns: `{ summary_text }` (the first element of the raw `[{summary_text}]`). */
export type SummarizationOutput = TasksSummarizationOutput;

/** The article's model: multilingual (Chinese included) mT5 fine-tuned on XL-Sum news. */
export const SUMMARIZATION_MODEL: string = SUMMARIZATION_CONTRACT.defaultModel;

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type SummarizationSpecParameters = TasksSummarizationParameters;

/**
 * Parameters of summarization: the spec's (`@huggingface/tasks`), with
 * `generate_parameters` narrowed to the generation parameters text-to-text
 * models take.
 */
export type SummarizationParameters = Omit<Known<SummarizationSpecParameters>, "generate_parameters"> & {
  /** Generation parameters (`max_new_tokens`, `num_beams`, ...). */
  generate_parameters?: TextToTextGenerationParameters;
};

/** Options of {@linkcode summarization}. */
export type SummarizationOptions = TaskOptions<SummarizationParameters>;

/**
 * Summarize a text. The input and parameters are checked before any request
 * (against the summarization spec; anything beyond it goes through
 * `extraParameters`, sent as given); the answer
 * `[{summary_text}]` is returned as its first element.
 *
 * @example Summarizing the article's paragraph (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarization } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const { summary_text } = await summarization("在接獲美國政府用戶通報下，微軟發現……", fakeHub("summarization", [{ summary_text: "微軟發現中國黑客組織偽造身分認證權杖" }]));
 * assert.equal(summary_text, "微軟發現中國黑客組織偽造身分認證權杖");
 * ```
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function summarization(
  inputs: string,
  options: SummarizationOptions = {},
): Promise<SummarizationOutput> {
  const verb = "summarize";
  checkText(inputs, "inputs", verb);
  const parameters = parametersToSend(SUMMARIZATION_CONTRACT, options, verb);
  return await runTask({
    task: "summarization",
    verb,
    defaultModel: SUMMARIZATION_MODEL,
    call: librarySummarization,
    args: { inputs, parameters },
  }, options);
}
