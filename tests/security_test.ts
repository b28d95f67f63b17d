/**
 * Hygiene (issue 6): no file of the repository holds anything shaped like a
 * Hugging Face token (recordings, notebooks with their outputs, docs, code),
 * `.env` is ignored by git, and the tasks ask for the network of Hugging Face
 * and nothing more.
 */
import assert from "node:assert/strict";
import { FAKE_TOKEN, ROOT, tempDir } from "./_helpers.ts";

const TOKEN = /hf_[A-Za-z0-9]{30,}/g;
/** Files that may hold token-shaped strings that are not tokens (integrity hashes). */
const EXCLUDED = new Set(["deno.lock"]);

/** Every token-shaped string in `text`, as `line:column`. */
function tokenFindings(text: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    for (const match of line.matchAll(TOKEN)) out.push({ line: i + 1, column: (match.index ?? 0) + 1 });
  }
  return out;
}

/** Files git tracks, plus untracked files it does not ignore (work not committed yet). */
async function repositoryFiles(): Promise<string[]> {
  const output = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, `git ls-files failed: ${new TextDecoder().decode(output.stderr)}`);
  return [...new Set(new TextDecoder().decode(output.stdout).split("\0").filter((f) => f !== ""))].sort();
}

async function scan(root: string, files: string[]): Promise<string[]> {
  const findings: string[] = [];
  for (const file of files) {
    if (EXCLUDED.has(file)) continue;
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${root}/${file}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) continue;
      throw error;
    }
    for (const { line, column } of tokenFindings(new TextDecoder().decode(bytes))) {
      findings.push(`${file}:${line}:${column}`);
    }
  }
  return findings;
}

Deno.test("no file of the repository holds anything shaped like a Hugging Face token", async () => {
  const files = await repositoryFiles();
  assert.ok(
    files.includes("lib/env.ts") && files.includes("recordings/summarization.json"),
    "the listing works",
  );
  const findings = await scan(ROOT, files);
  assert.deepEqual(
    findings,
    [],
    `token-shaped strings (hf_ + 30 letters or digits) found at:\n${findings.join("\n")}\n` +
      'Remove them (build fake tokens at run time, e.g. "hf_" + "a".repeat(34)); never commit a real one',
  );
});

Deno.test("the token scan finds a token and names file, line and column (notebook outputs included)", async () => {
  await using tmp = await tempDir();
  const notebook = {
    cells: [{
      cell_type: "code",
      source: ["const x = 1;"],
      outputs: [{ output_type: "stream", name: "stdout", text: ["ok\n", `Bearer ${FAKE_TOKEN}\n`] }],
    }],
  };
  await Deno.writeTextFile(`${tmp.dir}/leak.ipynb`, JSON.stringify(notebook, null, 1));
  await Deno.writeTextFile(`${tmp.dir}/clean.md`, "hf_short and hf_*** are fine\n");
  await Deno.writeTextFile(`${tmp.dir}/deno.lock`, `${FAKE_TOKEN}\n`);
  const findings = await scan(tmp.dir, ["clean.md", "deno.lock", "gone.txt", "leak.ipynb"]);
  const line = JSON.stringify(notebook, null, 1).split("\n").findIndex((l) => l.includes(FAKE_TOKEN)) + 1;
  assert.equal(findings.length, 1, findings.join("\n"));
  assert.match(findings[0]!, new RegExp(`^leak\\.ipynb:${line}:\\d+$`));
  assert.deepEqual(tokenFindings(`a\nb ${FAKE_TOKEN}`), [{ line: 2, column: 3 }]);
});

Deno.test(".env is ignored by git, and .env.example holds no token", async () => {
  const ignored = await new Deno.Command("git", { args: ["check-ignore", "-q", ".env"], cwd: ROOT }).output();
  assert.equal(ignored.code, 0, ".env must be git-ignored");
  const example = await Deno.readTextFile(`${ROOT}/.env.example`);
  assert.match(example, /^HF_TOKEN=/m);
  assert.deepEqual(tokenFindings(example), []);
});

Deno.test("deno.json tasks reach only Hugging Face and the loopback, never with -A", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
    tasks: Record<string, string | { command: string }>;
  };
  const allowed = new Set(["router.huggingface.co", "huggingface.co", "127.0.0.1", "localhost"]);
  for (const [name, task] of Object.entries(config.tasks)) {
    const command = typeof task === "string" ? task : task.command;
    for (const part of command.split("&&").map((p) => p.trim()).filter((p) => /^deno (run|test)\b/.test(p))) {
      assert.ok(!/\s(-A|--allow-all)(\s|$)/.test(part), `task ${name} must not use -A: ${part}`);
      assert.ok(!/--allow-net(\s|$)/.test(part), `task ${name} must list its hosts in --allow-net=: ${part}`);
      const net = /--allow-net=(\S+)/.exec(part)?.[1];
      for (const host of net?.split(",") ?? []) {
        assert.ok(allowed.has(host.replace(/:\d+$/, "")), `task ${name} reaches ${host}`);
      }
    }
  }
});

Deno.test("the user-facing tasks (demo, hf, record) read only the environment variables they name", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
    tasks: Record<string, { command: string }>;
  };
  for (const name of ["demo", "hf", "record"]) {
    const command = config.tasks[name]?.command ?? "";
    assert.ok(/--allow-env=HF_TOKEN,/.test(command), `task ${name} must list its variables: ${command}`);
    assert.ok(!/--allow-env(\s|$)/.test(command), `task ${name} must not allow every variable: ${command}`);
  }
});

Deno.test("deno task demo's own permissions are enough, and it runs with the network denied", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
    tasks: Record<string, { command: string }>;
  };
  const command = config.tasks.demo?.command ?? "";
  const args = command.split(/\s+/).slice(1).map((a) => a.startsWith("--allow-net=") ? "--deny-net" : a);
  const env = { ...Deno.env.toObject(), HF_WORKBOOK_NO_DOTENV: "1", NO_COLOR: "1" };
  delete (env as Record<string, string | undefined>).HF_TOKEN;
  delete (env as Record<string, string | undefined>).HF_MODE;
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.ok(args.includes("--deny-net"));
  assert.match(stdout, /^mode: replay \(no HF_TOKEN/);
  assert.ok(
    stdout.includes(
      "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。",
    ),
  );
});
