/**
 * The command line, called with argument arrays (no subprocess): parsing,
 * exit codes, human and JSON output, the mode on stderr, colours, and that
 * the token is never printed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { main } from "../lib/cli/main.ts";
import type { CliIo } from "../lib/cli/io.ts";
import { parseParams } from "../lib/cli/params.ts";
import { findTask, TASKS } from "../lib/cli/tasks.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import { CLEAN_ENV, countingFetch, FAKE_TOKEN, ROOT, tempDir, uniqueModel, withEnv } from "./_helpers.ts";

const ARTICLE =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const ARTICLE_SUMMARY =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Run the CLI with `args`, a clean environment plus `env`, and an injected network edge. */
async function run(
  args: string[],
  options: {
    env?: Record<string, string>;
    fetch?: typeof fetch;
    stdin?: string;
    color?: boolean;
    columns?: number;
  } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = new TextEncoder().encode(options.stdin ?? "");
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: () => Promise.resolve(stdin),
    stdin: () => ReadableStream.from([stdin]),
    writeErr: (text) => err.push(text),
    errIsTerminal: false,
    color: options.color ?? false,
    ...(options.columns ? { columns: options.columns } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const code = await withEnv({ ...CLEAN_ENV, ...options.env }, () => main(args, io));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("hf --help lists every task of the registry and the other commands", async () => {
  const { code, out } = await run(["--help"]);
  assert.equal(code, 0);
  for (const task of TASKS) assert.match(out, new RegExp(`^  ${task.name}\\|?`, "m"), task.name);
  for (const command of ["snippet", "check", "batch", "record", "demo"]) {
    assert.match(out, new RegExp(`^  ${command} `, "m"));
  }
});

Deno.test("hf <task> --help shows the input, every parameter with its type and choices, and an example", async () => {
  const { code, out } = await run(["summarization", "--help"]);
  assert.equal(code, 0);
  assert.match(
    out,
    /truncation \(string\)[^\n]*\[do_not_truncate,\s+longest_first, only_first, only_second\]/,
  );
  assert.match(out, /generate_parameters\.max_new_tokens \(integer\)/);
  assert.match(out, /--mode <mode>[\s\S]*choices: "replay", "live",\s+"record", "cache"/);
  assert.match(out, /^Default model: csebuetnlp\/mT5_multilingual_XLSum/m);
  assert.match(out, /^Example[^\n]*:\n {2}deno task hf summarization /m);
  const chat = await run(["chat-completion", "--help"]);
  assert.match(chat.out, /max_tokens \(integer\)[\s\S]{0,200}\(default: "?1024"?\)/, "a parameter's default");
});

Deno.test("hf summarization replays the article's call: the answer on stdout, the mode on stderr", async () => {
  const network = countingFetch();
  const { code, out, err } = await run(["summarization", ARTICLE], { fetch: network.fetch });
  assert.equal(code, 0, err);
  assert.equal(out, ARTICLE_SUMMARY);
  assert.match(err, /^mode: replay \(no HF_TOKEN/);
  assert.equal(network.calls.length, 0);
  const json = await run(["summarization", "--json", ARTICLE]);
  assert.deepEqual(JSON.parse(json.out), { summary_text: ARTICLE_SUMMARY });
});

Deno.test("hf reads the input from stdin (-) and from --file", async () => {
  await using tmp = await tempDir();
  const stdin = await run(["summarization", "-"], { stdin: `${ARTICLE}\n` });
  assert.equal(stdin.code, 0, stdin.err);
  assert.equal(stdin.out, ARTICLE_SUMMARY);
  await Deno.writeTextFile(`${tmp.dir}/article.txt`, `${ARTICLE}\n`);
  const file = await run(["summarization", "--file", `${tmp.dir}/article.txt`]);
  assert.equal(file.code, 0, file.err);
  assert.equal(file.out, ARTICLE_SUMMARY);
  const missing = await run(["summarization", "--file", `${tmp.dir}/nope.txt`]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^error: \S*nope\.txt does not exist: check the path$/m);
});

Deno.test("hf exits 2 on usage errors and sends nothing", async () => {
  const network = countingFetch();
  const cases: [string[], RegExp][] = [
    [["summarization", ARTICLE, "--no-such-option"], /unknown option '--no-such-option'/],
    [["no-such-command"], /unknown command 'no-such-command'/],
    [["summarization"], /give the input as an argument/],
    [
      ["summarization", ARTICLE, "--param", "max_tokens=3"],
      /unknown parameter "max_tokens"/,
    ],
    [["summarization", ARTICLE, "--param", "truncation=sideways"], /must be one of do_not_truncate/],
    [
      ["summarization", ARTICLE, "--param", "generate_parameters.max_new_tokens=lots"],
      /must be a whole number/,
    ],
    [
      ["summarization", ARTICLE, "--param", "generate_parameters.top_p=5"],
      /"parameters\.generate_parameters\.top_p"/,
    ],
    [["summarization", ARTICLE, "--mode", "sometimes"], /Allowed choices are replay, live, record, cache/],
    [
      ["summarization", ARTICLE, "--model", "https://example.com/x"],
      /pass it as --endpoint https:\/\/example/,
    ],
    [["summarization", ARTICLE, "--provider", "nobody"], /--provider must be auto or a provider name/],
    [["summarization", ARTICLE, "--endpoint", "ftp://x"], /--endpoint must be an http\(s\) URL/],
    [
      ["batch", "summarization", "--input", "a", "--output", "b", "--rate", "fast"],
      /"rate" must be a positive/,
    ],
    [
      ["batch", "summarization", "--input", "a", "--output", "b", "--concurrency", "0"],
      /--concurrency must be/,
    ],
    [["batch", "summarization", "--input", "a", "--output", "b", "--burst", "0"], /--burst must be/],
    [
      ["batch", "no-such-task", "--input", "a", "--output", "b"],
      /unknown task "no-such-task" \(known: summarization, /,
    ],
    [
      ["batch", "summarizaton", "--input", "a", "--output", "b"],
      /unknown task "summarizaton": did you mean summarization\?/,
    ],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await run(args, { fetch: network.fetch });
    assert.equal(code, 2, `${args.join(" ")}: ${err}`);
    assert.match(err, message, args.join(" "));
  }
  assert.equal(network.calls.length, 0);
});

Deno.test("hf exits 2 on a bad input, with the check's message, before any request", async () => {
  const { code, err } = await run(["summarization", "   "]);
  assert.equal(code, 2);
  assert.match(err, /error: Cannot summarize: "inputs" must be a non-empty string/);
});

Deno.test("hf exits 1 on a service error, with the service's message and the workbook's hint", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("cli");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.validation422Json);
  const { code, out, err } = await run(["summarization", "text", "--model", model, "--mode", "live"], {
    env: { HF_TOKEN: "hf_test" },
    fetch: fake.fetch,
  });
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.match(err, /^mode: live/m);
  assert.match(err, /^error: Hugging Face answered 422 .*Input validation error/m);
  assert.match(err, /^hint: The service rejected the input or parameters/m);
});

Deno.test("hf never prints the token, even when the service echoes it back", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("echo");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.echoAuth);
  const result = await run(["summarization", "text", "--model", model], {
    env: { HF_TOKEN: FAKE_TOKEN },
    fetch: fake.fetch,
  });
  assert.equal(result.code, 1);
  assert.ok(fake.requests.some((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`));
  assert.match(result.err, /token: set/);
  assert.ok(!`${result.out}\n${result.err}`.includes(FAKE_TOKEN), "the token was printed");
  assert.match(result.err, /hf_\*\*\*/);
});

Deno.test("hf colours error and hint only when colours are on (a terminal, and NO_COLOR unset)", async () => {
  const plain = await run(["summarization", "   "], { color: false });
  assert.ok(!plain.err.includes("\x1b["), "escape codes without colours");
  const coloured = await run(["summarization", "   "], { color: true });
  assert.ok(coloured.err.includes("\x1b[31merror:\x1b[39m"), "no red error: on a terminal");
});

Deno.test("hf batch exits 0 when every item is done, 1 when an item failed or a line was bad", async () => {
  await using tmp = await tempDir();
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  await Deno.writeTextFile(input, `${JSON.stringify({ id: "article", inputs: ARTICLE })}\n`);
  const ok = await run(["batch", "summarization", "--input", input, "--output", output, "--json"]);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(JSON.parse(ok.out).done, 1);
  assert.match(ok.err, /done: 1, failed: 0/);
  assert.match(ok.err, /^batch: 1\/1 \| 1 done, 0 failed, 0 skipped/m, "plain progress lines off a terminal");
  await Deno.writeTextFile(input, `${JSON.stringify({ id: "other", inputs: "not recorded" })}\n{oops\n`, {
    append: true,
  });
  const bad = await run(["batch", "summarization", "-i", input, "-o", output]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /line 3: skipped, not JSON/);
  assert.match(bad.err, /done: 0, failed: 1, skipped \(already in the output\): 1, bad lines: 1, pending: 0/);
});

Deno.test("hf batch stops on a 401, says why, and exits 1 with the rest pending", async () => {
  await using tmp = await tempDir();
  await using fake = await startFakeHf();
  const model = uniqueModel("cli-stop");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.unauthorized401Json);
  const input = `${tmp.dir}/in.jsonl`;
  await Deno.writeTextFile(input, ["a", "b", "c"].map((t) => JSON.stringify({ inputs: t })).join("\n"));
  const result = await run(
    ["batch", "summarization", "-i", input, "-o", `${tmp.dir}/out.jsonl`, "-m", model, "-c", "1"],
    { env: { HF_TOKEN: "hf_test", HF_MODE: "live" }, fetch: fake.fetch },
  );
  assert.equal(result.code, 1);
  assert.match(result.err, /pending: 3/);
  assert.match(result.err, /error: Hugging Face answered 401/);
  assert.match(result.err, /hint: Set HF_TOKEN/);
});

Deno.test("parseParams() types values and nests dotted keys; every registry entry has unique names", () => {
  const summarization = findTask("summarization")!;
  assert.deepEqual(
    parseParams(summarization.parameters, [
      "clean_up_tokenization_spaces=yes",
      "generate_parameters.temperature=0.5",
      "generate_parameters.do_sample=false",
    ]),
    { clean_up_tokenization_spaces: true, generate_parameters: { temperature: 0.5, do_sample: false } },
  );
  assert.equal(findTask("Summarization")?.name, "summarization");
  assert.equal(findTask("no-such-task"), undefined);
  const names = TASKS.map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
  for (const task of TASKS) {
    const params = task.parameters.map((p) => p.name);
    assert.equal(new Set(params).size, params.length, task.name);
    assert.ok(findTask(task.method), `${task.method} is not found by its method name`);
    assert.ok(findTask(task.name.replaceAll("-", "_")), `${task.name} is not found by its file name`);
  }
});

Deno.test("every task helper in lib/tasks/ is reachable from the command line", async () => {
  const files = [...Deno.readDirSync(new URL("../lib/tasks/", import.meta.url))]
    .map((e) => e.name)
    .filter((name) => name.endsWith(".ts") && !name.startsWith("_"));
  assert.ok(files.length > 0);
  for (const file of files) {
    const name = file.replace(/\.ts$/, "");
    const entry = findTask(name);
    assert.ok(entry, `lib/tasks/${file} has no entry in lib/cli/_entries.ts`);
    const module = await import(`../lib/tasks/${file}`);
    assert.equal(
      typeof module[entry.method],
      "function",
      `${entry.method} is not exported by lib/tasks/${file}`,
    );
  }
});

Deno.test("the registry's choices are the helpers' own lists", async () => {
  const choices = (task: string, param: string) =>
    findTask(task)!.parameters.find((p) => p.name === param)?.choices;
  const { TRUNCATION_STRATEGIES } = await import("../lib/tasks/_generation_parameters.ts");
  const { AGGREGATION_STRATEGIES } = await import("../lib/tasks/token_classification.ts");
  const { CLASSIFICATION_OUTPUT_TRANSFORMS } = await import("../lib/tasks/text_classification.ts");
  const { TABLE_PADDINGS } = await import("../lib/tasks/table_question_answering.ts");
  const { TRUNCATION_DIRECTIONS } = await import("../lib/tasks/feature_extraction.ts");
  assert.deepEqual(choices("summarization", "truncation"), TRUNCATION_STRATEGIES);
  assert.deepEqual(choices("translation", "truncation"), TRUNCATION_STRATEGIES);
  assert.deepEqual(choices("token-classification", "aggregation_strategy"), AGGREGATION_STRATEGIES);
  assert.deepEqual(choices("text-classification", "function_to_apply"), CLASSIFICATION_OUTPUT_TRANSFORMS);
  assert.deepEqual(choices("image-classification", "function_to_apply"), CLASSIFICATION_OUTPUT_TRANSFORMS);
  assert.deepEqual(choices("table-question-answering", "padding"), TABLE_PADDINGS);
  assert.deepEqual(choices("feature-extraction", "truncation_direction"), TRUNCATION_DIRECTIONS);
});

Deno.test("hf runs the recorded calls of other tasks: a table for entities, text for a translation", async () => {
  const entities = await run(["token-classification", "台灣是一個非常美麗的地區"]);
  assert.equal(entities.code, 0, entities.err);
  assert.match(entities.out, /^entity\s+word\s+score\s+start\s+end$/m);
  assert.match(entities.out, /^LOC\s+台灣/m);
  const translated = await run(["translation", "這是一個很困難的問題"]);
  assert.equal(translated.code, 0, translated.err);
  assert.equal(translated.out, "It's a very difficult question.");
  const missing = await run(["zero-shot-classification", "我想退款"]);
  assert.equal(missing.code, 2, "a missing required --param is a usage error");
  assert.match(missing.err, /"parameters\.candidate_labels" must list 1 to 10/);
});

Deno.test("hf text-to-image needs --output and writes the image there", async () => {
  await using tmp = await tempDir();
  const without = await run(["text-to-image", "一個在窗戶上的蘋果"]);
  assert.equal(without.code, 2);
  assert.match(without.err, /give --output <file>/);
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../recordings/text-to-image.json", import.meta.url)),
  );
  const prompt = recorded.interactions.find((i: { request: { method: string } }) =>
    i.request.method === "POST"
  )
    .request.body.inputs as string;
  const made = await run(["text-to-image", prompt, "--output", `${tmp.dir}/out.png`]);
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, /^wrote .*out\.png \(image\/png, \d+ bytes\)$/);
  const bytes = await Deno.readFile(`${tmp.dir}/out.png`);
  assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
});

/** The words of a POSIX shell line: bare words, single quotes and backslash escapes (what `--help` prints). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === " ") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      assert.ok(end > i, `an unclosed quote in ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === "\\") {
      word = (word ?? "") + line[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The command lines under `Example...:` / `Examples:` in a help text, continuation lines joined. */
function helpExamples(help: string): string[] {
  const block = /^Examples?[^\n]*:\n((?: {2}.*\n?)+)/m.exec(help)?.[1] ?? "";
  return block.replace(/ \\\n\s+/g, " ").split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

Deno.test("every task's --help example is a recorded call: run as printed, it replays with no token and exits 0", async () => {
  await using tmp = await tempDir();
  const network = countingFetch();
  for (const task of TASKS) {
    const help = await run([task.name, "--help"]);
    const line = helpExamples(help.out)[0]?.replace(/^deno task hf /, "");
    assert.ok(line, `${task.name}: no example in --help`);
    const [name, ...words] = shellWords(line);
    assert.equal(name, task.name);
    // Run from anywhere: the project's files from its root, each task's media written to a temporary folder
    // under a name of its own (an existing file is refused without --force), keeping the example's extension.
    const args = words.map((word, i) =>
      words[i - 1] === "--output"
        ? `${tmp.dir}/${task.name}-${word.split("/").at(-1)}`
        : /^(notebooks|lib)\//.test(word)
        ? `${ROOT}/${word}`
        : word
    );
    const result = await run([name, ...args], { fetch: network.fetch });
    assert.equal(result.code, 0, `${task.name}: ${result.err}`);
    assert.match(result.err, /^mode: replay \(no HF_TOKEN/, task.name);
    assert.notEqual(result.out, "", task.name);
    // The registry's example, quoted for a shell; an input too long for a line is in its example file.
    const at = words.indexOf("--file");
    const shown = at < 0 ? words : [...words.slice(0, at), ...words.slice(at + 2)];
    assert.deepEqual(shown, task.example.filter((w) => at < 0 || w !== fileInput(task)), task.name);
    if (at >= 0) {
      const text = (await Deno.readTextFile(`${ROOT}/${words[at + 1]}`)).replace(/\n$/, "");
      const expected = fileInput(task)!;
      if (words[at + 1]!.endsWith(".json")) {
        assert.deepEqual(JSON.parse(text), JSON.parse(expected), task.name);
      } else {assert.equal(
          text,
          expected,
          `${task.name}: ${words[at + 1]} is not the registry's example input`,
        );}
    }
  }
  assert.equal(network.calls.length, 0, "an example reached the network");
});

/** The example's input (the word that is neither an option nor an option's value). */
function fileInput(task: (typeof TASKS)[number]): string | undefined {
  return task.example.find((w, i) => !w.startsWith("-") && !/^--?\w/.test(task.example[i - 1] ?? ""));
}

Deno.test("--output is refused (exit 2) by tasks that print their answer, and --help says so", async () => {
  await using tmp = await tempDir();
  const network = countingFetch();
  const file = `${tmp.dir}/x.txt`;
  const cases: [string[], RegExp][] = [
    [["translation", "這是一個很困難的問題", "--output", file], /translation prints its answer on stdout/],
    [["text-classification", "-o", file, "I love it"], /text-classification prints its answer on stdout/],
    [
      ["snippet", "translation", "這是一個很困難的問題", "--output", file],
      /translation snippets print the answer/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await run(args, { fetch: network.fetch });
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.err}`);
    assert.match(result.err, /^error: --output is only for tasks that answer with an image; /m);
    assert.match(result.err, message);
    if (args[0] !== "snippet") assert.match(result.err, /redirect it instead \(> .*x\.txt\)/);
    assert.equal(result.out, "");
  }
  await assert.rejects(Deno.stat(file), Deno.errors.NotFound);
  assert.equal(network.calls.length, 0);
  const help = await run(["translation", "--help"]);
  assert.match(help.out, /^Output: the answer on stdout/m);
  assert.ok(!help.out.includes("-o, --output"), "a text task lists --output");
  const image = await run(["text-to-image", "--help"]);
  assert.match(image.out, /-o, --output <file>\s+write the image here \(required\)/);
  assert.match(
    image.out,
    /^Output: the image, written to --output <file> \(an existing file only with --force\)/m,
  );
});

Deno.test("hf image-segmentation shows each mask's decoded size, padding counted", async () => {
  const picture = `${ROOT}/notebooks/assets/apple_on_window.png`;
  const json = await run([
    "image-segmentation",
    picture,
    "--model",
    "facebook/detr-resnet-50-panoptic",
    "--json",
  ]);
  assert.equal(json.code, 0, json.err);
  const masks = JSON.parse(json.out) as { label: string; mask: string }[];
  assert.ok(
    masks.some((m) => m.mask.endsWith("==")),
    "the recording has no padded mask: the test cannot fail",
  );
  const table = await run(["image-segmentation", picture, "--model", "facebook/detr-resnet-50-panoptic"]);
  assert.equal(table.code, 0, table.err);
  for (const { label, mask } of masks) {
    const size = Uint8Array.from(atob(mask), (c) => c.charCodeAt(0)).length;
    assert.match(table.out, new RegExp(`^${label}\\s.*PNG, ${size} bytes$`, "m"), label);
  }
});

Deno.test("hf chat-completion --stream prints the first chunk before the stream ends", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("cli-stream");
  fake.setModelTask(model, "conversational");
  // The first half of the events, then nothing: the stream stays open until the server closes.
  fake.on(/\/chat\/completions$/, { ...scenarios.chatStream200, behaviour: "stall-body" });
  const written: string[] = [];
  let firstSeen: () => void;
  const first = new Promise<void>((resolve) => firstSeen = resolve);
  const io: CliIo = {
    out: (line) => written.push(`${line}\n`),
    err: () => {},
    readStdin: () => Promise.resolve(new Uint8Array()),
    stdin: () => new ReadableStream(),
    writeErr: () => {},
    writeOut: (text) => {
      written.push(text);
      if (text !== "") firstSeen();
    },
    errIsTerminal: false,
    color: false,
    fetch: fake.fetch,
  };
  const args = [
    "chat-completion",
    "hi",
    "--stream",
    "-m",
    model,
    "--provider",
    "hf-inference",
    "--mode",
    "live",
  ];
  const running = withEnv({ ...CLEAN_ENV, HF_TOKEN: FAKE_TOKEN }, () => main(args, io));
  const early = await Promise.race([first.then(() => "first chunk"), running.then(() => "ended")]);
  assert.equal(early, "first chunk", `the stream ended before anything was printed: ${written.join("")}`);
  assert.ok(written.join("").length > 0);
  await fake.close();
  const code = await running;
  assert.equal(code, 1, "a stream cut before its end is an error, not a complete answer");
});

Deno.test("hf tells a replay miss with the inputs recorded for that task and model, and how to record", async () => {
  const missed = await run([
    "image-classification",
    `${ROOT}/notebooks/assets/apple_on_window.png`,
    "-p",
    "top_k=2",
  ]);
  assert.equal(missed.code, 1, missed.err);
  assert.match(
    missed.err,
    /^error: Not recorded: this image-classification call to google\/vit-base-patch16-224/m,
  );
  assert.match(
    missed.err,
    /^Recorded for image-classification with google\/vit-base-patch16-224 \(\d+; the closest first\):$/m,
  );
  assert.match(missed.err, /^ {2}input /m);
  assert.match(missed.err, /^hint: Record it with your token: add --mode record \(or --mode cache\)/m);
  const model = await run(["translation", "你好", "--model", "nobody/no-such-model"]);
  assert.equal(model.code, 1);
  assert.match(model.err, /Nothing is recorded for nobody\/no-such-model; recorded models for translation: /);
});

Deno.test("hf says file problems in one line, exit 2, no stack; an existing image is kept without --force", async () => {
  await using tmp = await tempDir();
  const prompt = [
    "text-to-image",
    "An apple on the window.",
    "--model",
    "stable-diffusion-v1-5/stable-diffusion-v1-5",
  ];
  const cases: [string[], RegExp][] = [
    [
      [...prompt, "-o", `${tmp.dir}/nodir/a.png`],
      /^error: The folder \S+nodir does not exist: create it \(mkdir -p /,
    ],
    [[...prompt, "-o", tmp.dir], /^error: \S+ is a folder: give a file name for --output$/],
    [
      ["batch", "translation", "-i", `${tmp.dir}/missing.jsonl`, "-o", `${tmp.dir}/o.jsonl`],
      /missing\.jsonl does not exist/,
    ],
    [
      ["batch", "translation", "-i", "-", "-o", `${tmp.dir}/nodir/o.jsonl`],
      /The folder \S+nodir does not exist/,
    ],
    [["image-classification", `${tmp.dir}/none.png`], /none\.png does not exist: check the path/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.err}`);
    assert.match(result.err, message);
    assert.doesNotMatch(result.err, /\n\s+at /, "a stack trace");
    assert.ok(!result.err.includes("\x1b["), "colour off a terminal");
  }
  const target = `${tmp.dir}/apple.png`;
  await Deno.writeTextFile(target, "mine");
  const kept = await run([...prompt, "-o", target]);
  assert.equal(kept.code, 2);
  assert.match(kept.err, /apple\.png exists: add --force to overwrite it/);
  assert.equal(await Deno.readTextFile(target), "mine");
  const forced = await run([...prompt, "-o", target, "--force"]);
  assert.equal(forced.code, 0, forced.err);
  assert.notEqual(await Deno.readTextFile(target), "mine");
});

Deno.test("a re-run batch names the failed ids and exits 1 while any is failed", async () => {
  await using tmp = await tempDir();
  const input = `${tmp.dir}/in.jsonl`;
  const output = `${tmp.dir}/out.jsonl`;
  const items = [{ id: "article", inputs: ARTICLE }, { id: "x1", inputs: "not recorded" }, {
    id: "x2",
    inputs: "not recorded either",
  }];
  await Deno.writeTextFile(input, items.map((i) => JSON.stringify(i)).join("\n") + "\n");
  const first = await run(["batch", "summarization", "-i", input, "-o", output]);
  assert.equal(first.code, 1);
  const again = await run(["batch", "summarization", "-i", input, "-o", output]);
  assert.equal(again.code, 1, again.err);
  // Both named, in the order they failed (items run concurrently).
  assert.match(again.err, /failed in the output: 2 \(ids: (x1, x2|x2, x1)\)/);
});

Deno.test("hf --version prints the version; --quiet leaves out the mode line, not the provenance", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const version = await run(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.out, config.version);
  const quiet = await run(["translation", "這是一個很困難的問題", "--quiet"]);
  assert.equal(quiet.code, 0, quiet.err);
  assert.doesNotMatch(quiet.err, /^mode:/m);
  assert.match(quiet.err, /^replayed · /m);
});

Deno.test("chat-completion --system puts a system message first; refused when the messages have one", async () => {
  const { withSystem } = await import("../lib/cli/_stream_answer.ts");
  assert.deepEqual(withSystem("What is deep learning?", "Be brief."), [
    { role: "system", content: "Be brief." },
    { role: "user", content: "What is deep learning?" },
  ]);
  const refused = await run(["chat-completion", '[{"role":"system","content":"x"}]', "--system", "y"]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /--system: the messages already start with a system message/);
});

Deno.test("the root --help from _commands.json is the registry's, and the manifest is current", async () => {
  const { currentManifest } = await import("../lib/cli/_manifest.ts");
  const stored = JSON.parse(await Deno.readTextFile(`${ROOT}/lib/cli/_commands.json`));
  assert.deepEqual(
    stored,
    await currentManifest(),
    "lib/cli/_commands.json is stale: run deno run --allow-read --allow-write lib/cli/_manifest.ts",
  );
  const { buildProgram, MODE_CHOICES } = await import("../lib/cli/program.ts");
  const { MODES } = await import("../lib/transport/mode.ts");
  assert.deepEqual(MODE_CHOICES, MODES);
  const fast = buildProgram(stored.tasks).helpInformation();
  assert.equal(fast, buildProgram(TASKS).helpInformation());
  assert.equal((await run(["--help"])).out.split("\n\nExamples:")[0], fast.trimEnd());
  assert.equal((await run(["--help"])).out, stored.help.join("\n"), "the kept root help is printed as it is");
  const narrow = await run(["--help"], { columns: 60 });
  assert.notEqual(narrow.out, stored.help.join("\n"), "a narrow terminal gets help built for its width");
  assert.ok(narrow.out.split("\n").every((l) => new TextEncoder().encode(l).length <= 100));
});

Deno.test("--bill-to and --provider reach the request, on a task and on a batch", async () => {
  await using fake = await startFakeHf();
  await using tmp = await tempDir();
  const model = uniqueModel("cli-bill");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.summarization200);
  const env = { HF_TOKEN: FAKE_TOKEN, HF_MODE: "live" };
  const call = await run(
    ["summarization", "hello", "-m", model, "--bill-to", "my-org", "--provider", "hf-inference"],
    { env, fetch: fake.fetch },
  );
  assert.equal(call.code, 0, call.err);
  const input = `${tmp.dir}/in.jsonl`;
  await Deno.writeTextFile(input, JSON.stringify({ id: "a", inputs: "hello again" }) + "\n");
  const batch = await run(
    ["batch", "summarization", "-i", input, "-o", `${tmp.dir}/out.jsonl`, "-m", model, "--bill-to", "my-org"],
    { env, fetch: fake.fetch },
  );
  assert.equal(batch.code, 0, batch.err);
  const posts = fake.requests.filter((r) => r.method === "POST");
  assert.equal(posts.length, 2);
  for (const post of posts) assert.equal(post.headers["x-hf-bill-to"], "my-org");
});

Deno.test("hf batch --burst lets that many requests leave back to back, at a --rate that would space them a second apart", async () => {
  await using fake = await startFakeHf();
  await using tmp = await tempDir();
  const model = uniqueModel("cli-burst");
  fake.setModelTask(model, "summarization");
  fake.on(`/hf-inference/models/${model}`, scenarios.summarization200);
  const sentAt: number[] = [];
  const timed: typeof fetch = (input, init) => {
    if ((init?.method ?? "GET") === "POST") sentAt.push(performance.now());
    return fake.fetch(input, init);
  };
  const input = `${tmp.dir}/in.jsonl`;
  await Deno.writeTextFile(
    input,
    ["a", "b", "c"].map((id) => JSON.stringify({ id, inputs: id })).join("\n") + "\n",
  );
  const batch = await run(
    [
      "batch",
      "summarization",
      "-i",
      input,
      "-o",
      `${tmp.dir}/out.jsonl`,
      "-m",
      model,
      "--rate",
      "1/s",
      "--burst",
      "3",
    ],
    { env: { HF_TOKEN: FAKE_TOKEN, HF_MODE: "live" }, fetch: timed },
  );
  assert.equal(batch.code, 0, batch.err);
  assert.equal(sentAt.length, 3);
  // at 1/s with no burst the three would leave 2 s apart from first to last; the Hub look-ups are not paced
  assert.ok(sentAt[2]! - sentAt[0]! < 900, `${sentAt.map((t) => Math.round(t - sentAt[0]!))} ms`);
});

Deno.test("the examples of hf --help, snippet and check replay with no token and exit 0", async () => {
  const network = countingFetch();
  const lines = [
    ...helpExamples((await run(["--help"])).out),
    ...helpExamples((await run(["snippet", "--help"])).out),
    ...helpExamples((await run(["check", "--help"])).out),
  ].filter((line) => !/^deno task hf batch /.test(line)); // a batch needs its items file
  assert.ok(lines.length >= 7, lines.join("\n"));
  for (const line of lines) {
    const words = shellWords(line.replace(/^deno task hf /, "")).map((w) =>
      w.startsWith("lib/") ? `${ROOT}/${w}` : w
    );
    const result = await run(words, { fetch: network.fetch });
    assert.equal(result.code, 0, `${line}: ${result.err}`);
    assert.notEqual(result.out, "", line);
  }
  assert.equal(network.calls.length, 0, "an example reached the network");
});

Deno.test("a target Deno may not write is one line naming the flag, exit 1, no stack, the file not written", async () => {
  await using tmp = await tempDir();
  const target = `${tmp.dir}/apple.png`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env",
      "--allow-read",
      `--allow-write=${tmp.dir}/elsewhere`,
      "--deny-net",
      `${ROOT}/lib/cli/main.ts`,
      "text-to-image",
      "An apple on the window.",
      "--model",
      "stable-diffusion-v1-5/stable-diffusion-v1-5",
      "-o",
      target,
    ],
    cwd: ROOT,
    env: { HF_WORKBOOK_NO_DOTENV: "1", NO_COLOR: "1" },
    clearEnv: true,
    stdin: "null",
  }).output();
  const err = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 1, err);
  assert.match(
    err,
    /^error: Deno does not allow to write to \S+apple\.png: run with --allow-write=\S+apple\.png$/m,
  );
  assert.doesNotMatch(err, /\n\s+at |Uncaught/);
  await assert.rejects(Deno.stat(target), Deno.errors.NotFound);
});

Deno.test("hints from the command line name its flags (--endpoint), not the library's options (endpointUrl)", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("cli-unserved");
  fake.setMapping(model, {});
  const result = await run(["summarization", "hello", "-m", model], {
    env: { HF_TOKEN: FAKE_TOKEN, HF_MODE: "live" },
    fetch: fake.fetch,
  });
  assert.equal(result.code, 1, result.err);
  assert.match(result.err, /^hint: .*--endpoint <url>/m);
  assert.doesNotMatch(result.err, /endpointUrl/);
  const url = await run(["summarization", "hello", "--model", "https://example.com/m"]);
  assert.equal(url.code, 2);
  assert.match(url.err, /pass it as --endpoint https:\/\/example\.com\/m/);
  assert.doesNotMatch(url.err, /endpointUrl/);
});

Deno.test("batch --quiet: no mode line and no progress, the summary stays", async () => {
  await using tmp = await tempDir();
  const input = `${tmp.dir}/in.jsonl`;
  await Deno.writeTextFile(input, `${JSON.stringify({ id: "article", inputs: ARTICLE })}\n`);
  const quiet = await run(["batch", "summarization", "-i", input, "-o", `${tmp.dir}/out.jsonl`, "--quiet"]);
  assert.equal(quiet.code, 0, quiet.err);
  assert.doesNotMatch(quiet.err, /^mode:|^batch: /m);
  assert.match(quiet.err, /^done: 1, failed: 0/m);
});
