/**
 * The errors of a provider's asynchronous job (submitted, polled, fetched):
 * the job failed at the provider, or did not finish before the deadline.
 * Both are {@linkcode HfWorkbookError}s, told apart by their class and
 * `kind` (`generation`, `timeout`), never by their message.
 *
 * @module
 */

import { HfWorkbookError } from "../errors.ts";

/** The provider ran the job and says it failed (fal-ai `FAILED`, replicate `failed`, wavespeed `failed`, ...). */
export class HfJobFailedError extends HfWorkbookError {
  /** The provider that ran the job, e.g. `fal-ai`. */
  readonly provider: string;
  /** The provider's id of the job. */
  readonly jobId: string;
  /** The job's last status, as the provider spelled it. */
  readonly status: string;
  /** The provider's own message, or `(no message)`. */
  readonly providerMessage: string;

  /**
   * Build the error for job `jobId` of `provider`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { HfJobFailedError } from "@hf-workbook/workbook";
   *
   * const error = new HfJobFailedError("fal-ai", "req-1", "FAILED", "CUDA out of memory");
   * assert.equal(error.kind, "generation");
   * assert.equal(error.message, 'The fal-ai job req-1 failed (status "FAILED"): CUDA out of memory');
   * ```
   */
  constructor(
    provider: string,
    jobId: string,
    status: string,
    providerMessage: string | undefined,
    options?: ErrorOptions,
  ) {
    const said = providerMessage?.trim() || "(no message)";
    super(
      "generation",
      `The ${provider} job ${jobId} failed (status ${JSON.stringify(status)}): ${said}`,
      "The provider ran the job and it failed: read its message, then try again, with other parameters, or with another provider (provider option)",
      options,
    );
    this.name = "HfJobFailedError";
    this.provider = provider;
    this.jobId = jobId;
    this.status = status;
    this.providerMessage = said;
  }
}

/** The job did not finish before the poll deadline; it may still finish at the provider. */
export class HfJobTimeoutError extends HfWorkbookError {
  /** The provider that runs the job. */
  readonly provider: string;
  /** The provider's id of the job. */
  readonly jobId: string;
  /** The job's last status, as the provider spelled it. */
  readonly status: string;
  /** The deadline that passed, in milliseconds. */
  readonly deadlineMs: number;
  /** How many status polls were made. */
  readonly polls: number;

  /**
   * Build the error for job `jobId` of `provider`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { HfJobTimeoutError } from "@hf-workbook/workbook";
   *
   * const error = new HfJobTimeoutError("fal-ai", "req-1", "IN_QUEUE", 60_000, 12);
   * assert.equal(error.kind, "timeout");
   * assert.match(error.message, /not finished after 60 s \(12 status polls, last status "IN_QUEUE"\)/);
   * ```
   */
  constructor(provider: string, jobId: string, status: string, deadlineMs: number, polls: number) {
    super(
      "timeout",
      `The ${provider} job ${jobId} is not finished after ${deadlineMs / 1000} s (${polls} status poll${
        polls === 1 ? "" : "s"
      }, last status ${JSON.stringify(status)})`,
      "The job may still finish at the provider: raise the poll deadline (poll: { deadlineMs }), or try again later when the provider's queue is shorter",
    );
    this.name = "HfJobTimeoutError";
    this.provider = provider;
    this.jobId = jobId;
    this.status = status;
    this.deadlineMs = deadlineMs;
    this.polls = polls;
  }
}
