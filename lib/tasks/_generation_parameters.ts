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
} from "npm:@huggingface/tasks@^0.21.54";
import { choicesOf, type Known } from "./_spec.ts";
import { SUMMARIZATION_CONTRACT } from "./_specs/summarization.ts";

/** The parameters as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type GenerationSpecParameters = TasksGenerationParameters;

/** How a model generates text: `max_new_tokens`, `temperature`, `num_beams`, ... (the spec's common definition). */
export type GenerationParameters = Known<GenerationSpecParameters>;

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

/** The truncation strategies, as the spec lists them. */
export const TRUNCATION_STRATEGIES: readonly TruncationStrategy[] = choicesOf(
  SUMMARIZATION_CONTRACT,
  "truncation",
);
