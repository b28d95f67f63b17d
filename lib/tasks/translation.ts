/**
 * Translation: the series' Ep.2 (`這是一個很困難的問題` with Helsinki-NLP's
 * Chinese→English model), one text or several at once.
 *
 * @module
 */

import { translation as libraryTranslation } from "npm:@huggingface/inference@^4.13.30";
import type {
  TranslationInput as TasksTranslationInput,
  TranslationOutput as TasksTranslationOutput,
} from "npm:@huggingface/tasks@^0.21.54";
import { HfOutputError } from "../errors.ts";
import { checkText, got } from "./_check.ts";
import type { TextToTextGenerationParameters } from "./_generation_parameters.ts";
import type { Known } from "./_spec.ts";
import { parametersToSend } from "./_spec_check.ts";
import { TRANSLATION_CONTRACT } from "./_specs/translation.ts";
import { runTask, type TaskOptions } from "./_run.ts";

/** The answer of translation, as `@huggingface/tasks` types it: `{translation_text}`. */
export type TranslationOutput = TasksTranslationOutput;

/** The series' model (Ep.2): Helsinki-NLP's Marian model from Chinese to English. */
export const TRANSLATION_MODEL: string = TRANSLATION_CONTRACT.defaultModel;

/** The input as the spec's generated type (`@huggingface/tasks`) writes them, open index signature included. */
export type TranslationSpecInput = TasksTranslationInput;

/**
 * Parameters of translation: the spec's (`@huggingface/tasks`), with
 * `generate_parameters` narrowed to the generation parameters text-to-text
 * models take. `src_lang` / `tgt_lang` are in the model's own codes
 * (`zho_Hant` for NLLB, `zh_CN` for mBART-50), only for models that translate
 * between several languages.
 */
export type TranslationParameters =
  & Omit<Known<NonNullable<TranslationSpecInput["parameters"]>>, "generate_parameters">
  & {
    /** Generation parameters (`max_new_tokens`, `num_beams`, ...). */
    generate_parameters?: TextToTextGenerationParameters;
  };

/** Options of {@linkcode translation}. */
export type TranslationOptions = TaskOptions<TranslationParameters>;

/**
 * Translate a text. The input is checked before any request; the answer
 * `[{translation_text}]` is returned as its first element, as
 * `@huggingface/inference` does.
 *
 * @example Ep.2's sentence, from Chinese to English (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { translation } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const { translation_text } = await translation("這是一個很困難的問題", fakeHub("translation", [{ translation_text: "It's a very difficult question." }]));
 * assert.equal(translation_text, "It's a very difficult question.");
 * ```
 *
 * @param inputs The text to translate.
 * @param options The model, `parameters` (`src_lang` / `tgt_lang` for multilingual models) and transport options.
 * @returns The translation.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
 */
export function translation(inputs: string, options?: TranslationOptions): Promise<TranslationOutput>;
/**
 * Translate several texts in one request: the service answers one
 * `{translation_text}` per text, in order.
 *
 * @example Two sentences at once (a stand-in server answers here, so it runs offline)
 * ```ts
 * import assert from "node:assert/strict";
 * import { translation } from "@hf-workbook/workbook";
 * import { fakeHub } from "./_fake_hub.ts";
 *
 * const answers = await translation(["這是一個很困難的問題", "早安"], fakeHub("translation", [{ translation_text: "It's a very difficult question." }, { translation_text: "Good morning." }]));
 * assert.deepEqual(answers.map((a) => a.translation_text), ["It's a very difficult question.", "Good morning."]);
 * ```
 *
 * @param inputs The texts to translate (at least one).
 * @param options The model, `parameters` and transport options.
 * @returns One translation per text, in order.
 *
 * @throws {TypeError} When the input or a parameter is of the wrong kind, or a parameter is not in the task's spec (before any request).
 * @throws {RangeError} When the input or a parameter is out of range (before any request).
 * @throws {HfWorkbookError} When the call fails: the service's error (`HfApiError`), a model no provider serves, an answer of another shape, an unrecorded call in replay mode.
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
  const parameters = parametersToSend(TRANSLATION_CONTRACT, options, verb);
  const answer: unknown = await runTask({
    task: "translation",
    verb,
    defaultModel: TRANSLATION_MODEL,
    call: libraryTranslation,
    args: { inputs, parameters },
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
