/**
 * The `hf` command line: `deno task hf <command>`. Usage errors exit 2; a
 * failed call exits 1 with the service's message and the workbook's hint; the
 * mode in force goes to stderr, results to stdout. The token is never printed.
 *
 * @module
 */

import { Command, CommanderError } from "@commander-js/extra-typings";
import { HfWorkbookError } from "../errors.ts";
import { resolveMode } from "../transport/mode.ts";
import { findToken } from "../env.ts";
import { runDemo } from "./demo.ts";
import { recordAll } from "./record.ts";

/** Build the program (tests call `parseAsync` on it with an argument array). */
export function buildProgram(): Command {
  const program = new Command("hf")
    .description("hf-workbook: the Hugging Face Inference API from the shell")
    .exitOverride()
    .configureOutput({
      writeErr: (s) => console.error(s.trimEnd()),
      writeOut: (s) => console.log(s.trimEnd()),
    });
  program.command("demo")
    .description("the article's example end to end (replay without a token, live with HF_TOKEN)")
    .action(async () => {
      await runDemo(resolveMode());
    });
  program.command("record")
    .description("re-record every recording live with your token (HF_TOKEN) and report what changed")
    .option("--only <tasks...>", "only these recordings files (task names)")
    .action(async (options) => {
      const found = findToken();
      if (!found) {
        throw new TypeError(
          'Cannot record: HF_TOKEN is not set; put a token with the "Make calls to Inference Providers" permission in .env or the environment',
        );
      }
      const report = await recordAll({ token: found.token, ...(options.only ? { only: options.only } : {}) });
      if (report.failed > 0) Deno.exitCode = 1;
    });
  return program as unknown as Command;
}

/** Run the command line with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof HfWorkbookError) {
      console.error(`error: ${error.message}`);
      console.error(`hint: ${error.hint}`);
      return 1;
    }
    if (error instanceof TypeError || error instanceof RangeError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) {
  const code = await main(Deno.args);
  if (code !== 0) Deno.exitCode = code;
}
