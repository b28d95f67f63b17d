/**
 * Text classification: the labels of a text and their scores (sentiment,
 * topic, language, ...), whatever labels the model was trained with.
 *
 * @module
 */

import { textClassification as libraryTextClassification } from "npm:@huggingface/inference@^4.13.30";
import type {
  ClassificationOutputTransform as TasksClassificationOutputTransform,
  TextClassificationOutputElement as TasksTextClassificationOutputElement,
  TextClassificationParameters as TasksTextClassificationParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { checkText } from "./_check.ts";
import { choicesOf, type Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TEXT_CLASSIFICATION_CONTRACT } from "./_specs/text_classification.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** A well-known sentiment model served by hf-inference: English, `POSITIVE` / `NEGATIVE`. */
export const TEXT_CLASSIFICATION_MODEL: string = TEXT_CLASSIFICATION_CONTRACT.defaultModel;

/**
 * How a classifier's raw outputs (logits) become scores: `softmax` (the scores
 * of all labels add up to 1), `sigmoid` (each label scored on its own, from 0
 * to 1), or `none` (the raw logits).
 */
export type ClassificationOutputTransform = TasksClassificationOutputTransform;

/** The values of {@linkcode ClassificationOutputTransform}, as the spec lists them. */
export const CLASSIFICATION_OUTPUT_TRANSFORMS: readonly ClassificationOutputTransform[] = choicesOf(
  TEXT_CLASSIFICATION_CONTRACT,
  "function_to_apply",
);

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TextClassificationSpecParameters = TasksTextClassificationParameters;

/** Parameters of text classification: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type TextClassificationParameters = Known<TextClassificationSpecParameters>;

/** One element of the answer as the spec's generated type (`@huggingface/tasks`) writes it, open index signature included. */
export type TextClassificationSpecOutputElement = TasksTextClassificationOutputElement;

/** One label of a text classification answer: `label` and its `score` (a probability unless `function_to_apply` is `none`). */
export type TextClassificationOutputElement = Known<TextClassificationSpecOutputElement>;

/** A text classification answer: the labels with their scores. */
export type TextClassificationOutput = TextClassificationOutputElement[];

/** Options of {@linkcode textClassification}. */
export type TextClassificationOptions = TaskOptions<TextClassificationParameters>;

/**
 * Classify a text. The input is checked before any request. The service
 * answers a nested list even for one text, `[[{label, score}, ...]]`; the
 * inner list is returned, as `@huggingface/inference` does, ordered as the
 * service ordered it (most probable first). A flat `[{label, score}, ...]`, as
 * a text-embeddings-inference endpoint answers, is accepted too.
 *
 * @example Sentiment of a short review (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { textClassification } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const labels = await textClassification("A wonderful, moving film.", fakeHub("text-classification", [[{ label: "POSITIVE", score: 0.9987 }, { label: "NEGATIVE", score: 0.0013 }]]));
 * assert.deepEqual(labels[0], { label: "POSITIVE", score: 0.9987 });
 * ```
 *
 * @param inputs The text to classify.
 * @param options The model, parameters and transport options.
 * @returns The labels with their scores.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function textClassification(
  inputs: string,
  options: TextClassificationOptions = {},
): Promise<TextClassificationOutput> {
  const verb = "classify text";
  checkText(inputs, "inputs", verb);
  const parameters = parametersToSend(TEXT_CLASSIFICATION_CONTRACT, options, verb);
  return await runTask({
    task: "text-classification",
    verb,
    defaultModel: TEXT_CLASSIFICATION_MODEL,
    call: libraryTextClassification,
    args: { inputs, parameters },
    normalize: flatLabels,
    contract: TEXT_CLASSIFICATION_CONTRACT,
  }, options);
}

/** A flat `[{label, score}, ...]` (what text-embeddings-inference's classifiers answer), else `undefined`. */
function flatLabels(raw: unknown): TextClassificationOutput | undefined {
  const isLabel = (x: unknown) =>
    typeof x === "object" && x !== null && typeof (x as { label?: unknown }).label === "string" &&
    typeof (x as { score?: unknown }).score === "number";
  return Array.isArray(raw) && raw.length > 0 && raw.every(isLabel)
    ? (raw as TextClassificationOutput)
    : undefined;
}
