/**
 * Text classification: the labels of a text and their scores (sentiment,
 * topic, language, ...), whatever labels the model was trained with.
 *
 * @module
 */

import { textClassification as libraryTextClassification } from "@huggingface/inference";
import { checkChoice, checkKeys, checkNumber, checkObject, checkText } from "./_check.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** A well-known sentiment model served by hf-inference: English, `POSITIVE` / `NEGATIVE`. */
export const TEXT_CLASSIFICATION_MODEL = "distilbert/distilbert-base-uncased-finetuned-sst-2-english";

/**
 * How a classifier's raw outputs (logits) become scores: `softmax` (the scores
 * of all labels add up to 1), `sigmoid` (each label scored on its own, from 0
 * to 1), or `none` (the raw logits).
 */
export type ClassificationOutputTransform = "sigmoid" | "softmax" | "none";

/** The values of {@linkcode ClassificationOutputTransform}, for checks and `--help`. */
export const CLASSIFICATION_OUTPUT_TRANSFORMS: readonly ClassificationOutputTransform[] = [
  "sigmoid",
  "softmax",
  "none",
];

/** Parameters of text classification, named as in the API docs. */
export interface TextClassificationParameters {
  /**
   * The function applied to the model outputs to get the scores.
   *
   * @default {the model's own choice: softmax for single-label models, sigmoid for multi-label ones}
   */
  function_to_apply?: ClassificationOutputTransform;
  /** Return only the `top_k` most probable labels (a whole number, at least 1). */
  top_k?: number;
}

/** One label of a text classification answer (`@huggingface/tasks`' type, without its open index signature). */
export interface TextClassificationOutputElement {
  /** The predicted class label. */
  label: string;
  /** Its score (a probability unless `function_to_apply` is `none`). */
  score: number;
}

/** A text classification answer: the labels with their scores. */
export type TextClassificationOutput = TextClassificationOutputElement[];

/** Options of {@linkcode textClassification}. */
export type TextClassificationOptions = TaskOptions<TextClassificationParameters>;

const KEYS: readonly (keyof TextClassificationParameters)[] = ["function_to_apply", "top_k"];

/**
 * Check the parameters text and image classification share (`function_to_apply`,
 * `top_k`), when present, before any request.
 */
export function checkClassificationParameters(parameters: unknown, verb: string): void {
  if (parameters === undefined) return;
  checkObject(parameters, "parameters", verb);
  checkKeys(parameters, KEYS, "parameters", verb);
  checkChoice(
    parameters.function_to_apply,
    CLASSIFICATION_OUTPUT_TRANSFORMS,
    "parameters.function_to_apply",
    verb,
  );
  checkNumber(parameters.top_k, "parameters.top_k", verb, { min: 1, integer: true });
}

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
 * import { textClassification } from "./text_classification.ts";
 *
 * const fakeHub = (url: string) =>
 *   url.includes("/api/models/")
 *     ? Response.json({ inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task: "text-classification" } } })
 *     : Response.json([[{ label: "POSITIVE", score: 0.9987 }, { label: "NEGATIVE", score: 0.0013 }]]);
 * const labels = await textClassification("A wonderful, moving film.", {
 *   model: "m/x",
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: (input) => Promise.resolve(fakeHub(String(input instanceof Request ? input.url : input))),
 * });
 * assert.deepEqual(labels[0], { label: "POSITIVE", score: 0.9987 });
 * ```
 *
 * @param inputs The text to classify.
 * @param options The model, parameters and transport options.
 * @returns The labels with their scores.
 */
export async function textClassification(
  inputs: string,
  options: TextClassificationOptions = {},
): Promise<TextClassificationOutput> {
  const verb = "classify text";
  checkText(inputs, "inputs", verb);
  const { parameters } = options;
  checkClassificationParameters(parameters, verb);
  return await runTask({
    task: "text-classification",
    verb,
    defaultModel: TEXT_CLASSIFICATION_MODEL,
    call: libraryTextClassification,
    args: { inputs, ...(parameters ? { parameters } : {}) },
    normalize: flatLabels,
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
