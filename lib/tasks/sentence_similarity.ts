/**
 * Sentence similarity: how close in meaning each of some sentences is to a
 * source sentence, as the service computes it (the cosine similarity of their
 * embeddings).
 *
 * @module
 */

import { sentenceSimilarity as librarySentenceSimilarity } from "npm:@huggingface/inference@^4.13.30";
import { HfOutputError } from "../errors.ts";
import { checkObject, checkText, checkTextList } from "./_check.ts";
import { parametersToSend } from "./_spec_check.ts";
import { SENTENCE_SIMILARITY_CONTRACT } from "./_specs/sentence_similarity.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** A small, fast English sentence-transformers model served by hf-inference. */
export const SENTENCE_SIMILARITY_MODEL = "sentence-transformers/all-MiniLM-L6-v2";

/** The input of sentence similarity, named as in the API docs. */
export interface SentenceSimilarityInputs {
  /** The sentence the others are compared with. */
  source_sentence: string;
  /** The sentences to compare with `source_sentence` (at least one). */
  sentences: string[];
}

/** A sentence similarity answer: one score per sentence, in the order of `sentences`. */
export type SentenceSimilarityOutput = number[];

/**
 * The parameters of sentence similarity: the spec names none (an empty
 * object, as Hugging Face's own clients send); a provider's own go through
 * `extraParameters`.
 */
export type SentenceSimilarityParameters = Record<string, never>;

/** Options of {@linkcode sentenceSimilarity}. */
export type SentenceSimilarityOptions = TaskOptions<SentenceSimilarityParameters>;

/** One compared sentence of {@linkcode rankSentences}. */
export interface RankedSentence {
  /** 1 for the most similar sentence. */
  rank: number;
  /** The sentence. */
  sentence: string;
  /** Its similarity to the source sentence. */
  score: number;
}

const KEYS: readonly (keyof SentenceSimilarityInputs)[] = ["source_sentence", "sentences"];

/**
 * Compare sentences with a source sentence. The input is checked before any
 * request (both fields present, no blank sentence, no other field, so
 * `sourceSentence` is caught here rather than by a 400). The call goes to
 * `.../models/<id>/pipeline/sentence-similarity`; the answer is one score per
 * sentence, in the order of `sentences`.
 *
 * @example Which sentence is closest? (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankSentences, sentenceSimilarity } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const inputs = { source_sentence: "How do I reset my password?", sentences: ["Opening hours", "Forgot my password"] };
 * const scores = await sentenceSimilarity(inputs, fakeHub("sentence-similarity", [0.21, 0.83]));
 * assert.deepEqual(scores, [0.21, 0.83]);
 * assert.equal(rankSentences(inputs, scores)[0]?.sentence, "Forgot my password");
 * ```
 *
 * @param inputs The source sentence and the sentences to compare with it.
 * @param options The model and transport options.
 * @returns One similarity per sentence, in the order of `inputs.sentences`.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function sentenceSimilarity(
  inputs: SentenceSimilarityInputs,
  options: SentenceSimilarityOptions = {},
): Promise<SentenceSimilarityOutput> {
  const verb = "compare sentences";
  checkInputs(inputs, verb);
  const parameters = parametersToSend(SENTENCE_SIMILARITY_CONTRACT, options, verb);
  const scores = await runTask({
    task: "sentence-similarity",
    verb,
    defaultModel: SENTENCE_SIMILARITY_MODEL,
    call: librarySentenceSimilarity,
    args: { inputs: { source_sentence: inputs.source_sentence, sentences: inputs.sentences }, parameters },
  }, options);
  if (scores.length !== inputs.sentences.length) {
    throw new HfOutputError(
      `Cannot ${verb}: the answer has ${scores.length} scores for ${inputs.sentences.length} sentences`,
      JSON.stringify(scores),
    );
  }
  return scores;
}

/**
 * The sentences with their scores, most similar first (ties keep their
 * order), ready for `table()`.
 *
 * @example Ranking two sentences
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankSentences } from "@hf-workbook/workbook";
 *
 * const ranked = rankSentences({ source_sentence: "cat", sentences: ["car", "kitten"] }, [0.3, 0.8]);
 * assert.deepEqual(ranked, [
 *   { rank: 1, sentence: "kitten", score: 0.8 },
 *   { rank: 2, sentence: "car", score: 0.3 },
 * ]);
 * ```
 *
 * @param inputs The input of {@linkcode sentenceSimilarity}.
 * @param scores Its answer: one score per sentence.
 * @returns The sentences ranked by score.
 *
 * @throws {TypeError} When the inputs are not a source sentence and sentences.
 * @throws {RangeError} When there is not one score per sentence.
 */
export function rankSentences(
  inputs: SentenceSimilarityInputs,
  scores: readonly number[],
): RankedSentence[] {
  const verb = "rank sentences";
  checkInputs(inputs, verb);
  if (!Array.isArray(scores) || scores.length !== inputs.sentences.length) {
    throw new RangeError(
      `Cannot ${verb}: "scores" must hold one score per sentence (${inputs.sentences.length}), got ${
        Array.isArray(scores) ? scores.length : typeof scores
      }`,
    );
  }
  return inputs.sentences
    .map((sentence, i) => ({ sentence, score: scores[i]! }))
    .sort((a, b) => b.score - a.score)
    .map((row, i) => ({ rank: i + 1, ...row }));
}

function checkInputs(inputs: unknown, verb: string): asserts inputs is SentenceSimilarityInputs {
  checkObject(inputs, "inputs", verb);
  for (const key of Object.keys(inputs)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`Cannot ${verb}: "inputs" has no field "${key}"; known: ${KEYS.join(", ")}`);
    }
  }
  checkText(inputs.source_sentence, "inputs.source_sentence", verb);
  checkTextList(inputs.sentences, "inputs.sentences", verb, { noun: "sentences" });
}
