import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ReplayMissError } from "../lib/errors.ts";
import { summarization } from "../lib/tasks/summarization.ts";
import { recordingStore } from "../lib/transport/fetch.ts";
import { CLEAN_ENV, RECORDINGS, rejection, ROOT, tempDir, withEnv } from "./_helpers.ts";

const ARTICLE_PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const ARTICLE_SUMMARY =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";

Deno.test("without a token and without a matching recording, the error says to set HF_TOKEN and how to record, naming the folder", async () => {
  await using tmp = await tempDir();
  await withEnv(CLEAN_ENV, async () => {
    const error = await rejection(summarization(ARTICLE_PARAGRAPH, { recordingsDir: tmp.dir }));
    assert.ok(error instanceof ReplayMissError);
    assert.equal(error.kind, "not-recorded");
    assert.ok(error.message.includes(tmp.dir), error.message);
    assert.match(error.hint, /Set HF_TOKEN \(environment or \.env\) for a live answer/);
    assert.match(error.hint, /HF_MODE=record/);
    assert.ok(error.hint.includes(`writes it to ${tmp.dir}`), error.hint);
    assert.match(error.hint, /recordingsDir option or HF_RECORDINGS_DIR/);
  });
});

Deno.test("recordingsDir takes a path or a file: URL; HF_RECORDINGS_DIR is the default; in this checkout, else its recordings/", async () => {
  await using tmp = await tempDir();
  await Deno.copyFile(join(RECORDINGS, "summarization.json"), join(tmp.dir, "summarization.json"));
  await withEnv(CLEAN_ENV, async () => {
    const byUrl = await summarization(ARTICLE_PARAGRAPH, { recordingsDir: pathToFileURL(tmp.dir + "/") });
    assert.equal(byUrl.summary_text, ARTICLE_SUMMARY);
    assert.equal(recordingStore().dir, RECORDINGS.replace(/[\\/]$/, ""));
  });
  await withEnv({ ...CLEAN_ENV, HF_RECORDINGS_DIR: tmp.dir }, async () => {
    assert.equal(recordingStore().dir, tmp.dir);
    const fromEnv = await summarization(ARTICLE_PARAGRAPH);
    assert.equal(fromEnv.summary_text, ARTICLE_SUMMARY);
  });
});

Deno.test("imported from a checkout it may not read, the library replays from ./recordings in the working folder", async () => {
  await using tmp = await tempDir();
  await Deno.mkdir(join(tmp.dir, "recordings"));
  await Deno.copyFile(
    join(RECORDINGS, "summarization.json"),
    join(tmp.dir, "recordings", "summarization.json"),
  );
  const script = [
    `import { summarization } from ${JSON.stringify(pathToFileURL(join(ROOT, "lib", "mod.ts")).href)};`,
    `console.log((await summarization(${JSON.stringify(ARTICLE_PARAGRAPH)})).summary_text);`,
  ].join("\n");
  await Deno.writeTextFile(join(tmp.dir, "main.ts"), script);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${join(ROOT, "deno.json")}`, // the import map, while lib/ still has bare specifiers
      "--no-lock",
      "--allow-env=HF_TOKEN,HF_MODE,HF_RECORDINGS_DIR,HF_WORKBOOK_NO_DOTENV",
      "--allow-read=./recordings",
      "main.ts",
    ],
    cwd: tmp.dir,
    env: { HF_WORKBOOK_NO_DOTENV: "1", NO_COLOR: "1", HF_TOKEN: "", HF_MODE: "", HF_RECORDINGS_DIR: "" },
    clearEnv: false,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, err);
  assert.equal(new TextDecoder().decode(stdout).trim(), ARTICLE_SUMMARY);
  assert.doesNotMatch(err, /Deno requests|NotCapable/);
});
