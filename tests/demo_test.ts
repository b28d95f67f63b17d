/**
 * `deno task demo`: runDemo() in replay and live, and the command itself run
 * as a subprocess with the network denied.
 */
import assert from "node:assert/strict";
import { ARTICLE_PARAGRAPH, describeSource, runDemo } from "../lib/cli/demo.ts";
import type { Exchange } from "../lib/transport/fetch.ts";
import { resolveMode } from "../lib/transport/mode.ts";
import { startFakeHf } from "./fake_hf_server.ts";
import { CLEAN_ENV, countingFetch, FAKE_TOKEN, ROOT, withEnv } from "./_helpers.ts";

const PUBLISHED =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";
const ROUTER_URL = "https://router.huggingface.co/hf-inference/models/csebuetnlp/mT5_multilingual_XLSum";
const LEGACY_URL = "https://api-inference.huggingface.co/models/csebuetnlp/mT5_multilingual_XLSum";

/** The index of the first line matching `pattern`, after line `from`. */
function lineOf(lines: string[], pattern: RegExp | string, from = -1): number {
  const at = lines.findIndex((line, i) =>
    i > from && (typeof pattern === "string" ? line.includes(pattern) : pattern.test(line))
  );
  assert.ok(at > from, `no line matching ${pattern} after line ${from}:\n${lines.join("\n")}`);
  return at;
}

/** Assert the demo's lines come in the article's order. */
function assertDemoOrder(lines: string[], mode: string): void {
  const modeLine = lineOf(lines, new RegExp(`^mode: ${mode} \\(`));
  assert.equal(modeLine, 0, "the mode comes first");
  const router = lineOf(lines, `POST ${ROUTER_URL}`, modeLine);
  const legacy = lineOf(lines, `POST ${LEGACY_URL}`, router);
  assert.equal(legacy, router + 1, "the legacy URL is next to today's");
  lineOf(lines, /410 Gone/, legacy);
  const paragraph = lineOf(lines, ARTICLE_PARAGRAPH, legacy);
  const rawLabel = lineOf(lines, /^raw JSON, as the service returns it/, paragraph);
  const raw = lineOf(lines, /^\s+\[\{"summary_text":/, rawLabel);
  assert.equal(lines[raw]!.trim(), JSON.stringify([{ summary_text: PUBLISHED }]));
  const typedLabel = lineOf(lines, /^typed summary/, raw);
  const typed = lineOf(lines, PUBLISHED, typedLabel);
  assert.equal(lines[typed]!.trim(), PUBLISHED);
}

Deno.test("runDemo in replay prints mode, endpoints, paragraph, raw JSON and typed summary, in order, offline", async () => {
  const net = countingFetch();
  const lines: string[] = [];
  await withEnv(CLEAN_ENV, () => runDemo(resolveMode(), { print: (l) => lines.push(l), fetch: net.fetch }));
  assertDemoOrder(lines, "replay");
  assert.match(lines[0]!, /no HF_TOKEN/);
  const label = "replayed · published by the article (【Hugging Face】Ep.8)";
  assert.ok(
    lines.some((l) => l.startsWith("raw JSON") && l.includes(`(query; ${label}):`)),
    lines.join("\n"),
  );
  const typed = lineOf(lines, PUBLISHED, lineOf(lines, /^typed summary/));
  assert.equal(lines[typed + 1], `  (${label})`, "the typed summary says where it came from");
  assert.equal(net.calls.length, 0);
});

Deno.test("runDemo live goes through the given fetch and never prints the token", async () => {
  await using fake = await startFakeHf();
  fake.on(ROUTER_URL, { json: [{ summary_text: PUBLISHED }] });
  const lines: string[] = [];
  await runDemo(
    { mode: "live", reason: "HF_TOKEN found in environment", token: FAKE_TOKEN, tokenSource: "environment" },
    { print: (l) => lines.push(l), fetch: fake.fetch },
  );
  assertDemoOrder(lines, "live");
  assert.ok(lines.some((l) => /\(query; live · hf-inference, 1 attempt\):$/.test(l)), lines.join("\n"));
  const typed = lineOf(lines, PUBLISHED, lineOf(lines, /^typed summary/));
  assert.equal(lines[typed + 1], "  (live · hf-inference)");
  assert.ok(!lines.join("\n").includes(FAKE_TOKEN));
  assert.ok(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`));
  assert.ok(
    fake.requests.filter((r) => r.method === "POST").length >= 2,
    "query and summarization both call",
  );
});

Deno.test("describeSource says where an answer came from", () => {
  const base: Exchange = {
    method: "POST",
    url: ROUTER_URL,
    status: 200,
    headers: new Headers(),
    body: new Uint8Array(),
    from: "recording",
    attempts: 0,
  };
  assert.equal(describeSource({ ...base, from: "network", attempts: 1 }), "live · hf-inference, 1 attempt");
  assert.equal(describeSource({ ...base, from: "network", attempts: 3 }), "live · hf-inference, 3 attempts");
  assert.equal(
    describeSource({ ...base, origin: { kind: "recorded", date: "2026-01-02" } }),
    "replayed · recorded live on 2026-01-02",
  );
  assert.equal(
    describeSource({
      ...base,
      origin: { kind: "published", source: "https://vocus.cc/x (【Hugging Face】Ep.8 …)" },
    }),
    "replayed · published by the article (【Hugging Face】Ep.8)",
  );
  assert.match(
    describeSource({ ...base, origin: { kind: "authored", after: "x" } }),
    /authored example of the shape/,
  );
  assert.match(
    describeSource(base),
    /^replayed · authored/,
    "a recording that does not say is never taken as real",
  );
});

/** The environment of a subprocess: ours, without any token or mode, with the .env loader off. */
function offlineEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Deno.env.toObject();
  for (const name of ["HF_TOKEN", "HF_MODE", "HF_RECORDINGS_DIR", "HUGGING_FACE_HUB_TOKEN"]) delete env[name];
  return { ...env, HF_WORKBOOK_NO_DOTENV: "1", NO_COLOR: "1", ...extra };
}

async function runCli(args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", "--allow-read=.", "--deny-net", "lib/cli/main.ts", ...args],
    cwd: ROOT,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

Deno.test("the demo command runs with the network denied, no token and no .env, and prints the summary", async () => {
  const { code, stdout, stderr } = await runCli(["demo"], offlineEnv());
  assert.equal(code, 0, `exit ${code}\n${stdout}\n${stderr}`);
  assert.ok(stdout.includes(PUBLISHED), stdout);
  assertDemoOrder(stdout.split("\n"), "replay");
  assert.ok(!/hf_[A-Za-z0-9]{30,}/.test(stdout + stderr));
});

Deno.test("the demo command with a bad HF_MODE exits 2 naming the allowed modes", async () => {
  const { code, stderr } = await runCli(["demo"], offlineEnv({ HF_MODE: "offline" }));
  assert.equal(code, 2, stderr);
  assert.match(stderr, /HF_MODE must be one of replay, live, record, cache, got "offline"/);
});
