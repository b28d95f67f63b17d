/**
 * Which provider answers a task: the one the caller names, or (`"auto"`, the
 * default of tasks that HF Inference does not serve) the first provider in the
 * model's Hub mapping that serves the model for this task and that
 * `@huggingface/inference` has a flow for. The mapping look-up goes through
 * the workbook's transport, so it is recorded and replayed with the call.
 *
 * @module
 */

import {
  type InferenceProviderMappingEntry,
  type InferenceTask,
  PROVIDERS,
} from "npm:@huggingface/inference@^4.13.30";
import { mappingUrl } from "../endpoints.ts";
import { HfNotServedError } from "../errors.ts";

/** One entry of a model's provider mapping, as the Hub lists it. */
export type MappingEntry = InferenceProviderMappingEntry;

/** Whether `@huggingface/inference` 4.13.30 has a flow for `task` at `provider`. */
export function hasFlow(provider: string, task: string): boolean {
  const tasks = (PROVIDERS as Record<string, Partial<Record<string, unknown>>>)[provider];
  return tasks?.[task] !== undefined;
}

/** The providers `@huggingface/inference` 4.13.30 has a flow for `task` at, in its own order. */
export function providersOf(task: string): string[] {
  return Object.keys(PROVIDERS).filter((provider) => hasFlow(provider, task));
}

/**
 * Look the model's mapping up (through `transport`) and choose the entry that
 * answers `task`: the `asked` provider's, or with `"auto"` the first that
 * serves this task (live entries before staging ones).
 *
 * @throws {HfNotServedError} When no provider (or not the one asked) serves the model for this task.
 */
export async function chooseProvider(
  transport: typeof fetch,
  model: string,
  task: InferenceTask,
  asked: string,
  token: string | undefined,
): Promise<MappingEntry> {
  const headers: Record<string, string> = asked !== "auto" && token?.startsWith("hf_")
    ? { Authorization: `Bearer ${token}` }
    : {};
  const response = await transport(mappingUrl(model), { headers });
  const entries = normalize(
    model,
    ((await response.json()) as { inferenceProviderMapping?: unknown })
      .inferenceProviderMapping,
  );
  const served = entries.filter((e) => e.task === task && hasFlow(e.provider, task));
  const who = entries.length === 0
    ? "no provider serves it"
    : `it is served by ${entries.map((e) => `${e.provider} (${e.task})`).join(", ")}`;
  if (asked === "auto") {
    const chosen = served.find((e) => e.status === "live") ?? served[0];
    if (chosen) return chosen;
    throw new HfNotServedError(
      model,
      `no provider serves it for ${task} (${who}); providers with a ${task} flow: ${
        providersOf(task).join(", ")
      }`,
    );
  }
  const entry = entries.find((e) => e.provider === asked);
  if (entry === undefined) throw new HfNotServedError(model, `${asked} does not serve it (${who})`);
  if (entry.task !== task) {
    throw new HfNotServedError(model, `${asked} serves it for ${entry.task}, not for ${task}`);
  }
  if (!hasFlow(asked, task)) {
    throw new HfNotServedError(
      model,
      `@huggingface/inference has no ${task} flow for ${asked}; it has one for ${
        providersOf(task).join(", ")
      }`,
    );
  }
  return entry;
}

/** The mapping comes as a list of entries, or (older answers) as an object keyed by provider. */
function normalize(model: string, mapping: unknown): MappingEntry[] {
  const list: Record<string, unknown>[] = Array.isArray(mapping)
    ? mapping as Record<string, unknown>[]
    : mapping && typeof mapping === "object"
    ? Object.entries(mapping as Record<string, Record<string, unknown>>).map(([provider, m]) => ({
      ...m,
      provider,
    }))
    : [];
  return list.map((m) =>
    ({
      ...m,
      provider: String(m.provider),
      providerId: String(m.providerId),
      hfModelId: typeof m.hfModelId === "string" ? m.hfModelId : model,
      status: m.status === "staging" ? "staging" : "live",
      task: String(m.task),
    }) as MappingEntry
  );
}
