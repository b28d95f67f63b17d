/**
 * The contract of translation: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import { LANGUAGE_CODE, TEXT_TO_TEXT_GENERATION } from "./_rules.ts";
import input from "./hf/translation/input.json" with { type: "json" };
import output from "./hf/translation/output.json" with { type: "json" };

/** Translation: the series' Ep.2 model, Chinese to English. */
export const TRANSLATION_CONTRACT: TaskContract = defineContract({
  task: "translation",
  input,
  output,
  defaultModel: "Helsinki-NLP/opus-mt-zh-en",
  rules: {
    generate_parameters: TEXT_TO_TEXT_GENERATION,
    src_lang: LANGUAGE_CODE,
    tgt_lang: LANGUAGE_CODE,
  },
});
