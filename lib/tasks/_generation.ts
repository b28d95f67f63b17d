/**
 * Parameters shared by the text-to-text tasks (summarization, translation):
 * the truncation strategy and the generation parameters.
 *
 * @module
 */

import { checkBoolean, checkChoice, checkKeys, checkNumber, checkObject } from "./_check.ts";

/** How over-long inputs are cut. */
export type TruncationStrategy = "do_not_truncate" | "longest_first" | "only_first" | "only_second";

/** The truncation strategies, for checks and `--help`. */
export const TRUNCATION_STRATEGIES: readonly TruncationStrategy[] = [
  "do_not_truncate",
  "longest_first",
  "only_first",
  "only_second",
];

/** Generation parameters of text-to-text models (`generate_parameters`), as transformers names them. */
export interface GenerateParameters {
  /** The most tokens to generate. */
  max_new_tokens?: number;
  /** The longest output, prompt included for decoder-only models. */
  max_length?: number;
  /** The shortest output. */
  min_length?: number;
  /** The fewest tokens to generate. */
  min_new_tokens?: number;
  /** Sample instead of greedy or beam search. */
  do_sample?: boolean;
  /** Beam search width. */
  num_beams?: number;
  /** Stop beam search when enough candidates are done. */
  early_stopping?: boolean;
  /** Sampling temperature. */
  temperature?: number;
  /** Sample among the k most likely tokens. */
  top_k?: number;
  /** Sample among the most likely tokens whose probabilities add up to p. */
  top_p?: number;
  /** Penalise repeated tokens (1 = none). */
  repetition_penalty?: number;
  /** Forbid repeating n-grams of this size. */
  no_repeat_ngram_size?: number;
  /** Beam search length penalty. */
  length_penalty?: number;
}

const GENERATE_KEYS: readonly (keyof GenerateParameters)[] = [
  "max_new_tokens",
  "max_length",
  "min_length",
  "min_new_tokens",
  "do_sample",
  "num_beams",
  "early_stopping",
  "temperature",
  "top_k",
  "top_p",
  "repetition_penalty",
  "no_repeat_ngram_size",
  "length_penalty",
];

/** Check `generate_parameters` (when present) before any request. */
export function checkGenerateParameters(value: unknown, verb: string): void {
  if (value === undefined) return;
  const name = "parameters.generate_parameters";
  checkObject(value, name, verb);
  checkKeys(value, GENERATE_KEYS, name, verb);
  for (const key of ["max_new_tokens", "max_length", "min_length", "min_new_tokens", "num_beams", "top_k"]) {
    checkNumber(value[key], `${name}.${key}`, verb, { min: key.startsWith("min") ? 0 : 1, integer: true });
  }
  checkNumber(value.no_repeat_ngram_size, `${name}.no_repeat_ngram_size`, verb, { min: 0, integer: true });
  checkNumber(value.temperature, `${name}.temperature`, verb, { min: 0 });
  checkNumber(value.top_p, `${name}.top_p`, verb, { min: 0, max: 1 });
  checkNumber(value.repetition_penalty, `${name}.repetition_penalty`, verb, { min: 0 });
  checkNumber(value.length_penalty, `${name}.length_penalty`, verb);
  checkBoolean(value.do_sample, `${name}.do_sample`, verb);
  checkBoolean(value.early_stopping, `${name}.early_stopping`, verb);
}

/** Check the parameters every text-to-text task shares. */
export function checkTextToTextParameters(
  parameters: Record<string, unknown>,
  verb: string,
): void {
  checkBoolean(parameters.clean_up_tokenization_spaces, "parameters.clean_up_tokenization_spaces", verb);
  checkChoice(parameters.truncation, TRUNCATION_STRATEGIES, "parameters.truncation", verb);
  checkGenerateParameters(parameters.generate_parameters, verb);
}
