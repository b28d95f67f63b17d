/**
 * The contract of fill-mask: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/fill-mask/input.json" with { type: "json" };
import output from "./hf/fill-mask/output.json" with { type: "json" };

/** Fill mask: the masked word. */
export const FILL_MASK_CONTRACT: TaskContract = defineContract({
  task: "fill-mask",
  input,
  output,
  defaultModel: "google-bert/bert-base-uncased",
  rules: {
    top_k: { minimum: 1 },
    targets: {
      minItems: 1,
      items: { type: "string", pattern: "\\S", "x-must": "be a non-blank candidate" },
      "x-must": "list at least one candidate",
    },
  },
});
