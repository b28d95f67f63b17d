/**
 * Notebook tests.
 *
 * - For every `notebooks/*.ipynb`: execute it with `tests/notebook_runner.py --offline --check`
 *   (Debian's Jupyter, the Deno kernel, no network but loopback) in replay mode without
 *   any Hugging Face token, and expect every cell to succeed and the normalised result to
 *   be byte-identical to the committed file (outputs neither stale nor non-deterministic).
 * - For every committed notebook: check that its committed outputs are clean (Deno
 *   kernelspec, TypeScript language_info, outputs present, no errors, no ANSI escapes,
 *   no timing metadata, sequential execution counts, nothing shaped like a token).
 *
 * Needs: `deno test --allow-read --allow-env --allow-run` (or `-A`).
 * Needs a Python with Jupyter (tests/notebook_python.ts picks it: `PYTHON`, else the first of `python3`
 * on PATH, /usr/bin/python3, `python` that has it): Debian's
 * `apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel`, or `pip install nbclient ipykernel`.
 * Without it the execution tests are ignored with a warning, or fail when `CI` is set.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { notebookPython } from "./notebook_python.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NOTEBOOKS_DIR = join(ROOT, "notebooks");
const RUNNER = join(ROOT, "tests", "notebook_runner.py");
/** A Python with Jupyter: `PYTHON`, else the first on PATH that has it, else Debian's (see notebook_python.ts). */
const PYTHON = notebookPython();
const DEBIAN_PACKAGES = "jupyter-nbconvert python3-nbclient python3-ipykernel";
const NOTEBOOK_TIMEOUT_MS = 15 * 60_000;
const TOKEN_RE = /hf_[A-Za-z0-9]{30,}/;
const ESC = "\u001b";
/** Environment variables that could hand a real token to the kernel. */
const TOKEN_VARS = ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACEHUB_API_TOKEN", "HF_API_TOKEN"];
const REFRESH_HINT = "refresh the committed outputs with `deno task notebooks` " +
  "(python3 tests/notebook_runner.py --offline --inplace notebooks/*.ipynb)";

function listNotebooks(): string[] {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(NOTEBOOKS_DIR)];
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
    .map((e) => `notebooks/${e.name}`)
    .sort();
}

/** Why Jupyter cannot run notebooks here, or null if it can. */
function jupyterProblem(): string | null {
  const probe = [
    "import os, shutil, sys",
    "import nbclient, nbformat, jupyter_client, ipykernel",
    "sys.exit(0 if shutil.which('jupyter') or os.path.exists('/usr/bin/jupyter') else 3)",
  ].join("\n");
  let result: Deno.CommandOutput;
  try {
    result = new Deno.Command(PYTHON, { args: ["-c", probe], stdout: "piped", stderr: "piped" }).outputSync();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return `${PYTHON} not found`;
    throw err;
  }
  if (result.success) return null;
  if (result.code === 3) return "the `jupyter` command is missing";
  const stderr = new TextDecoder().decode(result.stderr).trim().split("\n").at(-1) ?? "";
  return `${PYTHON} cannot import Jupyter (${stderr})`;
}

function isCI(): boolean {
  const ci = Deno.env.get("CI");
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

function runnerEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const name of TOKEN_VARS) delete env[name];
  env.HF_MODE = "replay";
  env.HF_WORKBOOK_NO_DOTENV = "1"; // the workbook's env loader must not read a token from .env
  env.NO_COLOR = "1";
  return env;
}

const notebooks = listNotebooks();
const problem = notebooks.length > 0 ? jupyterProblem() : null;
const failInsteadOfSkip = problem !== null && isCI();
const missingJupyterMessage = `${problem}. Install Debian's Jupyter: ` +
  `apt-get install -y ${DEBIAN_PACKAGES} (it must be importable by ${PYTHON}).`;

if (problem !== null && !failInsteadOfSkip) {
  console.warn(
    `\n!!! notebooks_test.ts: NOT executing ${notebooks.length} notebook(s): ${missingJupyterMessage}\n` +
      "!!! The notebook execution tests are ignored; with CI set they fail.\n",
  );
}

if (notebooks.length === 0) {
  Deno.test("notebooks: folder exists (no notebooks found yet)", () => {
    const info = Deno.statSync(NOTEBOOKS_DIR);
    assert.ok(info.isDirectory, `${NOTEBOOKS_DIR} is not a directory`);
    console.log(`no notebooks found in ${NOTEBOOKS_DIR}: nothing to execute`);
  });
}

