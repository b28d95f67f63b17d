/**
 * What every task-calling command does with its shared flags: check them
 * (a usage error before any request), tell the mode on stderr, and turn them
 * into the task helpers' options.
 *
 * @module
 */

import type { InferenceProviderOrPolicy } from "npm:@huggingface/inference@^4.13.30";
import { describeMode, type Mode, type ModeInfo, resolveMode } from "../transport/mode.ts";
import type { TaskOptions } from "../tasks/_run.ts";
import { type CliIo, dim } from "./io.ts";
import { parseExtra, parseParams, UsageError } from "./params.ts";
import type { TaskEntry } from "./tasks.ts";

/** The flags every task-calling command shares. */
export interface CallFlags {
  /** `--model`: a model id. */
  model?: string;
  /** `--provider`: an Inference Provider, or `auto`. */
  provider?: string;
  /** `--endpoint`: a dedicated Inference Endpoint's URL. */
  endpoint?: string;
  /** `--bill-to`: the organisation billed. */
  billTo?: string;
  /** `--param key=value`, checked against the task's spec. */
  param?: string[];
  /** `--extra key=value`, sent as given. */
  extra?: string[];
  /** `--mode`. */
  mode?: Mode;
  /** `--quiet`: no mode line, no progress. */
  quiet?: boolean;
}

/** The mode in force, told on stderr (unless `--quiet`). */
export function announceMode(mode: Mode | undefined, io: CliIo, quiet = false): ModeInfo {
  const info = resolveMode(mode ? { mode } : {});
  if (!quiet) io.err(dim(io, describeMode(info)));
  return info;
}

/**
 * `--model`, `--endpoint` and `--provider` checked as the command line's own flags (exit 2, flag names).
 *
 * @throws {UsageError} When the flags contradict each other or are malformed.
 */
export async function checkCallFlags(flags: CallFlags): Promise<void> {
  if (flags.model !== undefined && /^https?:\/\//i.test(flags.model)) {
    throw new UsageError(
      `--model takes a model id (owner/name), got a URL: pass it as --endpoint ${flags.model}`,
    );
  }
  if (flags.model !== undefined && !/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(flags.model)) {
    throw new UsageError(`--model must be a model id like owner/name, got ${JSON.stringify(flags.model)}`);
  }
  if (flags.endpoint !== undefined && !URL.canParse(flags.endpoint)) {
    throw new UsageError(`--endpoint must be an http(s) URL, got ${JSON.stringify(flags.endpoint)}`);
  }
  if (flags.endpoint !== undefined && !/^https?:$/.test(new URL(flags.endpoint).protocol)) {
    throw new UsageError(`--endpoint must be an http(s) URL, got ${JSON.stringify(flags.endpoint)}`);
  }
  if (flags.provider !== undefined) {
    const { INFERENCE_PROVIDERS } = await import("../tasks/_run.ts");
    if (!(INFERENCE_PROVIDERS as readonly string[]).includes(flags.provider)) {
      throw new UsageError(
        `--provider must be auto or a provider name, got ${JSON.stringify(flags.provider)}; known: ` +
          INFERENCE_PROVIDERS.join(", "),
      );
    }
  }
}

/** The parameters of `--param` (checked against the registry) and `--extra` (sent as given). */
export function parametersOf(entry: TaskEntry, flags: CallFlags): {
  parameters: Record<string, unknown>;
  extraParameters: Record<string, unknown>;
} {
  return {
    // The task's parameters are derived from its contract only when --param names some.
    parameters: flags.param?.length ? parseParams(entry.parameters, flags.param) : {},
    extraParameters: parseExtra(flags.extra ?? []),
  };
}

/** The task helper's options for these flags (the mode told on stderr). */
export async function callOptions(
  entry: TaskEntry,
  flags: CallFlags,
  io: CliIo,
): Promise<{ options: TaskOptions<Record<string, unknown>>; info: ModeInfo }> {
  await checkCallFlags(flags);
  const { parameters, extraParameters } = parametersOf(entry, flags);
  const info = announceMode(flags.mode, io, flags.quiet);
  const options: TaskOptions<Record<string, unknown>> = { mode: info.mode };
  if (flags.model !== undefined) options.model = flags.model;
  if (flags.provider !== undefined) options.provider = flags.provider as InferenceProviderOrPolicy;
  if (flags.endpoint !== undefined) options.endpointUrl = flags.endpoint;
  if (flags.billTo !== undefined) options.billTo = flags.billTo;
  if (Object.keys(parameters).length > 0) options.parameters = parameters;
  if (Object.keys(extraParameters).length > 0) options.extraParameters = extraParameters;
  if (info.token) options.accessToken = info.token;
  if (io.fetch) options.fetch = io.fetch;
  return { options, info };
}
