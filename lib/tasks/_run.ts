/**
 * What every task helper shares: the options, the call through
 * `@huggingface/inference` on the workbook's transport, and the translation of
 * the library's errors into workbook errors. A task file holds only what
 * differs per task.
 *
 * @module
 */

import {
  InferenceClientInputError,
  InferenceClientProviderOutputError,
  InferenceClientRoutingError,
  type InferenceProviderOrPolicy,
  type Options as LibraryOptions,
  PROVIDERS,
  PROVIDERS_OR_POLICIES,
} from "npm:@huggingface/inference@^4.13.30";
import { checkModelId } from "../endpoints.ts";
import { isRecord } from "./_check.ts";
import { HfNotServedError, HfOutputError, HfWorkbookError } from "../errors.ts";
import { createTransport } from "../transport/fetch.ts";
import type { TaskContract } from "./_spec.ts";
import { matchesOutput } from "./_spec_check.ts";
import { isHubLookup, type Provenance, provenanceOfExchange, withProvenance } from "../provenance.ts";
import { type Mode, resolveMode } from "../transport/mode.ts";
import type { RetryOptions } from "../transport/retry.ts";

/**
 * The Inference Providers the router knows, as `@huggingface/inference`
 * exports them, plus `"auto"`: the first provider that serves the model, in
 * the order of your settings (https://hf.co/settings/inference-providers).
 */
export const INFERENCE_PROVIDERS: readonly InferenceProviderName[] = PROVIDERS_OR_POLICIES;

/** A provider name, or `"auto"` (as `@huggingface/inference` types them). */
export type InferenceProviderName = InferenceProviderOrPolicy;

/** Options every task helper takes; `P` is the task's parameters. */
export interface TaskOptions<P = never> {
  /** The model id (`owner/name`). When not given: the task's default model. */
  model?: string;
  /** The Inference Provider, or `"auto"` for the first one that serves the model. @default {"hf-inference"} */
  provider?: InferenceProviderName;
  /** Send the call to a dedicated Inference Endpoint (or any server speaking the same payloads) instead. */
  endpointUrl?: string;
  /** The task's parameters, as its official spec names them: checked before any request. */
  parameters?: P;
  /**
   * Parameters beyond the spec, sent as given (laid over `parameters`, not
   * checked): what a provider accepts that the spec does not name, on purpose.
   */
  extraParameters?: Record<string, unknown>;
  /** Abort the call: it stops at once, during a retry wait too. */
  signal?: AbortSignal;
  /** Replace the network edge only: the transport's modes, retries, timeouts and recordings still wrap it. */
  fetch?: typeof fetch;
  /** The access token. When not given: HF_TOKEN from the environment, else from .env. */
  accessToken?: string;
  /** The transport mode. When not given: HF_MODE, else live with a token and replay without. */
  mode?: Mode;
  /** Retries and timeouts of live calls. */
  retry?: RetryOptions;
  /** Bill the call to an organisation (`X-HF-Bill-To`). */
  billTo?: string;
  /**
   * The recordings folder that replay reads and record and cache write (a
   * path, relative to the working folder, or a `file:` URL).
   * When not given: HF_RECORDINGS_DIR, else this repository's recordings/ when the library runs from a checkout of it, else `recordings` in the working folder.
   */
  recordingsDir?: string | URL;
}

/** A library task function: `(args, options) => output` (its args are built by {@linkcode runTask}). */
type LibraryTask<O> = (args: never, options?: LibraryOptions) => Promise<O>;

/** What a task file hands to {@linkcode runTask}. */
export interface TaskSpec<A extends object, O> {
  /** The task's name: its recordings file and the `@huggingface/inference` task. */
  task: string;
  /** The verb of error messages: `Cannot <verb>: ...`. */
  verb: string;
  /** The model used when the caller names none. */
  defaultModel: string;
  /** The `@huggingface/inference` function. */
  call: LibraryTask<O>;
  /** The task's own arguments (`inputs`, `parameters`). */
  args: A;
  /**
   * A fallback for raw answers the library rejects but the service really
   * sends; return `undefined` when `raw` is not such a shape.
   */
  normalize?: (raw: unknown) => O | undefined;
  /** The task's contract: what `normalize` returns is checked against its `output.json`. */
  contract?: TaskContract;
}

/** The arguments every library task takes besides its own. */
interface LibraryArgs {
  accessToken?: string;
  model?: string;
  provider?: InferenceProviderName;
  endpointUrl?: string;
}

/**
 * Run one task call: check the model, choose the mode, call the library with
 * the transport as its `fetch` (`retry_on_error: false`: the transport owns
 * retries) and translate what the library throws.
 *
 * @throws {TypeError} When the model id or endpoint URL is malformed, or the library refuses the input.
 * @throws {HfNotServedError} When no provider serves the model for the task.
 * @throws {HfOutputError} When the answer is not the task's shape (nor one that `normalize` knows).
 */
