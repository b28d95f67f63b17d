/**
 * `hf snippet <task> [input]`: the call the task command would make, as
 * curl, Python (`requests`, `huggingface_hub.InferenceClient`) and JavaScript
 * (`fetch`, `@huggingface/inference`).
 *
 * @module
 */

import type { InferenceProviderOrPolicy } from "npm:@huggingface/inference@^4.13.30";
import { isRecord } from "../tasks/_check.ts";
import type { TaskOptions } from "../tasks/_run.ts";
import { type CallFlags, checkCallFlags, parametersOf } from "./_options.ts";
import { readInput } from "./input.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./params.ts";
import { findTask, type TaskEntry, TASKS } from "./tasks.ts";

/** The flags of `hf snippet`. */
interface SnippetFlags extends CallFlags {
  file?: string;
  lang: "curl" | "python" | "js" | "all";
  output?: string;
  json?: boolean;
}

function mustFindTask(name: string): TaskEntry {
  const entry = findTask(name);
  if (!entry) throw new UsageError(`unknown task "${name}"; known: ${TASKS.map((t) => t.name).join(", ")}`);
  return entry;
}

/**
 * Print the snippets of one call.
 *
 * @throws {UsageError} When the language or the task is unknown.
 */
export async function runSnippet(
  taskName: string,
  input: string | undefined,
  flags: SnippetFlags,
  io: CliIo,
): Promise<void> {
  const entry = mustFindTask(taskName);
  if (entry.output !== "image" && flags.output !== undefined) {
    throw new UsageError(
      `--output is only for tasks that answer with an image; ${entry.name} snippets print the answer, not a file`,
    );
  }
  await checkCallFlags(flags);
  const { parameters, extraParameters } = parametersOf(entry, flags);
  const read = await readInput(entry.input.kind, input, flags.file, io);
  const { inferenceSnippets } = await import("../snippets.ts");
  const snippets = await inferenceSnippets(
    (value: unknown, options) => entry.run(value, (options ?? {}) as TaskOptions<Record<string, unknown>>),
    read.value,
    {
      hubTask: entry.hubTask,
      method: entry.method,
      ...(flags.model !== undefined ? { model: flags.model } : {}),
      ...(flags.provider !== undefined ? { provider: flags.provider as InferenceProviderOrPolicy } : {}),
      ...(flags.endpoint !== undefined ? { endpointUrl: flags.endpoint } : {}),
      ...(flags.billTo !== undefined ? { billTo: flags.billTo } : {}),
      ...(Object.keys(parameters).length > 0 ? { parameters: parameters as never } : {}),
      ...(Object.keys(extraParameters).length > 0 ? { extraParameters } : {}),
      ...(inputPathOf(entry.input.kind, read) ?? {}),
      ...(entry.output === "image" ? { outputPath: flags.output ?? defaultOutput(entry.hubTask) } : {}),
      ...(io.fetch ? { fetch: io.fetch } : {}),
    },
  );
  if (flags.json) {
    const { request, ...code } = snippets;
    const body = request.body instanceof Uint8Array ? { binaryBytes: request.body.length } : request.body;
    io.out(JSON.stringify({ request: { ...request, body }, ...code }, null, 2));
    return;
  }
  const sections: [string, string, string | undefined][] = [
    ["curl", "# curl", snippets.curl],
    ["python", "# Python (requests), like the article's query(payload)", snippets.python],
    ["python", "# Python (huggingface_hub)", snippets.huggingfaceHub],
    ["js", "// JavaScript (fetch)", snippets.javascript],
    ["js", "// JavaScript (@huggingface/inference)", snippets.huggingfaceJs],
  ];
  io.out(
    sections.filter(([lang, , code]) => code !== undefined && (flags.lang === "all" || flags.lang === lang))
      .map(([, title, code]) => `${title}\n${code}`).join("\n\n"),
  );
}

/** The input file a snippet reads: a binary input's path, or the image path of a JSON input (`{"image", ...}`). */
function inputPathOf(
  kind: string,
  read: { value: unknown; path?: string },
): { inputPath: string } | undefined {
  if (kind === "binary") return read.path === undefined ? undefined : { inputPath: read.path };
  const image = isRecord(read.value) ? read.value.image : undefined;
  return typeof image === "string" ? { inputPath: image } : undefined;
}

/** The file a media answer is saved to when `--output` names none: a clip, a sound or a picture. */
function defaultOutput(hubTask: string): string {
  if (hubTask.endsWith("-to-video")) return "output.mp4";
  if (hubTask === "text-to-speech" || hubTask === "text-to-audio") return "output.wav";
  return "output.png";
}
