/**
 * Fill mask: the model guesses the token hidden behind its mask token. Each
 * model family has its own mask token: `[MASK]` for BERT and its kin,
 * `<mask>` for RoBERTa, XLM-R and BART. {@linkcode maskTokenOf} knows the
 * common ones, and {@linkcode fillMask} checks the input against it before any
 * request.
 *
 * @module
 */

import { fillMask as libraryFillMask } from "npm:@huggingface/inference@^4.13.30";
import type {
  FillMaskOutput as TasksFillMaskOutput,
  FillMaskOutputElement as TasksFillMaskOutputElement,
  FillMaskParameters as TasksFillMaskParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { checkText } from "./_check.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { FILL_MASK_CONTRACT } from "./_specs/fill_mask.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** The candidates of fill mask, best first, as `@huggingface/tasks` types them. */
export type FillMaskOutput = TasksFillMaskOutput;

/** One candidate: `token_str`, its `token` id, its `score` and the filled `sequence`, as `@huggingface/tasks` types it. */
export type FillMaskOutputElement = TasksFillMaskOutputElement;

/** BERT base, uncased: the fill-mask model the service's own examples use. */
export const FILL_MASK_MODEL = "google-bert/bert-base-uncased";

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type FillMaskSpecParameters = TasksFillMaskParameters;

/** Parameters of fill mask: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type FillMaskParameters = Known<FillMaskSpecParameters>;

/** Options of {@linkcode fillMask}. */
export type FillMaskOptions = TaskOptions<FillMaskParameters>;

/** Models by mask token, as their tokenizers define it (ids compared without case). */
const MASK_TOKENS: Readonly<Record<string, readonly string[]>> = {
  "[MASK]": [
    "google-bert/bert-base-uncased",
    "google-bert/bert-base-cased",
    "google-bert/bert-large-uncased",
    "google-bert/bert-large-cased",
    "google-bert/bert-base-chinese",
    "google-bert/bert-base-multilingual-cased",
    "google-bert/bert-base-multilingual-uncased",
    "bert-base-uncased",
    "bert-base-cased",
    "bert-large-uncased",
    "bert-large-cased",
    "bert-base-chinese",
    "bert-base-multilingual-cased",
    "bert-base-multilingual-uncased",
    "distilbert/distilbert-base-uncased",
    "distilbert/distilbert-base-cased",
    "distilbert/distilbert-base-multilingual-cased",
    "distilbert-base-uncased",
    "distilbert-base-cased",
    "distilbert-base-multilingual-cased",
    "albert/albert-base-v2",
    "albert-base-v2",
    "ckiplab/bert-base-chinese",
    "hfl/chinese-roberta-wwm-ext",
    "hfl/chinese-macbert-base",
    "answerdotai/ModernBERT-base",
    "answerdotai/ModernBERT-large",
  ],
  "<mask>": [
    "FacebookAI/roberta-base",
    "FacebookAI/roberta-large",
    "FacebookAI/xlm-roberta-base",
    "FacebookAI/xlm-roberta-large",
    "roberta-base",
    "roberta-large",
    "xlm-roberta-base",
    "xlm-roberta-large",
    "distilbert/distilroberta-base",
    "distilroberta-base",
    "almanach/camembert-base",
    "camembert-base",
    "facebook/bart-base",
    "facebook/bart-large",
    "microsoft/mpnet-base",
  ],
};

const BY_MODEL = new Map(
  Object.entries(MASK_TOKENS).flatMap(([token, models]) =>
    models.map((m) => [m.toLowerCase(), token] as const)
  ),
);

/**
 * The mask token of a known model: `[MASK]` for BERT-family models
 * (`google-bert/bert-base-uncased`, `google-bert/bert-base-chinese`,
 * DistilBERT, ALBERT, `hfl/chinese-roberta-wwm-ext`, which uses BERT's
 * tokenizer despite its name, ModernBERT), `<mask>` for RoBERTa-family ones
 * (`FacebookAI/roberta-base`, `FacebookAI/xlm-roberta-base`, DistilRoBERTa,
 * CamemBERT, BART, MPNet). `undefined` for a model it does not know: its model
 * card's widget, or `mask_token` in its `tokenizer_config.json` on the Hub,
 * says which token it uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskTokenOf } from "@hf-workbook/workbook";
 *
 * assert.equal(maskTokenOf("google-bert/bert-base-chinese"), "[MASK]");
 * assert.equal(maskTokenOf("FacebookAI/xlm-roberta-base"), "<mask>");
 * assert.equal(maskTokenOf("someone/unknown-model"), undefined);
 * ```
 *
 * @param model A model id.
 * @returns The model's mask token, or `undefined` when the model is not known here.
 */
export function maskTokenOf(model: string): string | undefined {
  return BY_MODEL.get(model.toLowerCase());
}

/**
 * Guess the token behind the mask. For a model {@linkcode maskTokenOf} knows,
 * the input must hold its mask token exactly once (a `RangeError` names the
 * expected token, before any request); for other models the service says
 * when the token is missing. The candidates come best first:
 * `{sequence, score, token, token_str}`.
 *
 * @example Fill BERT's mask (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillMask } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const answer = [{ sequence: "paris is the capital of france.", score: 0.99, token: 3007, token_str: "capital" }];
 * const [best] = await fillMask("Paris is the [MASK] of France.", {
 *   ...fakeHub("fill-mask", answer),
 *   model: "google-bert/bert-base-uncased",
 * });
 * assert.equal(best?.token_str, "capital");
 * await assert.rejects(fillMask("Paris is the <mask> of France."), /mask token \[MASK\]/);
 * ```
 *
 * @param inputs The text, with the model's mask token where a word is missing.
 * @param options The model, `parameters` and transport options.
 * @returns The candidates, best first.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function fillMask(inputs: string, options: FillMaskOptions = {}): Promise<FillMaskOutput> {
  const verb = "fill the mask";
  checkText(inputs, "inputs", verb);
  const model = options.model ?? (options.endpointUrl ? undefined : FILL_MASK_MODEL);
  const token = typeof model === "string" ? maskTokenOf(model) : undefined;
  if (token !== undefined) checkMask(inputs, token, model!, verb);
  const parameters = parametersToSend(FILL_MASK_CONTRACT, options, verb);
  return await runTask({
    task: "fill-mask",
    verb,
    defaultModel: FILL_MASK_MODEL,
    call: libraryFillMask,
    args: { inputs, parameters },
  }, options);
}

function checkMask(inputs: string, token: string, model: string, verb: string): void {
  const count = inputs.split(token).length - 1;
  if (count === 1) return;
  const other = Object.keys(MASK_TOKENS).find((t) => t !== token && inputs.includes(t));
  const found = count > 1
    ? `got it ${count} times (the service then answers a list per mask, which this task's output does not hold)`
    : other
    ? `got ${other}, the mask token of other models`
    : "got none";
  throw new RangeError(
    `Cannot ${verb}: "inputs" must contain the mask token ${token} of ${model} exactly once, ${found}`,
  );
}
