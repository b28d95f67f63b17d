/**
 * Zero-shot classification: score a text against labels you choose at call
 * time, with a model trained on natural language inference (NLI), no training
 * of your own.
 *
 * @module
 */

import { zeroShotClassification as libraryZeroShotClassification } from "npm:@huggingface/inference@^4.13.30";
import type {
  ZeroShotClassificationOutputElement as TasksZeroShotClassificationOutputElement,
  ZeroShotClassificationParameters as TasksZeroShotClassificationParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { checkText } from "./_check.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { ZERO_SHOT_CLASSIFICATION_CONTRACT } from "./_specs/zero_shot_classification.ts";
import { runTask, type TaskOptions } from "./_run.ts";
import { carryProvenance } from "../provenance.ts";

/** A well-known English NLI model served by hf-inference. */
export const ZERO_SHOT_CLASSIFICATION_MODEL: string = ZERO_SHOT_CLASSIFICATION_CONTRACT.defaultModel;

/** The most candidate labels one call may carry: hf-inference refuses more. */
export { MAX_CANDIDATE_LABELS } from "./_specs/_rules.ts";

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type ZeroShotClassificationSpecParameters = TasksZeroShotClassificationParameters;

/**
 * Parameters of zero-shot classification: the spec's (`@huggingface/tasks`),
 * a misspelt name a compile error. `candidate_labels` is required (1 to
 * {@linkcode MAX_CANDIDATE_LABELS}, none blank or repeated); `{}` in
 * `hypothesis_template` marks where the label goes (a Chinese model may read a
 * Chinese template better, e.g. `"這段文字是關於{}。"`).
 */
export type ZeroShotClassificationParameters = Known<ZeroShotClassificationSpecParameters>;

/** One element of the answer as the spec's generated type (`@huggingface/tasks`) writes it, open index signature included. */
export type ZeroShotClassificationSpecOutputElement = TasksZeroShotClassificationOutputElement;

/** One candidate label with its `score`: a probability among the labels, or on its own with `multi_label`. */
export type ZeroShotClassificationOutputElement = Known<ZeroShotClassificationSpecOutputElement>;

/** A zero-shot classification answer: every candidate label with its score, highest first. */
export type ZeroShotClassificationOutput = ZeroShotClassificationOutputElement[];

/** Options of {@linkcode zeroShotClassification}: `parameters.candidate_labels` is required. */
export interface ZeroShotClassificationOptions extends TaskOptions<ZeroShotClassificationParameters> {
  /** The task's parameters; `candidate_labels` is required. */
  parameters: ZeroShotClassificationParameters;
}

/**
 * Score a text against candidate labels. The input is checked before any
 * request: 1 to 10 labels, none blank or repeated, and a template with `{}`.
 *
 * The service answers `{sequence, labels, scores}` for a text (a list of those
 * when it was sent a list). `@huggingface/inference` 4.13.30 accepts the
 * object but rejects the list; both are read here. The answer is returned as
 * `@huggingface/tasks` types it, `[{label, score}, ...]`, sorted by score,
 * highest first.
 *
 * @example Which topic is a sentence about? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeroShotClassification } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const scores = await zeroShotClassification("The new GPU doubles training speed.", {
 *   ...fakeHub("zero-shot-classification", { sequence: "The new GPU doubles training speed.", labels: ["technology", "sports"], scores: [0.97, 0.03] }),
 *   parameters: { candidate_labels: ["sports", "technology"] },
 * });
 * assert.deepEqual(scores, [{ label: "technology", score: 0.97 }, { label: "sports", score: 0.03 }]);
 * ```
 *
 * @example No candidate labels: rejected before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeroShotClassification } from "@hf-workbook/workbook";
 *
 * await assert.rejects(
 *   zeroShotClassification("Any text", { parameters: { candidate_labels: [] }, mode: "replay" }),
 *   {
 *     name: "RangeError",
 *     message: 'Cannot classify text: "parameters.candidate_labels" must list 1 to 10 distinct, non-blank labels, got an array of 0',
 *   },
 * );
 * ```
 *
 * @param inputs The text to classify.
 * @param options The model, the parameters (`candidate_labels` required) and transport options.
 * @returns Each label with its score, highest first.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function zeroShotClassification(
  inputs: string,
  options: ZeroShotClassificationOptions,
): Promise<ZeroShotClassificationOutput> {
  const verb = "classify text";
  checkText(inputs, "inputs", verb);
  const parameters = parametersToSend(ZERO_SHOT_CLASSIFICATION_CONTRACT, options ?? {}, verb);
  const output = await runTask({
    task: "zero-shot-classification",
    verb,
    defaultModel: ZERO_SHOT_CLASSIFICATION_MODEL,
    call: libraryZeroShotClassification,
    args: { inputs, parameters },
    normalize: listOfOne,
    contract: ZERO_SHOT_CLASSIFICATION_CONTRACT,
  }, options);
  const scores = output
    .map((element) => carryProvenance(element, { label: element.label, score: element.score }))
    .sort((a, b) => b.score - a.score);
  return carryProvenance(output, scores);
}

/** The `{sequence, labels, scores}` answer the service really sends. */
interface SequenceScores {
  sequence: string;
  labels: string[];
  scores: number[];
}

function isSequenceScores(value: unknown): value is SequenceScores {
  if (typeof value !== "object" || value === null) return false;
  const { labels, scores } = value as Partial<SequenceScores>;
  return Array.isArray(labels) && Array.isArray(scores) && labels.length === scores.length &&
    labels.every((label) => typeof label === "string") && scores.every((score) => typeof score === "number");
}

/**
 * `[{sequence, labels, scores}]`, the answer to a text sent in a list, which
 * the library rejects; `undefined` for anything else (a list of several texts
 * has no single answer).
 */
function listOfOne(raw: unknown): ZeroShotClassificationOutput | undefined {
  if (!Array.isArray(raw) || raw.length !== 1 || !isSequenceScores(raw[0])) return undefined;
  const { labels, scores } = raw[0];
  return labels.map((label, i) => ({ label, score: scores[i]! }));
}
