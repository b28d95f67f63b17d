/**
 * Feature extraction: turn texts into vectors of numbers (embeddings), and
 * compare them with cosine similarity.
 *
 * How deep the answer is depends on the model, not on the call: a
 * sentence-transformers model pools each text into one vector (`[dim]` for a
 * text, `[texts][dim]` for a list), while a plain transformer returns one
 * vector per token (`[1][tokens][dim]` for a text, `[texts][1][tokens][dim]`
 * for a list). {@linkcode embeddingShape} tells which, and
 * {@linkcode sentenceVectors} gives one vector per text or says why not.
 *
 * @module
 */

import { featureExtraction as libraryFeatureExtraction } from "npm:@huggingface/inference@^4.13.30";
import type {
  FeatureExtractionInput as TasksFeatureExtractionInput,
  FeatureExtractionInputTruncationDirection as TasksFeatureExtractionInputTruncationDirection,
} from "npm:@huggingface/tasks@^0.21.54";
import { checkText, checkTextList } from "./_check.ts";
import { choicesOf, type Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { FEATURE_EXTRACTION_CONTRACT } from "./_specs/feature_extraction.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** A small, fast English sentence-transformers model served by hf-inference (384 dimensions). */
export const FEATURE_EXTRACTION_MODEL: string = FEATURE_EXTRACTION_CONTRACT.defaultModel;

/** Which end of an over-long input is cut when `truncate` is on (the spec spells them in lower case). */
export type TruncationDirection = TasksFeatureExtractionInputTruncationDirection;

/** The values of {@linkcode TruncationDirection}, as the spec lists them. */
export const TRUNCATION_DIRECTIONS: readonly TruncationDirection[] = choicesOf(
  FEATURE_EXTRACTION_CONTRACT,
  "truncation_direction",
);

/** The input as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type FeatureExtractionSpecInput = TasksFeatureExtractionInput;

/**
 * Parameters of feature extraction: the spec's (`@huggingface/tasks`), a
 * misspelt name a compile error. Unlike other tasks, the service takes them
 * at the top level of the body, next to `inputs`, and the helper sends them
 * there.
 */
export type FeatureExtractionParameters = Omit<Known<FeatureExtractionSpecInput>, "inputs">;

/** Options of {@linkcode featureExtraction}. */
export type FeatureExtractionOptions = TaskOptions<FeatureExtractionParameters>;

/**
 * The vectors, as deep as the model makes them: `number[]` (one pooled text),
 * `number[][]` (pooled texts, or a text's tokens), `number[][][]`
 * (`[1][tokens][dim]`) or `number[][][][]` (`[texts][1][tokens][dim]`).
 * `@huggingface/inference` types it `(number | number[] | number[][])[]`,
 * which misses the deepest shape the service really sends.
 */
export type FeatureExtractionOutput = number[] | number[][] | number[][][] | number[][][][];

/**
 * Embed a text, or a list of texts, as vectors. The input is checked before
 * any request (a non-empty text, or a non-empty list of non-empty texts). The
 * call goes to `.../models/<id>/pipeline/feature-extraction`.
 *
 * @example One vector per sentence (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { embeddingShape, featureExtraction } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const vectors = await featureExtraction(["今天天氣很好", "The weather is nice today"], fakeHub("feature-extraction", [[0.6, 0.8, 0], [0, 0.6, 0.8]]));
 * assert.deepEqual(embeddingShape(vectors), [2, 3]);
 * ```
 *
 * @param inputs A text, or a non-empty list of texts.
 * @param options The model, parameters and transport options.
 * @returns The vectors, as deep as the model makes them.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export async function featureExtraction(
  inputs: string | readonly string[],
  options: FeatureExtractionOptions = {},
): Promise<FeatureExtractionOutput> {
  const verb = "embed text";
  if (Array.isArray(inputs)) checkTextList(inputs, "inputs", verb);
  else checkText(inputs, "inputs", verb);
  const parameters = parametersToSend(FEATURE_EXTRACTION_CONTRACT, options, verb);
  const output = await runTask({
    task: "feature-extraction",
    verb,
    defaultModel: FEATURE_EXTRACTION_MODEL,
    call: libraryFeatureExtraction,
    args: { inputs: inputs as string | string[], ...parameters },
  }, options);
  return output as FeatureExtractionOutput;
}

/**
 * The sizes of an answer along its first elements: `[384]` for one pooled
 * text, `[3, 384]` for three, `[1, 7, 768]` for a text's 7 token vectors.
 * (Token counts differ between texts; the first text's count is given.)
 *
 * @example The shape of a per-token answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { embeddingShape } from "@hf-workbook/workbook";
 *
 * assert.deepEqual(embeddingShape([[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]]), [1, 3, 2]);
 * ```
 *
 * @param output An answer of {@linkcode featureExtraction}.
 * @returns The size of each level, outermost first.
 */
export function embeddingShape(output: FeatureExtractionOutput): number[] {
  const shape: number[] = [];
  let level: unknown = output;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/**
 * One vector per text: a pooled answer as a list of vectors (`[dim]` becomes
 * `[[dim]]`). A per-token answer is rejected with a RangeError that says so:
 * pick a sentence-transformers model, or pool the token vectors yourself.
 *
 * @example A pooled answer as a list of vectors; a per-token one rejected
 * ```ts
 * import assert from "node:assert/strict";
 * import { sentenceVectors } from "@hf-workbook/workbook";
 *
 * assert.deepEqual(sentenceVectors([0.6, 0.8]), [[0.6, 0.8]]);
 * assert.throws(() => sentenceVectors([[[0.1, 0.2], [0.3, 0.4]]]), RangeError);
 * ```
 *
 * @param output An answer of {@linkcode featureExtraction}.
 * @returns The vectors, one per text.
 *
 * @throws {RangeError} When the answer is not one vector per text.
 */
export function sentenceVectors(output: FeatureExtractionOutput): number[][] {
  const shape = embeddingShape(output);
  if (shape.length === 1) return [output as number[]];
  if (shape.length === 2) return output as number[][];
  throw new RangeError(
    `Cannot compare texts: the answer holds one vector per token (shape [${
      shape.join(", ")
    }]), not one per text; use a sentence-transformers model, or pool the token vectors`,
  );
}

/**
 * The cosine similarity of two vectors: 1 for the same direction, 0 for
 * unrelated, -1 for opposite. Vectors of different lengths, empty vectors and
 * zero vectors (whose direction is undefined) are rejected with a RangeError.
 *
 * @example Orthogonal and parallel vectors
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosineSimilarity } from "@hf-workbook/workbook";
 *
 * assert.equal(cosineSimilarity([1, 0], [0, 2]), 0);
 * assert.equal(cosineSimilarity([3, 4], [6, 8]), 1);
 * ```
 *
 * @param a A vector.
 * @param b A vector of the same length.
 * @returns A number from -1 to 1.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  return cosine(a, b, "a", "b");
}

/**
 * The cosine similarity of every pair of vectors: a square, symmetric matrix
 * with 1 on its diagonal, ready for `heatTable()`.
 *
 * @example Pairwise similarities of three vectors
 * ```ts
 * import assert from "node:assert/strict";
 * import { similarityMatrix } from "@hf-workbook/workbook";
 *
 * assert.deepEqual(similarityMatrix([[1, 0], [0, 1], [1, 0]]), [[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
 * ```
 *
 * @param vectors At least one vector, all of the same length.
 * @returns `matrix[i][j]`, the similarity of `vectors[i]` and `vectors[j]`.
 *
 * @throws {RangeError} When the vectors are empty or of different lengths.
 */
export function similarityMatrix(vectors: readonly (readonly number[])[]): number[][] {
  if (!Array.isArray(vectors) || vectors.length === 0) {
    throw new RangeError(
      `Cannot compare vectors: "vectors" must list at least 1 vector, got ${
        Array.isArray(vectors) ? 0 : typeof vectors
      }`,
    );
  }
  const matrix = vectors.map(() => new Array<number>(vectors.length).fill(0));
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i; j < vectors.length; j++) {
      const value = cosine(vectors[i]!, vectors[j]!, `vectors[${i}]`, `vectors[${j}]`);
      matrix[i]![j] = value;
      matrix[j]![i] = value;
    }
  }
  return matrix;
}

function cosine(a: readonly number[], b: readonly number[], nameA: string, nameB: string): number {
  for (const [vector, name] of [[a, nameA], [b, nameB]] as const) {
    if (!Array.isArray(vector)) {
      throw new TypeError(
        `Cannot compare vectors: "${name}" must be an array of numbers, got ${typeof vector}`,
      );
    }
    if (vector.length === 0) throw new RangeError(`Cannot compare vectors: "${name}" is empty`);
  }
  if (a.length !== b.length) {
    throw new RangeError(
      `Cannot compare vectors: "${nameA}" and "${nameB}" must have the same length, got ${a.length} and ${b.length}`,
    );
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      const [name, value] = Number.isFinite(x) ? [nameB, y] : [nameA, x];
      throw new TypeError(`Cannot compare vectors: "${name}[${i}]" must be a finite number, got ${value}`);
    }
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  for (const [norm, name] of [[normA, nameA], [normB, nameB]] as const) {
    if (norm === 0) {
      throw new RangeError(`Cannot compare vectors: "${name}" is a zero vector, which has no direction`);
    }
  }
  return Math.min(1, Math.max(-1, dot / Math.sqrt(normA * normB)));
}