export async function runTask<A extends object, O>(
  spec: TaskSpec<A, O>,
  options: TaskOptions<unknown>,
): Promise<O> {
  const model = options.model ?? (options.endpointUrl ? undefined : spec.defaultModel);
  if (model !== undefined) checkModelId(model, spec.verb);
  if (options.endpointUrl !== undefined) checkEndpointUrl(options.endpointUrl, spec.verb);
  const { mode, token } = resolveMode({ mode: options.mode, accessToken: options.accessToken });
  let raw: Uint8Array | undefined;
  let answered: Provenance | undefined; // the task's own answer, not the Hub's mapping look-up
  let mapping: unknown; // the Hub's answer to the provider-mapping look-up (null: not JSON), when it was asked
  const transport = createTransport({
    mode,
    recording: spec.task,
    recordingsDir: options.recordingsDir,
    fetch: options.fetch,
    signal: options.signal,
    retry: options.retry,
    onResponse: (exchange) => {
      raw = exchange.body;
      if (isHubLookup(exchange.url)) mapping = parseRaw(exchange.body) ?? null;
      else {
        const asked = options.endpointUrl ? undefined : options.provider ?? "hf-inference";
        answered = provenanceOfExchange(exchange, asked);
      }
    },
  });
  const where = options.endpointUrl
    ? { endpointUrl: options.endpointUrl }
    : { provider: options.provider ?? "hf-inference" };
  const args: A & LibraryArgs = { ...spec.args, accessToken: token, model, ...where };
  try {
    const library = {
      fetch: transport,
      retry_on_error: false,
      signal: options.signal,
      billTo: options.billTo,
    };
    return carry(await spec.call(args as never, library), answered);
  } catch (error) {
    if (!(error instanceof InferenceClientProviderOutputError)) {
      const provider = options.endpointUrl ? undefined : options.provider ?? "hf-inference";
      const unserved = answered === undefined &&
        (error instanceof InferenceClientInputError
          ? routes(provider, spec.task)
          : unmapped(mapping, provider));
      throw translate(error, model ?? options.endpointUrl ?? "", spec.verb, unserved);
    }
    const normalized = fallback(spec, parseRaw(raw));
    if (normalized !== undefined) return carry(normalized, answered);
    throw new HfOutputError(
      `Cannot ${spec.verb}: the answer of ${model ?? options.endpointUrl} is not a ${spec.task} answer: ${
        error.message.replace(/^Received malformed response from [^:]*: /, "")
      }`,
      raw ? new TextDecoder().decode(raw) : "",
      { cause: error },
    );
  }
}

/**
 * The task's fallback for a raw answer the library rejected: what `normalize`
 * makes of it, kept only when it has the shape of the task's `output.json`
 * (the library did not check it).
 */
function fallback<A extends object, O>(spec: TaskSpec<A, O>, value: unknown): O | undefined {
  const normalized = value === undefined ? undefined : spec.normalize?.(value);
  if (normalized === undefined || spec.contract?.outputSchema === undefined) return normalized;
  return matchesOutput(spec.contract, normalized) ? normalized : undefined;
}

/**
 * Attach where the answer came from to the task's output, and to each element
 * of a list output (a helper that returns one element returns it carrying the
 * same provenance). A primitive output cannot carry one.
 */
function carry<O>(output: O, answered: Provenance | undefined): O {
  if (answered === undefined) return output;
  if (Array.isArray(output)) { for (const element of output) withProvenance(element, answered); }
  return withProvenance(output, answered);
}

/**
 * A workbook error for what the library threw. Decided by the error's class
 * and by what happened, never by its words: an input error the library raises
 * before any task request although it has a helper for the task at that
 * provider (so it refused the model's provider mapping), or a Hub error over a
 * look-up whose answer maps no provider, means no provider serves the model
 * for the task (`unserved`); any other input error (a provider the library
 * has no helper for the task at, included) is a bad argument.
 */
function translate(error: unknown, model: string, verb: string, unserved: boolean): unknown {
  if (error instanceof HfWorkbookError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InferenceClientRoutingError || unserved) {
    return new HfNotServedError(model, message, { cause: error });
  }
  if (error instanceof InferenceClientInputError) {
    return new TypeError(`Cannot ${verb}: ${message}`, { cause: error });
  }
  return error;
}

/** Whether the Hub's look-up answer (JSON) maps no provider for the call: none at all, or not the one asked. */
function unmapped(answer: unknown, provider: string | undefined): boolean {
  if (!isRecord(answer)) return false;
  const providers = answer.inferenceProviderMapping;
  if (!isRecord(providers) || Object.keys(providers).length === 0) return true;
  return provider !== undefined && provider !== "auto" && !(provider in providers);
}

/** Whether `@huggingface/inference` has a helper for `task` at `provider` (`"auto"` and endpoints: the router decides). */
function routes(provider: string | undefined, task: string): boolean {
  if (provider === undefined || provider === "auto") return true;
  const tasks = (PROVIDERS as Record<string, Record<string, unknown> | undefined>)[provider];
  return tasks?.[task === "chat-completion" ? "conversational" : task] !== undefined;
}

function parseRaw(raw: Uint8Array | undefined): unknown {
  if (raw === undefined || raw.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return undefined;
  }
}

function checkEndpointUrl(url: unknown, verb: string): void {
  if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/i.test(url)) {
    throw new TypeError(`Cannot ${verb}: "endpointUrl" must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
}
