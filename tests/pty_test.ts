/**
 * The command line as people meet it on a real terminal: run through the
 * project's own `deno task` entries under a pseudo-terminal (`script -qec`,
 * util-linux), not through pipes. No command may stop at a Deno permission
 * prompt; Ctrl-C stops a batch started by `deno task hf batch` cleanly.
 *
 * Skipped, with the reason, where `script` is missing.
 *
 * @module
 */

import assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import { ROOT, tempDir } from "./_helpers.ts";
import { TASKS } from "../lib/cli/tasks.ts";

const SCRIPT = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();
const ignore = !SCRIPT;
if (ignore) {
  console.warn("pty_test: skipped, `script` (util-linux) is not installed: no pseudo-terminal helper");
}

/** A terminal's environment, colour variables included (they made node:tty ask for env access), no token. */
const TERMINAL_ENV: Record<string, string> = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: Deno.env.get("HOME") ?? "/root",
  ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
  TERM: "xterm-256color",
  COLORTERM: "truecolor",
  TERM_PROGRAM: "tmux",
  TMUX: "/tmp/tmux-0/default,1,0",
  HF_WORKBOOK_NO_DOTENV: "1",
  LANG: "C.UTF-8",
};

/** Run `command` on a pseudo-terminal in the project's root; stdin closed unless `input` is given. */
function onTerminal(command: string, stdin: "null" | "piped" = "null"): Deno.ChildProcess {
  return new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    cwd: ROOT,
    clearEnv: true,
    env: TERMINAL_ENV,
    stdin,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function textOf(child: Deno.ChildProcess, ms: number): Promise<{ code: number; text: string }> {
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  const output = await child.output();
  clearTimeout(timer);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, text: decode(output.stdout) + decode(output.stderr) };
}

const COMMANDS = [
  "deno task hf --help",
  "deno task hf",
  "deno task hf --version",
  // every subcommand's help, in one run of the task (each is its own process: a prompt would show in any)
  `for c in ${[...TASKS.map((t) => t.name), "snippet", "check", "batch", "record", "demo"].join(" ")}; ` +
  "do deno task hf $c --help; done",
  "deno task hf translation 這是一個很困難的問題",
  "deno task demo",
  "deno task record --help",
];

Deno.test({
  name: "no workbook command stops at a Deno permission prompt on a terminal (stdin closed)",
  ignore,
  async fn() {
    for (const command of COMMANDS) {
      const { code, text } = await textOf(onTerminal(command), 60_000);
      assert.doesNotMatch(text, /Deno requests|NotCapable|Uncaught/, `${command}:\n${text}`);
      assert.ok(
        code === 0 || (command === "deno task hf" && code === 2),
        `${command}: exit ${code}\n${text}`,
      );
    }
  },
});

Deno.test({
  name: "every help line fits in 100 columns on a wide terminal, and on one that says it has 0 columns",
  ignore,
  async fn() {
    const commands = ["deno task hf --help", "deno task hf chat-completion --help"];
    // `script` gives a pseudo-terminal nobody sized: 0 columns, which is no width to wrap to
    for (const command of [...commands.map((c) => `stty cols 200; ${c}`), ...commands]) {
      const { text } = await textOf(onTerminal(command), 60_000);
      const lines = stripVTControlCharacters(text).split(/\r?\n/).filter((l) => !l.startsWith("Task hf"));
      const widest = Math.max(...lines.map((l) => new TextEncoder().encode(l).length));
      assert.ok(widest <= 100, `${command}: a line of ${widest} bytes`);
    }
  },
});

/** The `hf` task of deno.json, with loopback allowed too (the fake server), run by the task runner. */
async function hfTaskWithLoopback(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const command = String(config.tasks.hf.command ?? config.tasks.hf);
  assert.match(command, /--allow-net=\S+/);
  return command.replace(/--allow-net=(\S+)/, "--allow-net=$1,127.0.0.1");
}

function count(text: string, sequence: string): number {
  return text.split(sequence).length - 1;
}

Deno.test({
  name: "Ctrl-C on deno task hf batch: a summary, the resume hint, the terminal restored, exit 130",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fake = await startFakeHf();
    fake.on(/\/classify$/, { json: [[{ label: "POSITIVE", score: 0.9 }]], delayMs: 250 });
    await using tmp = await tempDir();
    const lines = Array.from(
      { length: 40 },
      (_, i) => JSON.stringify({ id: `r${i}`, inputs: `review ${i}` }),
    );
    await Deno.writeTextFile(`${tmp.dir}/in.jsonl`, lines.join("\n") + "\n");
    const hf = await hfTaskWithLoopback();
    const batch = `${hf} batch text-classification -i ${tmp.dir}/in.jsonl -o ${tmp.dir}/out.jsonl ` +
      `--endpoint ${fake.origin}/classify --concurrency 2 --mode live`;
    const child = onTerminal(`deno task --eval '${batch}'`, "piped");
    const writer = child.stdin.getWriter();
    const deadline = Date.now() + 60_000;
    while ((await readLines(`${tmp.dir}/out.jsonl`)).length < 3) {
      assert.ok(Date.now() < deadline, "the batch wrote nothing in a minute");
      await new Promise((r) => setTimeout(r, 100));
    }
    await writer.write(new TextEncoder().encode("\x03")); // Ctrl-C, through the terminal
    const { code, text } = await textOf(child, 60_000);
    await writer.close().catch(() => {});
    assert.equal(code, 130, text);
    const plain = stripVTControlCharacters(text);
    assert.match(plain, /done: \d+, failed: 0/);
    assert.match(plain, /stopped \(Ctrl-C\)/);
    assert.match(plain, /resume: run the same command again/);
    const written = await readLines(`${tmp.dir}/out.jsonl`);
    assert.ok(written.length >= 3 && written.length < 40, `${written.length} lines`);
    for (const line of written) assert.ok(JSON.parse(line).output, line);
    for (const [off, on] of [["\x1b[?7l", "\x1b[?7h"], ["\x1b[?25l", "\x1b[?25h"]]) {
      const last = text.lastIndexOf(off!);
      assert.ok(last < 0 || text.indexOf(on!, last) > last, `${JSON.stringify(off)} is never undone`);
    }
    assert.ok(count(text, "\x1b[?7l") > 0, "no progress bar was drawn: not a terminal?");
  },
});

Deno.test({
  name: "Ctrl-C on a streamed chat answer stops it cleanly: what came so far, then exit 130",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fake = await startFakeHf();
    // Half the events, then nothing: the stream stays open until Ctrl-C.
    fake.on(/./, { ...scenarios.chatStream200, behaviour: "stall-body" });
    const hf = await hfTaskWithLoopback();
    const chat = `${hf} chat-completion hi --stream --endpoint ${fake.origin}/v1 --mode live --quiet`;
    const child = onTerminal(`deno task --eval '${chat}'`, "piped");
    const writer = child.stdin.getWriter();
    await fake.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 500)); // the first chunk is printed
    await writer.write(new TextEncoder().encode("\x03"));
    const { code, text } = await textOf(child, 60_000);
    await writer.close().catch(() => {});
    assert.equal(code, 130, text);
    const plain = stripVTControlCharacters(text);
    assert.match(plain, /Deep/, "the chunk that came before Ctrl-C is printed");
    assert.match(plain, /stopped \(Ctrl-C\)/);
    assert.doesNotMatch(text, /Uncaught|\n\s+at /);
  },
});

async function readLines(path: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim() !== "");
  } catch {
    return [];
  }
}