for (const notebook of notebooks) {
  Deno.test({
    name: `notebook runs offline in replay mode and gives its committed bytes: ${notebook}`,
    ignore: problem !== null && !failInsteadOfSkip,
    async fn() {
      if (problem !== null) assert.fail(`cannot execute ${notebook}: ${missingJupyterMessage}`);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), NOTEBOOK_TIMEOUT_MS);
      let result: Deno.CommandOutput;
      try {
        result = await new Deno.Command(PYTHON, {
          args: [RUNNER, "--offline", "--check", notebook],
          cwd: ROOT,
          env: runnerEnv(),
          clearEnv: true,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
          signal: controller.signal,
        }).output();
      } finally {
        clearTimeout(timer);
      }
      const decoder = new TextDecoder();
      const stdout = decoder.decode(result.stdout).trimEnd();
      const stderr = decoder.decode(result.stderr).trimEnd();
      const aborted = controller.signal.aborted ? ` (killed after ${NOTEBOOK_TIMEOUT_MS / 1000} s)` : "";
      assert.equal(
        result.code,
        0,
        `notebook_runner failed for ${notebook} with exit code ${result.code}${aborted}\n` +
          `--- runner output ---\n${stdout}\n--- runner stderr ---\n${stderr}`,
      );
      console.log(stdout);
    },
  });
}

// ---------------------------------------------------------------------------------------
// Committed outputs

interface Output {
  output_type: string;
  [key: string]: unknown;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata?: {
    kernelspec?: { name?: string };
    language_info?: { name?: string };
    [key: string]: unknown;
  };
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) { for (const v of value) strings(v, out); }
  else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) strings(v, out);
  }
  return out;
}

function sourceText(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

for (const notebook of notebooks) {
  Deno.test(`notebook has clean committed outputs: ${notebook}`, () => {
    const text = Deno.readTextFileSync(join(ROOT, notebook));
    const nb = JSON.parse(text) as Notebook;
    const problems: string[] = [];

    const kernel = nb.metadata?.kernelspec?.name;
    if (kernel !== "deno") problems.push(`metadata.kernelspec.name is ${JSON.stringify(kernel)}, not "deno"`);
    const language = nb.metadata?.language_info?.name;
    if (language !== "typescript") {
      problems.push(`metadata.language_info.name is ${JSON.stringify(language)}, not "typescript"`);
    }

    let outputs = 0;
    let expectedCount = 0;
    nb.cells.forEach((cell, index) => {
      const where = `cell ${index}`;
      for (const key of ["execution", "ExecuteTime"]) {
        if (cell.metadata && key in cell.metadata) problems.push(`${where}: has timing metadata "${key}"`);
      }
      const source = sourceText(cell);
      if (source !== "" && !source.endsWith("\n")) {
        problems.push(
          `${where}: source does not end with a newline (deno fmt --check fails on a fresh cache)`,
        );
      }
      if (cell.cell_type !== "code") return;
      const cellOutputs = cell.outputs ?? [];
      outputs += cellOutputs.length;
      if (sourceText(cell).trim() !== "") {
        expectedCount += 1;
        if (cell.execution_count !== expectedCount) {
          problems.push(
            `${where}: execution_count is ${cell.execution_count}, expected ${expectedCount} (not executed, or not in order)`,
          );
        }
      }
      cellOutputs.forEach((output, o) => {
        if (output.output_type === "error") {
          problems.push(`${where}: output ${o} is an error: ${output.ename}: ${output.evalue}`);
        }
        if (strings(output).some((s) => s.includes(ESC))) {
          problems.push(`${where}: output ${o} contains ANSI escape codes (run the kernel with NO_COLOR=1)`);
        }
      });
    });
    if (outputs === 0) problems.push("no cell has any output: the notebook was committed without running it");

    const token = TOKEN_RE.exec(text);
    if (token) {
      problems.push(
        `contains a Hugging Face token-shaped string (${token[0].slice(0, 6)}…): remove it and revoke it`,
      );
    }

    if (problems.length > 0) {
      assert.fail(`${notebook} is not clean; ${REFRESH_HINT}:\n  - ${problems.join("\n  - ")}`);
    }
  });
}
