import assert from "node:assert/strict";
import { PROVIDERS_OR_POLICIES } from "@huggingface/inference";
import { INFERENCE_PROVIDERS } from "../lib/mod.ts";

Deno.test("INFERENCE_PROVIDERS lists exactly the providers @huggingface/inference routes to, plus auto", () => {
  assert.deepEqual([...INFERENCE_PROVIDERS].sort(), [...PROVIDERS_OR_POLICIES].sort());
});
