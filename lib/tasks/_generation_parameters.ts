/**
 * `generation_parameters`: how speech recognition and image-to-text models
 * generate their text, as the API docs (and transformers) name them.
 *
 * @module
 */

import { checkBoolean, checkKeys, checkNumber, checkObject, got } from "./_check.ts";

/** How speech recognition and image-to-text models generate text (`generation_parameters`). */
export interface GenerationParameters {
  /** Sample instead of greedy decoding. */
  do_sample?: boolean;
  /** When beam search stops: `true`, `false` or `"never"`. */
  early_stopping?: boolean | "never";
  /** Epsilon sampling: drop tokens less probable than this, from 0 to 1. */
  epsilon_cutoff?: number;
  /** Eta sampling cut-off, from 0 to 1. */
  eta_cutoff?: number;
  /** The longest output in tokens, the input included. */
  max_length?: number;
  /** The most tokens to generate; wins over `max_length`. */
  max_new_tokens?: number;
  /** The shortest output in tokens, the input included. */
  min_length?: number;
  /** The fewest tokens to generate; wins over `min_length`. */
  min_new_tokens?: number;
  /** Groups of beams for diverse beam search. */
  num_beam_groups?: number;
  /** Beam search width. */
  num_beams?: number;
  /** Contrastive search's degeneration penalty. */
  penalty_alpha?: number;
  /** Sampling temperature. */
  temperature?: number;
  /** Sample among the k most likely tokens. */
  top_k?: number;
  /** Sample among the most likely tokens whose probabilities add up to p. */
  top_p?: number;
  /** Locally typical sampling, from 0 to 1. */
  typical_p?: number;
  /** Reuse past attention keys and values to go faster. */
  use_cache?: boolean;
}

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
