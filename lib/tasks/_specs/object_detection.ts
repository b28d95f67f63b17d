/**
 * The contract of object-detection: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/object-detection/input.json" with { type: "json" };
import output from "./hf/object-detection/output.json" with { type: "json" };

/** Object detection: labelled boxes. */
export const OBJECT_DETECTION_CONTRACT: TaskContract = defineContract({
  task: "object-detection",
  input,
  output,
  defaultModel: "facebook/detr-resnet-50",
  rules: { threshold: { minimum: 0, maximum: 1 } },
});
