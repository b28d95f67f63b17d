/**
 * The contract of image-segmentation: its official spec, and the workbook's own rules.
 *
 * @module
 */

import { defineContract, type TaskContract } from "../_spec.ts";
import input from "./hf/image-segmentation/input.json" with { type: "json" };
import output from "./hf/image-segmentation/output.json" with { type: "json" };

/** Image segmentation: labelled masks. */
export const IMAGE_SEGMENTATION_CONTRACT: TaskContract = defineContract({
  task: "image-segmentation",
  input,
  output,
  defaultModel: "facebook/detr-resnet-50-panoptic",
  rules: {
    threshold: { minimum: 0, maximum: 1 },
    mask_threshold: { minimum: 0, maximum: 1 },
    overlap_mask_area_threshold: { minimum: 0, maximum: 1 },
  },
});
