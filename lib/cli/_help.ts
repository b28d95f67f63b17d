/**
 * Help text that fits: every line at most {@linkcode HELP_WIDTH} columns (and
 * bytes, so `awk '{ print length }'` agrees), whatever the terminal's width.
 * Task help is written from the registry: the input, the default model, each
 * parameter with its type, choices and default, and an example that replays.
 *
 * @module
 */

import type { TaskEntry } from "./tasks.ts";
import type { ParamSpec } from "./params.ts";

/** The widest a help line may be. */
export const HELP_WIDTH = 100;

const encoder = new TextEncoder();

/** How wide `text` is, counted the strict way: UTF-8 bytes (a CJK character is 3, wider than its 2 columns). */
export function widthOf(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Wrap `text` at spaces so that no line is wider than `width`, counting the
 * first line from column `start` and indenting the following ones by
 * `indent` spaces (included in the result).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wrap } from "./_help.ts";
 *
 * assert.equal(wrap("one two three", 9, 2), "one two\n  three");
 * ```
 */
export function wrap(text: string, width: number, indent = 0, start = 0): string {
  const lines: string[] = [];
  let line = "";
  const words = text.split(/\s+/).filter((w) => w !== "").flatMap((w) => pieces(w, width - indent));
  for (const word of words) {
    const next = line === "" ? word : `${line} ${word}`;
    const room = width - (lines.length === 0 ? start : indent);
    if (line !== "" && widthOf(next) > room) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : " ".repeat(indent) + l)).join("\n");
}

/** A word too long for any line (a URL), cut into pieces that fit. */
function pieces(word: string, room: number): string[] {
  if (widthOf(word) <= room || room < 8) return [word];
  const out: string[] = [];
  let piece = "";
  for (const c of word) {
    if (widthOf(piece + c) > room) {
      out.push(piece);
      piece = "";
    }
    piece += c;
  }
  return [...out, piece];
}

/** A word as a POSIX shell reads it back: bare when it is safe, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w./@:,=+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Options whose value is the next word (so an example keeps them together). */
const VALUED = new Set([
  "--model",
  "-m",
  "--param",
  "-p",
  "--output",
  "-o",
  "--provider",
  "--file",
  "-f",
  "-i",
  "--input",
  "--lang",
  "--rate",
  "--system",
  "--only",
]);

/** Words with each option kept beside its value, so a line never breaks between them. */
function paired(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    out.push(VALUED.has(words[i]!) && i + 1 < words.length ? `${words[i]} ${words[++i]}` : words[i]!);
  }
  return out;
}

/** Where an example input too long for one line is kept: `lib/cli/examples/<task>.txt` (or `.json`). */
export function exampleFile(entry: TaskEntry): string {
  const json = entry.input.kind === "json" || entry.name === "chat-completion";
  return `lib/cli/examples/${entry.name}.${json ? "json" : "txt"}`;
}

/**
 * The words of `entry`'s example as printed: the input, when too long for a
 * line, replaced by `--file <its example file>`.
 */
export function exampleWords(entry: TaskEntry, width = HELP_WIDTH): string[] {
  const words: string[] = [];
  for (let i = 0; i < entry.example.length; i++) {
    const word = entry.example[i]!;
    if (VALUED.has(word)) {
      words.push(`${word} ${shellWord(entry.example[++i] ?? "")}`);
    } else if (!word.startsWith("-") && widthOf(shellWord(word)) > width - 8) {
      words.push(`--file ${exampleFile(entry)}`);
    } else words.push(shellWord(word));
  }
  return words;
}

/** A command line as help prints it: `  deno task hf …`, continued with ` \` where it would be too wide. */
export function commandLines(words: readonly string[], width = HELP_WIDTH, lead = "deno task hf"): string[] {
  const lines: string[] = [];
  let line = `  ${lead}`;
  for (const word of words) {
    if (widthOf(`${line} ${word} \\`) > width) {
      lines.push(`${line} \\`);
      line = `      ${word}`;
    } else line = `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** A spec's description, its first sentence: help gives the gist, the spec (or the docs) the rest. */
function gist(description: string): string {
  const text = description.replace(/\s+/g, " ").trim();
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

/** One parameter as help lists it: `name (type)`, then what it does, its choices and its default. */
function describeParameter(p: ParamSpec, termWidth: number, width: number): string {
  const term = `  ${p.name} (${p.type})`;
  const parts = [gist(p.description)];
  if (p.choices) parts.push(`[${p.choices.join(", ")}]`);
  if (p.default !== undefined) parts.push(`(default: ${JSON.stringify(p.default)})`);
  const at = termWidth + 2;
  const text = wrap(parts.filter((s) => s !== "").join(" "), width, at, at);
  return widthOf(term) > termWidth
    ? `${term}\n${" ".repeat(at)}${text}`
    : `${term.padEnd(termWidth)}  ${text}`;
}

/** The parameters of a task as help lists them, wrapped to `width`. */
export function describeParameters(specs: readonly ParamSpec[], width = HELP_WIDTH): string {
  if (specs.length === 0) return "Parameters: none (--extra key=value sends one beyond the spec)";
  const termWidth = Math.min(36, Math.max(...specs.map((s) => widthOf(`  ${s.name} (${s.type})`))));
  return [
    wrap("Parameters (--param key=value, repeatable; --extra key=value sends one beyond the spec):", width),
    ...specs.map((p) => describeParameter(p, termWidth, width)),
  ].join("\n");
}

const INPUT_HOW = {
  text: "the text as an argument, --file <path>, or - for stdin",
  json: "JSON as an argument, --file <path>, or - for stdin",
  binary: "a file path as the argument, or - for stdin",
};

/** The text after a task's options in its `--help`. */
export function taskHelp(entry: TaskEntry, width = HELP_WIDTH, streams = false): string {
  const output = entry.output === "image"
    ? "Output: the image, written to --output <file> (an existing file only with --force); " +
      "stdout says what was written (--json: as JSON)."
    : "Output: the answer on stdout (--json: as JSON)" +
      (streams ? ", streamed as it is generated on a terminal (--stream, --no-stream)." : ".");
  const model = entry.defaultModel === undefined
    ? "Model: the task's default (--model to choose)."
    : `Default model: ${entry.defaultModel} (--model to choose another).`;
  return [
    "",
    wrap(`Input: ${entry.input.help} (${INPUT_HOW[entry.input.kind]}).`, width),
    wrap(output, width),
    wrap(model, width),
    "",
    describeParameters(entry.parameters, width),
    "",
    "Example (a call recordings/ holds: it replays without a token):",
    ...commandLines([entry.name, ...exampleWords(entry, width)], width),
  ].join("\n");
}

/** `Examples:` and command lines, for the help of the commands that are not tasks. */
export function examplesHelp(
  examples: readonly (readonly string[])[],
  width = HELP_WIDTH,
  lead?: string,
): string {
  return ["", "Examples:", ...examples.flatMap((words) => commandLines(paired(words), width, lead))].join(
    "\n",
  );
}

/** The task names, wrapped, for the commands that take a task (`batch`, `snippet`). */
export function taskList(tasks: readonly { name: string }[], width = HELP_WIDTH): string {
  return [
    "",
    "Tasks (deno task hf <task> --help: its input, default model and parameters):",
    "  " + wrap(tasks.map((t) => t.name).join(", "), width - 2, 2),
  ].join("\n");
}
