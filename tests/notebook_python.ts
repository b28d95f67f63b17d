/**
 * The Python that runs the notebooks (tests/notebook_runner.py): one with
 * Jupyter's client libraries (nbclient, nbformat, jupyter_client, ipykernel).
 *
 * `PYTHON` when set (`HF_NOTEBOOK_PYTHON` too, its older name); otherwise the
 * first of `python3` on PATH, Debian's `/usr/bin/python3` and `python` (the
 * Windows name) that imports them, so a `python3` without Jupyter earlier on
 * PATH (pyenv, Homebrew) does not hide the system's; when none does, the first
 * that exists, so the error names it.
 *
 * Run as a program, it runs that Python with its own arguments:
 * `deno run --allow-env --allow-read --allow-run tests/notebook_python.ts tests/notebook_runner.py ...`
 * (what `deno task notebooks` does).
 *
 * @module
 */

/** What the notebooks need from Python. */
export const JUPYTER_MODULES = ["nbclient", "nbformat", "jupyter_client", "ipykernel"];

const CANDIDATES = ["python3", "/usr/bin/python3", "python"];

/** Whether `python` runs and imports `modules`; `undefined` when it does not exist. */
function imports(python: string, modules: readonly string[]): boolean | undefined {
  try {
    const probe = new Deno.Command(python, {
      args: ["-c", `import ${modules.join(", ")}`],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    });
    return probe.outputSync().success;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** The Python to run the notebooks with (see the module doc). */
export function notebookPython(): string {
  const chosen = Deno.env.get("PYTHON") || Deno.env.get("HF_NOTEBOOK_PYTHON");
  if (chosen) return chosen;
  let existing: string | undefined;
  for (const candidate of CANDIDATES) {
    const found = imports(candidate, JUPYTER_MODULES);
    if (found) return candidate;
    if (found === false) existing ??= candidate;
  }
  return existing ?? "python3";
}

if (import.meta.main) {
  const python = notebookPython();
  try {
    const { code } = await new Deno.Command(python, { args: Deno.args, stdin: "inherit" }).spawn().status;
    Deno.exitCode = code;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    console.error(
      `error: no Python found (tried PYTHON, ${CANDIDATES.join(", ")}): install Python 3 with Jupyter ` +
        "(apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel, or pip install nbclient ipykernel) " +
        "or set PYTHON to one",
    );
    Deno.exitCode = 2;
  }
}
