import { redact } from "../env.ts";
import { HfApiError, HfWorkbookError } from "../errors.ts";
import { DisplayValue, escapeHtml, escapeMarkdown } from "./_bundle.ts";
import { table } from "./table.ts";

/**
 * Shows a caught error as a notebook shows a failure it expected: its kind
 * (the workbook's one-word `kind`, or the class name of any other error), the
 * HTTP status and the service's error type when the service answered, the
 * message, and the hint of what to do next. Never the stack, and never a token
 * (every text is redacted).
 *
 * @example A bad argument, caught
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorBox } from "@hf-workbook/workbook/display";
 *
 * const shown = errorBox(new TypeError('Cannot summarize: "inputs" must not be blank'));
 * assert.equal(String(shown), 'TypeError: Cannot summarize: "inputs" must not be blank');
 * assert.doesNotMatch(shown.bundle()["text/html"] ?? "", /at .*\.ts:\d+/);
 * ```
 *
 * @param error What was thrown.
 * @returns A display value.
 */
export function errorBox(error: unknown): DisplayValue {
  const facts = factsOf(error);
  const head = `${facts.kind}: ${facts.message}`;
  const plain = [head, ...(facts.hint === undefined ? [] : [`hint: ${facts.hint}`])].join("\n");
  if (facts.status === undefined) {
    return new DisplayValue({
      "text/plain": plain,
      "text/markdown": `**${escapeMarkdown(facts.kind)}**: ${escapeMarkdown(facts.message)}` +
        (facts.hint === undefined ? "" : `  \n*hint*: ${escapeMarkdown(facts.hint)}`),
      "text/html": `<p><strong>${escapeHtml(facts.kind)}</strong>: ${escapeHtml(facts.message)}` +
        (facts.hint === undefined ? "" : `<br><em>hint</em>: ${escapeHtml(facts.hint)}`) + "</p>",
    });
  }
  const row = {
    kind: facts.kind,
    status: facts.status,
    ...(facts.errorType === undefined ? {} : { errorType: facts.errorType }),
    message: facts.message,
    hint: facts.hint ?? "",
  };
  const shown = table([row]).bundle();
  return new DisplayValue({ ...shown, "text/plain": plain });
}

interface ErrorFacts {
  kind: string;
  message: string;
  hint?: string;
  status?: number;
  errorType?: string;
}

function factsOf(error: unknown): ErrorFacts {
  if (error instanceof HfApiError) {
    return {
      kind: error.kind,
      message: error.serviceMessage || error.message,
      hint: error.hint,
      status: error.status,
      errorType: error.errorType,
    };
  }
  if (error instanceof HfWorkbookError) return { kind: error.kind, message: error.message, hint: error.hint };
  if (error instanceof Error) return { kind: error.name, message: redact(error.message) };
  return { kind: "thrown", message: redact(String(error)) };
}

/**
 * Awaits a call a notebook expects may fail, and gives its value, or an
 * {@linkcode errorBox} of the error when it fails: one line instead of a
 * hand-written `.catch(...)`. Pass the promise, or a function for a call that
 * may throw before it returns one.
 *
 * @example A call refused before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { shown } from "@hf-workbook/workbook/display";
 *
 * const blank = () => {
 *   throw new TypeError('Cannot translate: "inputs" must not be blank');
 * };
 * assert.equal(String(await shown(blank)), 'TypeError: Cannot translate: "inputs" must not be blank');
 * assert.equal(await shown(Promise.resolve(42)), 42);
 * ```
 *
 * @param call The promise, or a function that returns the value or a promise of it.
 * @returns The value, or a display value of the error.
 */
export async function shown<T>(call: Promise<T> | (() => T | Promise<T>)): Promise<T | DisplayValue> {
  try {
    return await (typeof call === "function" ? call() : call);
  } catch (error) {
    return errorBox(error);
  }
}
