/**
 * The generation parameters, as the spec's common definitions name them
 * (`GenerationParameters` of `@huggingface/tasks`): `generation_parameters` of
 * speech recognition and image-to-text, and `generate_parameters` of the
 * text-to-text tasks (summarization, translation), which take three more
 * options of transformers' `generate()`.
 *
 * @module
 */

import type {
  GenerationParameters as TasksGenerationParameters,
  SummarizationTruncationStrategy,
} from "@huggingface/tasks";
import type { Known } from "./_spec.ts";
import { checkBoolean, checkKeys, checkNumber, checkObject, got } from "./_check.ts";

/** How a model generates text: `max_new_tokens`, `temperature`, `num_beams`, ... (the spec's common definition). */
export type GenerationParameters = Known<TasksGenerationParameters>;

/** The generation parameters of text-to-text models (`generate_parameters`): the spec's, and three of transformers. */
export interface TextToTextGenerationParameters extends GenerationParameters {
  /** Penalise repeated tokens (1.0: no penalty). */
  repetition_penalty?: number;
  /** N-grams of this size can occur only once. */
  no_repeat_ngram_size?: number;
  /** The exponential length penalty of beam search (> 0 favours longer outputs). */
  length_penalty?: number;
}

/** How over-long inputs of a text-to-text model are cut. */
export type TruncationStrategy = SummarizationTruncationStrategy;

const KEYS: readonly (keyof GenerationParameters)[] = [
  "do_sample",
  "early_stopping",
  "epsilon_cutoff",
  "eta_cutoff",
  "max_length",
  "max_new_tokens",
  "min_length",
  "min_new_tokens",
  "num_beam_groups",
  "num_beams",
  "penalty_alpha",
  "temperature",
  "top_k",
  "top_p",
  "typical_p",
  "use_cache",
];

/** Check `generation_parameters` (when present) before any request. */
export function checkGenerationParameters(value: unknown, name: string, verb: string): void {
  if (value === undefined) return;
  checkObject(value, name, verb);
  checkKeys(value, KEYS, name, verb);
  checkBoolean(value.do_sample, `${name}.do_sample`, verb);
  checkBoolean(value.use_cache, `${name}.use_cache`, verb);
  if (
    value.early_stopping !== undefined && typeof value.early_stopping !== "boolean" &&
    value.early_stopping !== "never"
  ) {
    throw new TypeError(
      `Cannot ${verb}: "${name}.early_stopping" must be true, false or "never", got ${
        got(value.early_stopping)
      }`,
    );
  }
  for (const key of ["max_length", "max_new_tokens", "num_beam_groups", "num_beams", "top_k"] as const) {
    checkNumber(value[key], `${name}.${key}`, verb, { min: 1, integer: true });
  }
  for (const key of ["min_length", "min_new_tokens"] as const) {
    checkNumber(value[key], `${name}.${key}`, verb, { min: 0, integer: true });
  }
  for (const key of ["epsilon_cutoff", "eta_cutoff", "top_p", "typical_p"] as const) {
    checkNumber(value[key], `${name}.${key}`, verb, { min: 0, max: 1 });
  }
  checkNumber(value.temperature, `${name}.temperature`, verb, { min: 0 });
  checkNumber(value.penalty_alpha, `${name}.penalty_alpha`, verb, { min: 0 });
}
