/**
 * `deno task record`: send every recorded request again, live, with your
 * token, rewrite its recording (origin: recorded, today) and report what
 * changed.
 *
 * @module
 */

import { findToken, redact, rememberSecret } from "../env.ts";
import { HfWorkbookError } from "../errors.ts";
import { createTransport, type Exchange, recordingStore } from "../transport/fetch.ts";
import { type Interaction, type RecordingFile, stableStringify } from "../transport/recordings.ts";
import { ExitCode } from "./exit.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./params.ts";

/** Options of {@linkcode recordAll}. */
export interface RecordOptions {
  /** The access token (required: recordings are made with your token). */
  token: string;
  /** Only these recordings files (task names, without `.json`). When not given: every file. */
  only?: string[];
  /** The recordings folder. */
  recordingsDir?: string;
  /** Replace the network edge only (tests). */
  fetch?: typeof fetch;
  /** Where report lines go. @default {console.log} */
  print?: (line: string) => void;
}

/** What {@linkcode recordAll} did. */
export interface RecordReport {
  /** Answers that are the same as before. */
  same: number;
  /** Answers that differ from what was recorded (now rewritten). */
  changed: number;
  /** Requests that failed (their error answer is recorded too). */
  failed: number;
  /** Requests that cannot be re-sent from the recording alone (binary inputs). */
  skipped: number;
}

/** Re-record every interaction in the recordings folder. */
export async function recordAll(options: RecordOptions): Promise<RecordReport> {
  rememberSecret(options.token);
  const print = options.print ?? console.log;
  const store = recordingStore(options.recordingsDir);
  const report: RecordReport = { same: 0, changed: 0, failed: 0, skipped: 0 };
  for (const { interaction, file } of await everyInteraction(store.dir)) {
    const task = file.replace(/\.json$/, "");
    if (options.only && !options.only.includes(task)) continue;
    const { request, response: before } = interaction;
    const what = `${task}: ${request.method} ${request.url}`;
    if (request.bodyKind === "binary") {
      report.skipped++;
      print(`skipped  ${what} (binary input: re-run its notebook with HF_MODE=record)`);
      continue;
    }
    const answer = await sendAgain(interaction, task, options);
    if ("failed" in answer) {
      report.failed++;
      print(`failed   ${what}: ${answer.failed}`);
      continue;
    }
    const old = before.json !== undefined ? stableStringify(before.json) : before.text ?? "";
    const now = canonicalText(answer.body);
    if (old === now && String(before.status) === answer.status) {
      report.same++;
      print(`same     ${what}`);
    } else {
      report.changed++;
      print(`changed  ${what}: ${before.status} → ${answer.status}, ${redact(now).slice(0, 120)}`);
    }
  }
  print(`${report.same} same, ${report.changed} changed, ${report.failed} failed, ${report.skipped} skipped`);
  return report;
}

/** A JSON body in its stable form (so key order is no change), any other text as it is. */
function canonicalText(text: string): string {
  try {
    return stableStringify(JSON.parse(text));
  } catch {
    return text; // not JSON: compare as text
  }
}

/** Send a recorded request again, live, recording its answer: the new status and body, or why it failed. */
async function sendAgain(
  interaction: Interaction,
  task: string,
  options: RecordOptions,
): Promise<{ status: string; body: string } | { failed: string }> {
  const { request, response: before } = interaction;
  let answered: Exchange | undefined;
  const transport = createTransport({
    mode: "record",
    recording: task,
    ...(options.recordingsDir ? { recordingsDir: options.recordingsDir } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onResponse: (exchange) => (answered = exchange),
  });
  const isText = request.bodyKind === "text";
  const body = request.body === undefined
    ? undefined
    : isText
    ? String(request.body)
    : JSON.stringify(request.body);
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token}` };
  if (body !== undefined) headers["Content-Type"] = isText ? "text/plain" : "application/json";
  try {
    const response = await transport(request.url, {
      method: request.method,
      headers,
      ...(body ? { body } : {}),
    });
    return { status: String(response.status), body: await response.text() };
  } catch (error) {
    if (!(error instanceof HfWorkbookError)) throw error;
    if (answered === undefined || before.status < 400) return { failed: error.message };
    // an error answer was recorded on purpose (the legacy host's 410): compare it like any answer
    return { status: String(answered.status), body: new TextDecoder().decode(answered.body) };
  }
}

/**
 * Every interaction of every recordings file, file by file: the same request
 * can sit in two files (a model's mapping look-up, used by two tasks), and each
 * copy is re-recorded, not only the one replay finds first.
 */
async function everyInteraction(dir: string): Promise<{ interaction: Interaction; file: string }[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const out: { interaction: Interaction; file: string }[] = [];
  for (const file of names.sort()) {
    const content = JSON.parse(await Deno.readTextFile(`${dir}/${file}`)) as RecordingFile;
    for (const interaction of content.interactions ?? []) out.push({ interaction, file });
  }
  return out;
}

/**
 * `hf record`: needs HF_TOKEN; exit 1 when any recording failed.
 *
 * @throws {UsageError} When the flags are malformed.
 * @throws {ExitCode} When recording fails: the exit code to end with.
 */
export async function recordAction(flags: { only?: string[] }, io: CliIo): Promise<void> {
  const found = findToken();
  if (!found) {
    throw new UsageError(
      'HF_TOKEN is not set: put a token with the "Make calls to Inference Providers" permission in .env ' +
        "or the environment",
    );
  }
  const report = await recordAll({
    token: found.token,
    print: (line) => io.out(line),
    ...(flags.only ? { only: flags.only } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  if (report.failed > 0) throw new ExitCode(1);
}
