/**
 * The package as a user outside this clone meets it: a script in another
 * folder, with no deno.json of its own, imports the library by file path and
 * by an http URL (this repository served on 127.0.0.1), and replays the
 * article's summary from a recordings folder it names, with the narrowest
 * permissions README gives. Also: every bare import in lib/ resolves without
 * this repository's import map, and the versions there match deno.json.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { RECORDINGS, ROOT } from "./_helpers.ts";

const ARTICLE_PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
const ARTICLE_SUMMARY =
  "美國電腦巨頭微軟發現中國黑客組織利用個人簽章金鑰來偽造身分認證權杖,影響歐美地區的25個政府組織。";

/** A folder outside the repository holding the user's script and its own recordings. */
async function userProject(moduleSpecifier: string): Promise<{ dir: string; recordings: string }> {
  const dir = await Deno.makeTempDir({ prefix: "hf-workbook-user-" });
  const recordings = join(dir, "my-recordings");
  await Deno.mkdir(recordings);
  await Deno.copyFile(join(RECORDINGS, "summarization.json"), join(recordings, "summarization.json"));
  const script = [
    `import { summarization } from ${JSON.stringify(moduleSpecifier)};`,
    `const paragraph = ${JSON.stringify(ARTICLE_PARAGRAPH)};`,
    `const { summary_text } = await summarization(paragraph, { recordingsDir: "./my-recordings" });`,
    `console.log(summary_text);`,
    "",
  ].join("\n");
  await Deno.writeTextFile(join(dir, "main.ts"), script);
  return { dir, recordings };
}

/** Run the user's script with the permissions README's "Use it from another project" gives. */
async function runUserScript(
  dir: string,
  extra: string[],
): Promise<{ code: number; out: string; err: string }> {
  const env: Record<string, string> = { HF_WORKBOOK_NO_DOTENV: "1", NO_COLOR: "1" };
  // what reaching the npm registry needs where the cache is empty: a proxy, its certificates, a mirror
  const network = [
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "DENO_CERT",
    "DENO_TLS_CA_STORE",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
    "https_proxy",
    "http_proxy",
    "no_proxy",
    "NPM_CONFIG_REGISTRY",
  ];
  for (const name of ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME", ...network]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      "--no-lock",
      "--allow-env=HF_TOKEN,HF_MODE,HF_RECORDINGS_DIR,HF_WORKBOOK_NO_DOTENV",
      "--allow-read=./my-recordings",
      "--allow-net=router.huggingface.co,huggingface.co",
      ...extra,
      "main.ts",
    ],
    cwd: dir,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

const CONTENT_TYPES: Record<string, string> = {
  ".ts": "application/typescript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/** Serve the repository's files read-only on 127.0.0.1, as a static host (or a raw GitHub URL) would. */
function serveRepository(): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    const file = join(ROOT, path);
    if (relative(ROOT, file).startsWith("..")) return new Response("outside", { status: 403 });
    try {
      const body = await Deno.readFile(file);
      const type = CONTENT_TYPES[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return { url: `http://127.0.0.1:${server.addr.port}/`, close: () => server.shutdown() };
}

Deno.test("a script in another folder imports the library by file path and replays the article's summary from its own recordings folder", async () => {
  const { dir } = await userProject(pathToFileURL(join(ROOT, "lib", "mod.ts")).href);
  try {
    const { code, out, err } = await runUserScript(dir, []);
    assert.equal(code, 0, err);
    assert.equal(out.trim(), ARTICLE_SUMMARY);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a script in another folder imports the library by an http URL and replays the article's summary", async () => {
  const served = serveRepository();
  const { dir } = await userProject(new URL("lib/mod.ts", served.url).href);
  try {
    const host = new URL(served.url).host;
    const { code, out, err } = await runUserScript(dir, [`--allow-import=${host}`]);
    assert.equal(code, 0, err);
    assert.equal(out.trim(), ARTICLE_SUMMARY);
  } finally {
    await served.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lib/ imports npm packages by full npm: specifiers, at the versions deno.json pins", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))) as {
    imports: Record<string, string>;
  };
  const pinned = new Set(Object.values(config.imports));
  const bare: string[] = [];
  const unpinned: string[] = [];
  for await (const file of walkTs(join(ROOT, "lib"))) {
    const text = await Deno.readTextFile(file);
    // Only real import statements (at a line's start), not snippet strings or doc examples.
    for (
      const match of text.matchAll(
        /^(?:import|export)[^;]*?from\s+"([^"]+)"|^\s*(?:await\s+)?import\("([^"]+)"\)/gm,
      )
    ) {
      const specifier = match[1] ?? match[2] ?? "";
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      if (!specifier.startsWith("npm:")) bare.push(`${relative(ROOT, file)}: ${specifier}`);
      else if (![...pinned].some((p) => specifier === p || specifier.startsWith(p + "/"))) {
        unpinned.push(`${relative(ROOT, file)}: ${specifier}`);
      }
    }
  }
  assert.deepEqual(bare, [], "bare specifiers resolve only through this repository's import map");
  assert.deepEqual(
    unpinned,
    [],
    "an npm: specifier in lib/ must match a version pinned in deno.json imports",
  );
});

async function* walkTs(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walkTs(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}
