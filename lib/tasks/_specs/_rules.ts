/**
 * The workbook's rules that several contracts share, laid over the spec's
 * schemas (see `defineContract`'s `rules`).
 *
 * Generation: the rule for `generate_parameters` of the text-to-text tasks
 * (summarization, translation): the spec leaves it free-form ("additional
 * parametrization of the text generation algorithm"); the workbook narrows it
 * to the spec's own `GenerationParameters` (common-definitions.json, what
 * speech recognition and image-to-text take) plus three `generate()` options
 * of transformers that text-to-text models use, so a misspelt name is caught.
 * Anything else goes through `extraParameters`.
 *
 * @module
 */

import common from "./hf/common-definitions.json" with { type: "json" };
import type { JsonSchema } from "../_spec.ts";

const SPEC = common.definitions.GenerationParameters;

/** The ranges the spec leaves out, as the workbook checks them before any request. */
const RANGES: Record<string, JsonSchema> = {
  max_new_tokens: { minimum: 1 },
  max_length: { minimum: 1 },
  min_new_tokens: { minimum: 0 },
  min_length: { minimum: 0 },
  num_beams: { minimum: 1 },
  num_beam_groups: { minimum: 1 },
  top_k: { minimum: 1 },
  top_p: { minimum: 0, maximum: 1 },
  typical_p: { minimum: 0, maximum: 1 },
  epsilon_cutoff: { minimum: 0, maximum: 1 },
  eta_cutoff: { minimum: 0, maximum: 1 },
  temperature: { minimum: 0 },
};

/** The rule laid over `generation_parameters` (speech recognition, image-to-text): the spec's, with ranges. */
export const GENERATION_RULE: JsonSchema = {
  ...SPEC,
  properties: Object.fromEntries(
    Object.entries(SPEC.properties).map(([name, schema]) => [name, { ...schema, ...RANGES[name] }]),
  ),
};

/** The rule laid over `generate_parameters` (summarization, translation). */
export const TEXT_TO_TEXT_GENERATION: JsonSchema = {
  ...GENERATION_RULE,
  properties: {
    ...(GENERATION_RULE.properties as Record<string, JsonSchema>),
    repetition_penalty: {
      type: "number",
      exclusiveMinimum: 0,
      description: "transformers' generate(): penalise repeated tokens (1.0 means no penalty).",
    },
    no_repeat_ngram_size: {
      type: "integer",
      minimum: 0,
      description: "transformers' generate(): n-grams of this size can occur only once.",
    },
    length_penalty: {
      type: "number",
      description:
        "transformers' generate(): exponential length penalty of beam search (> 0 favours longer outputs).",
    },
  },
};

/** Stop sequences (`stop`): 1 to 4 non-empty strings, as the OpenAI-compatible API and TGI take them. */
export const STOP_SEQUENCES: JsonSchema = {
  minItems: 1,
  maxItems: 4,
  items: { type: "string", minLength: 1, "x-must": "be a non-empty string" },
  "x-must": "list 1 to 4 non-empty strings",
};

/** A language code of a multilingual translation model (`zho_Hant`, `en_XX`): one word. */
export const LANGUAGE_CODE: JsonSchema = {
  pattern: "^\\S+$",
  "x-must": 'be a language code without spaces (e.g. "zho_Hant", "en_XX")',
};

/** A zero-shot hypothesis template: it marks where the label goes with `{}`. */
export const HYPOTHESIS_TEMPLATE: JsonSchema = {
  pattern: "\\{\\}",
  "x-must": "mark where the label goes with {}",
};

/** The most candidate labels hf-inference's zero-shot text classification takes in one request. */
export const MAX_CANDIDATE_LABELS = 10;
