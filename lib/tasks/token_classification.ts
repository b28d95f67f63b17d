/**
 * Token classification (named-entity recognition): the series' Ep.5
 * (`台灣是一個非常美麗的地區` with XLM-RoBERTa fine-tuned on CoNLL-03).
 *
 * The service answers in one of two shapes, chosen by `aggregation_strategy`:
 *
 * - grouped (the API's default, `simple`, and `first`, `average`, `max`):
 *   `[{entity_group: "LOC", score, word: "台灣", start, end}]`, one entry per
 *   entity, its type without the `B-`/`I-` prefix;
 * - per token (`none`, what a local transformers pipeline gives by default, as
 *   in the series' notebook): `[{entity: "I-LOC", score, index, word: "▁台灣",
 *   start, end}]`, one entry per sub-word token, with its IOB tag and the
 *   tokenizer's own spelling.
 *
 * `@huggingface/inference` accepts only the first shape; this helper returns
 * both, typed as the `@huggingface/tasks` output (`entity_group` or `entity`).
 *
 * @module
 */

import { tokenClassification as libraryTokenClassification } from "npm:@huggingface/inference@^4.13.30";
import type {
  TokenClassificationAggregationStrategy as TasksTokenClassificationAggregationStrategy,
  TokenClassificationOutput as TasksTokenClassificationOutput,
  TokenClassificationOutputElement as TasksTokenClassificationOutputElement,
  TokenClassificationParameters as TasksTokenClassificationParameters,
} from "npm:@huggingface/tasks@^0.21.54";
import { checkText } from "./_check.ts";
import { choicesOf, type Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TOKEN_CLASSIFICATION_CONTRACT } from "./_specs/token_classification.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** The answer of token classification, as `@huggingface/tasks` types it: one element per entity (or token). */
export type TokenClassificationOutput = TasksTokenClassificationOutput;

/** One entity (`entity_group`) or token (`entity`), with its `score`, `word` and `start`/`end` offsets, as `@huggingface/tasks` types it. */
export type TokenClassificationOutputElement = TasksTokenClassificationOutputElement;

/**
 * The series' model (Ep.5): XLM-RoBERTa large fine-tuned on English CoNLL-03,
 * which finds places and people in other languages too. The series called it
 * by its old id `xlm-roberta-large-finetuned-conll03-english`; the Hub moved it
 * under `FacebookAI/` (the old id answers a redirect).
 */
export const TOKEN_CLASSIFICATION_MODEL = "FacebookAI/xlm-roberta-large-finetuned-conll03-english";

/** How sub-word tokens are fused into entities (the spec's `aggregation_strategy`). */
export type AggregationStrategy = TasksTokenClassificationAggregationStrategy;

/** The aggregation strategies, as the spec lists them. */
export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = choicesOf(
  TOKEN_CLASSIFICATION_CONTRACT,
  "aggregation_strategy",
);

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TokenClassificationSpecParameters = TasksTokenClassificationParameters;

/** Parameters of token classification: the spec's (`@huggingface/tasks`), a misspelt name a compile error. */
export type TokenClassificationParameters = Known<TokenClassificationSpecParameters>;

/** Options of {@linkcode tokenClassification}. */
export type TokenClassificationOptions = TaskOptions<TokenClassificationParameters>;

/**
 * Find the named entities of a text. The input is checked before any request.
 * Each entity has `start`/`end` offsets in the text (counted in characters,
 * as Python counts them), a `score`, the `word` as the tokenizer spells it,
 * and its type: `entity_group` when the service groups tokens (the default),
 * `entity` per token with `aggregation_strategy: "none"`.
 *
 * @example Ep.5's sentence (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenClassification } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const [first] = await tokenClassification("台灣是一個非常美麗的地區", {
 *   ...fakeHub("token-classification", [{ entity: "I-LOC", score: 0.999995, index: 1, word: "▁台灣", start: 0, end: 2 }]),
 *   parameters: { aggregation_strategy: "none" },
 * });
 * assert.equal(first?.entity, "I-LOC");
 * assert.equal(first?.word, "▁台灣");
 * ```
 *
 * @param inputs The text.
 * @param options The model, `parameters` and transport options.
 * @returns The entities, in the order of the text.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function tokenClassification(
  inputs: string,
  options: TokenClassificationOptions = {},
): Promise<TokenClassificationOutput> {
  const verb = "classify tokens";
  checkText(inputs, "inputs", verb);
  const parameters = parametersToSend(TOKEN_CLASSIFICATION_CONTRACT, options, verb);
  return await runTask({
    task: "token-classification",
    verb,
    defaultModel: TOKEN_CLASSIFICATION_MODEL,
    call: libraryTokenClassification,
    args: { inputs, parameters },
    normalize: perToken,
    contract: TOKEN_CLASSIFICATION_CONTRACT,
  }, options);
}

/** The per-token shape (`aggregation_strategy: "none"`), which the library rejects for lack of `entity_group`. */
function perToken(raw: unknown): TokenClassificationOutput | undefined {
  if (!Array.isArray(raw)) return undefined;
  const ok = raw.every((x: Partial<TokenClassificationOutputElement> | null) =>
    typeof x === "object" && x !== null &&
    typeof x.entity === "string" &&
    typeof x.score === "number" &&
    typeof x.word === "string" &&
    typeof x.start === "number" &&
    typeof x.end === "number"
  );
  return ok ? raw as TokenClassificationOutput : undefined;
}

/** An entity as a span of the text: what the `entities()` display highlights. */
export interface TokenEntitySpan {
  /** Offset of the first character (code points, as the service counts). */
  start: number;
  /** Offset after the last character. */
  end: number;
  /** The entity type: `entity_group` (`LOC`) when grouped, else the token's tag `entity` (`I-LOC`). */
  label: string;
  /** The model's confidence. */
  score: number;
}

/**
 * The entities of a {@linkcode tokenClassification} answer as spans to
 * highlight: `start`, `end`, `score` and a `label` that is the
 * `entity_group` of a grouped answer or the `entity` tag of a per-token one.
 *
 * @example Spans for the entities display
 * ```ts
 * import assert from "node:assert/strict";
 * import { entitySpans } from "@hf-workbook/workbook";
 *
 * assert.deepEqual(
 *   entitySpans([{ entity_group: "LOC", score: 0.99, word: "台灣", start: 0, end: 2 }]),
 *   [{ start: 0, end: 2, label: "LOC", score: 0.99 }],
 * );
 * ```
 *
 * @param output The answer of {@linkcode tokenClassification}.
 * @returns One span per entity (or token), in the same order.
 */
export function entitySpans(output: TokenClassificationOutput): TokenEntitySpan[] {
  return output.map((e) => ({
    start: e.start,
    end: e.end,
    label: e.entity_group ?? e.entity ?? "?",
    score: e.score,
  }));
}
