/**
 * Translation: the series' Ep.2 (`這是一個很困難的問題` with Helsinki-NLP's
 * Chinese→English model), one text or several at once.
 *
 * @module
 */

import { translation as libraryTranslation } from "@huggingface/inference";
import type { TranslationOutput as TasksTranslationOutput } from "@huggingface/tasks";
import { HfOutputError } from "../errors.ts";
import { checkKeys, checkObject, checkText, got } from "./_check.ts";
import {
  checkTextToTextParameters,
  type GenerateParameters,
  type TruncationStrategy,
} from "./_generation.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** The answer of translation, as `@huggingface/tasks` types it: `{translation_text}`. */
export type TranslationOutput = TasksTranslationOutput;

/** The series' model (Ep.2): Helsinki-NLP's Marian model from Chinese to English. */
export const TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-zh-en";

/** Parameters of translation, named as in the API docs. */
export interface TranslationParameters {
  /**
   * The language of the text, in the model's own code (`zho_Hant` for NLLB,
   * `zh_CN` for mBART-50). Only for models that translate from several
   * languages; one-pair models such as `opus-mt-zh-en` do without.
   */
  src_lang?: string;
  /** The language to translate into, in the model's own code (`eng_Latn`, `en_XX`). Only for multilingual models. */
  tgt_lang?: string;
  /** Whether to clean up the potential extra spaces in the output. */
  clean_up_tokenization_spaces?: boolean;
  /** How over-long inputs are cut. */
  truncation?: TruncationStrategy;
  /** Generation parameters (`max_new_tokens`, `num_beams`, ...). */
  generate_parameters?: GenerateParameters;
}

/** Options of {@linkcode translation}. */
export type TranslationOptions = TaskOptions<TranslationParameters>;

const KEYS = [
  "src_lang",
  "tgt_lang",
  "clean_up_tokenization_spaces",
  "truncation",
  "generate_parameters",
] as const;

/**
 * Translate a text. The input is checked before any request; the answer
 * `[{translation_text}]` is returned as its first element, as
 * `@huggingface/inference` does.
 *
 * @example Ep.2's sentence, from Chinese to English (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { translation } from "./translation.ts";
 *
 * const fakeHub = (url: string) =>
 *   url.includes("/api/models/")
 *     ? Response.json({ inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task: "translation" } } })
 *     : Response.json([{ translation_text: "It's a very difficult question." }]);
 * const { translation_text } = await translation("這是一個很困難的問題", {
 *   model: "m/x",
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: (input) => Promise.resolve(fakeHub(String(input instanceof Request ? input.url : input))),
 * });
 * assert.equal(translation_text, "It's a very difficult question.");
 * ```
 *
 * @param inputs The text to translate.
 * @param options The model, `parameters` (`src_lang` / `tgt_lang` for multilingual models) and transport options.
 * @returns The translation.
 */
export function translation(inputs: string, options?: TranslationOptions): Promise<TranslationOutput>;
/**
 * Translate several texts in one request: the service answers one
 * `{translation_text}` per text, in order.
 *
 * @example Two sentences at once (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { translation } from "./translation.ts";
 *
 * const fakeHub = (url: string) =>
 *   url.includes("/api/models/")
 *     ? Response.json({ inferenceProviderMapping: { "hf-inference": { status: "live", providerId: "m/x", task: "translation" } } })
 *     : Response.json([{ translation_text: "It's a very difficult question." }, { translation_text: "Good morning." }]);
 * const answers = await translation(["這是一個很困難的問題", "早安"], {
 *   model: "m/x",
 *   mode: "live",
 *   accessToken: "hf_test",
 *   fetch: (input) => Promise.resolve(fakeHub(String(input instanceof Request ? input.url : input))),
 * });
 * assert.deepEqual(answers.map((a) => a.translation_text), ["It's a very difficult question.", "Good morning."]);
 * ```
 *
 * @param inputs The texts to translate (at least one).
 * @param options The model, `parameters` and transport options.
 * @returns One translation per text, in order.
 */
export function translation(
  inputs: readonly string[],
  options?: TranslationOptions,
): Promise<TranslationOutput[]>;
export async function translation(
  inputs: string | readonly string[],
  options: TranslationOptions = {},
): Promise<TranslationOutput | TranslationOutput[]> {
  const verb = "translate";
  if (Array.isArray(inputs)) {
    if (inputs.length === 0) {
      throw new RangeError(`Cannot ${verb}: "inputs" must list at least one text, got an array of 0`);
    }
    inputs.forEach((text, i) => checkText(text, `inputs[${i}]`, verb));
  } else if (typeof inputs !== "string") {
    throw new TypeError(
      `Cannot ${verb}: "inputs" must be a string or an array of strings, got ${got(inputs)}`,
    );
  } else {
    checkText(inputs, "inputs", verb);
  }
  const { parameters } = options;
  if (parameters !== undefined) {
    checkObject(parameters, "parameters", verb);
    checkKeys(parameters, KEYS, "parameters", verb);
    for (const name of ["src_lang", "tgt_lang"] as const) {
      const code = parameters[name];
      if (code === undefined) continue;
      checkText(code, `parameters.${name}`, verb);
      if (/\s/.test(code)) {
        throw new RangeError(
          `Cannot ${verb}: "parameters.${name}" must be a language code without spaces (e.g. "zho_Hant", "en_XX"), got "${code}"`,
        );
      }
    }
    checkTextToTextParameters(parameters, verb);
  }
  const answer: unknown = await runTask({
    task: "translation",
    verb,
    defaultModel: TRANSLATION_MODEL,
    call: libraryTranslation,
    args: { inputs, ...(parameters ? { parameters } : {}) },
  }, options);
  // The library returns the element of a one-element answer and the array otherwise.
  const list = (Array.isArray(answer) ? answer : [answer]) as TranslationOutput[];
  const expected = Array.isArray(inputs) ? inputs.length : 1;
  if (list.length !== expected) {
    throw new HfOutputError(
      `Cannot ${verb}: the service sent ${list.length} translations for ${expected} text${
        expected === 1 ? "" : "s"
      }`,
      JSON.stringify(answer),
    );
  }
  return Array.isArray(inputs) ? list : list[0]!;
}
