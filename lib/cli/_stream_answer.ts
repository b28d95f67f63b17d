/**
 * `--stream`: chat-completion and text-generation print their answer as it is
 * generated, each piece written the moment it arrives; Ctrl-C stops the
 * stream cleanly (the call's signal is aborted, the line ended).
 *
 * @module
 */

import type { TaskOptions } from "../tasks/_run.ts";
import { type CliIo, dim } from "./io.ts";
import { UsageError } from "./params.ts";
import type { TaskEntry } from "./tasks.ts";

/** A chat message, as the command line builds one. */
interface Message {
  role: string;
  content: unknown;
}

/** The chat input as messages: a text is one user message; a JSON array is the conversation. */
export function asMessages(input: unknown): Message[] {
  if (Array.isArray(input)) return input as Message[];
  const text = String(input);
  if (text.trim().startsWith("[")) {
    try {
      const parsed = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed as Message[];
    } catch {
      // not JSON: a text that starts with "["
    }
  }
  return [{ role: "user", content: text }];
}

/**
 * `--system <text>` put before the conversation (a usage error when it already has one).
 *
 * @throws {UsageError} When --system is given for a task without messages.
 */
export function withSystem(input: unknown, system: string): Message[] {
  const messages = asMessages(input);
  if (messages[0]?.role === "system") {
    throw new UsageError("--system: the messages already start with a system message; give one or the other");
  }
  return [{ role: "system", content: system }, ...messages];
}

/** Stream `entry`'s answer to stdout as it comes; the line is ended once it has. */
export async function streamAnswer(
  entry: TaskEntry,
  input: unknown,
  options: TaskOptions<Record<string, unknown>>,
  io: CliIo,
): Promise<undefined> {
  const [{ collectStream }, chunks] = await Promise.all([
    import("../tasks/_stream.ts"),
    openStream(entry, input, options),
  ]);
  let collected = "";
  const write = (delta: string) => io.writeOut ? io.writeOut(delta) : void (collected += delta);
  let started = false;
  try {
    await collectStream(chunks, {
      onText: (_text, delta) => {
        started ||= delta !== "";
        write(delta);
      },
    });
  } finally {
    if (io.writeOut) {
      if (started) io.writeOut("\n");
    } else io.out(collected);
  }
  if (options.mode === "replay") {
    // A stream's chunks carry no provenance of their own: say where it came from, and that it is not live.
    io.err(dim(io, `replayed · a stream from recordings/${entry.name}.json, not a live answer`));
  }
  return undefined;
}

async function openStream(entry: TaskEntry, input: unknown, options: TaskOptions<Record<string, unknown>>) {
  if (entry.name === "chat-completion") {
    const { chatCompletionStream } = await import("../tasks/chat_completion.ts");
    return chatCompletionStream(asMessages(input) as never, options as never);
  }
  const { textGenerationStream } = await import("../tasks/text_generation.ts");
  return textGenerationStream(String(input), options as never);
}
