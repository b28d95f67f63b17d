/**
 * The token lookup (environment over .env, never overriding, opt-out) and
 * redaction. Every test that changes Deno.env puts it back.
 */
import assert from "node:assert/strict";
import { findToken, loadDotEnv, readEnv, redact, rememberSecret, TOKEN_PATTERN } from "../lib/env.ts";
import { FAKE_TOKEN, tempDir, withEnv } from "./_helpers.ts";

/** Environment for a .env test: no token, the loader on. */
const LOADER_ON = { HF_TOKEN: undefined, HF_WORKBOOK_NO_DOTENV: undefined };

async function dotEnv(dir: string, text: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/.env`, text);
  return `${dir}/.env`;
}

Deno.test("HF_TOKEN from the environment wins over .env, and .env is then not read at all", async () => {
  await using tmp = await tempDir();
  const path = await dotEnv(tmp.dir, "HF_TOKEN=from-file-token\nWORKBOOK_ENV_TEST_UNREAD=1\n");
  await withEnv({ ...LOADER_ON, HF_TOKEN: "from-env-token", WORKBOOK_ENV_TEST_UNREAD: undefined }, () => {
    assert.deepEqual(findToken({ path }), { token: "from-env-token", source: "environment" });
    assert.equal(Deno.env.get("HF_TOKEN"), "from-env-token");
    assert.equal(
      Deno.env.get("WORKBOOK_ENV_TEST_UNREAD"),
      undefined,
      ".env must not be read when HF_TOKEN is set",
    );
  });
});

Deno.test(".env is read when HF_TOKEN is unset, and sets what it defines", async () => {
  await using tmp = await tempDir();
  const path = await dotEnv(
    tmp.dir,
    '# a comment\nHF_TOKEN="from-file-token" # trailing comment\nWORKBOOK_ENV_TEST_OTHER=other\n',
  );
  await withEnv({ ...LOADER_ON, WORKBOOK_ENV_TEST_OTHER: undefined }, () => {
    assert.deepEqual(findToken({ path }), { token: "from-file-token", source: ".env" });
    assert.equal(Deno.env.get("HF_TOKEN"), "from-file-token");
    assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_OTHER"), "other");
  });
  assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_OTHER"), undefined, "withEnv restores the environment");
});

Deno.test("the loader never overrides a variable that is already set", async () => {
  await using tmp = await tempDir();
  const path = await dotEnv(tmp.dir, "WORKBOOK_ENV_TEST_SET=file\nWORKBOOK_ENV_TEST_NEW=file\n");
  await withEnv(
    { ...LOADER_ON, WORKBOOK_ENV_TEST_SET: "env", WORKBOOK_ENV_TEST_NEW: undefined },
    () => {
      assert.deepEqual(loadDotEnv({ path }), ["WORKBOOK_ENV_TEST_NEW"]);
      assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_SET"), "env");
      assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_NEW"), "file");
      // a second load changes nothing
      assert.deepEqual(loadDotEnv({ path }), []);
    },
  );
});

Deno.test("HF_WORKBOOK_NO_DOTENV=1 turns the .env loader off", async () => {
  await using tmp = await tempDir();
  const path = await dotEnv(tmp.dir, "HF_TOKEN=from-file-token\nWORKBOOK_ENV_TEST_OFF=1\n");
  await withEnv({ ...LOADER_ON, HF_WORKBOOK_NO_DOTENV: "1", WORKBOOK_ENV_TEST_OFF: undefined }, () => {
    assert.deepEqual(loadDotEnv({ path }), []);
    assert.equal(findToken({ path }), undefined);
    assert.equal(Deno.env.get("HF_TOKEN"), undefined);
    assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_OFF"), undefined);
  });
});

Deno.test("an empty HF_TOKEN counts as unset", async () => {
  await using tmp = await tempDir();
  await withEnv({ HF_TOKEN: "", HF_WORKBOOK_NO_DOTENV: "1" }, () => {
    assert.equal(readEnv("HF_TOKEN"), undefined);
    assert.equal(findToken(), undefined);
  });
  const path = await dotEnv(tmp.dir, "HF_TOKEN=from-file-token\n");
  await withEnv({ HF_TOKEN: "", HF_WORKBOOK_NO_DOTENV: undefined }, () => {
    assert.deepEqual(findToken({ path }), { token: "from-file-token", source: ".env" });
  });
  await withEnv({ HF_TOKEN: undefined, HF_WORKBOOK_NO_DOTENV: undefined }, async () => {
    const empty = await dotEnv(tmp.dir, "HF_TOKEN=\n");
    assert.equal(findToken({ path: empty }), undefined);
  });
});

Deno.test(".env is searched from the current folder up to the project's deno.json, not beyond", async () => {
  await using tmp = await tempDir();
  await Deno.mkdir(`${tmp.dir}/project/sub/deeper`, { recursive: true });
  await dotEnv(`${tmp.dir}/project`, "WORKBOOK_ENV_TEST_FOUND=yes\n");
  await withEnv({ ...LOADER_ON, WORKBOOK_ENV_TEST_FOUND: undefined }, () => {
    assert.deepEqual(loadDotEnv({ from: `${tmp.dir}/project/sub/deeper` }), ["WORKBOOK_ENV_TEST_FOUND"]);
  });
  // a deno.json between the start and the .env ends the search: another project's .env is never read
  await Deno.writeTextFile(`${tmp.dir}/project/sub/deno.json`, "{}");
  await withEnv({ ...LOADER_ON, WORKBOOK_ENV_TEST_FOUND: undefined }, () => {
    assert.deepEqual(loadDotEnv({ from: `${tmp.dir}/project/sub/deeper` }), []);
    assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_FOUND"), undefined);
  });
  await withEnv(LOADER_ON, () => {
    assert.deepEqual(loadDotEnv({ path: `${tmp.dir}/missing/.env` }), []);
  });
});

Deno.test("redact hides token-shaped strings anywhere in a text", () => {
  const other = "hf_" + "Z9".repeat(20);
  assert.equal(redact(`Bearer ${FAKE_TOKEN}`), "Bearer hf_***");
  assert.equal(redact(`a=${FAKE_TOKEN}&b=${other}`), "a=hf_***&b=hf_***");
  assert.equal(redact(`{"token":"${FAKE_TOKEN}"}\n${FAKE_TOKEN}`), '{"token":"hf_***"}\nhf_***');
  assert.equal(redact("hf_short and hf_test stay"), "hf_short and hf_test stay");
  assert.equal(redact("no secrets here"), "no secrets here");
  assert.ok(TOKEN_PATTERN.test(FAKE_TOKEN));
  TOKEN_PATTERN.lastIndex = 0;
});

Deno.test("redact hides remembered secrets that do not look like tokens, and found tokens", async () => {
  const secret = `sk-${crypto.randomUUID()}`;
  assert.equal(redact(`key ${secret}`), `key ${secret}`);
  rememberSecret(secret);
  assert.equal(redact(`key ${secret} and ${secret}`), "key hf_*** and hf_***");
  rememberSecret("abc"); // too short to hide safely: ignored by redact
  assert.equal(redact("abcdef"), "abcdef");
  rememberSecret("   ");
  assert.equal(redact("   x   "), "   x   ");

  const fromEnv = `env-secret-${crypto.randomUUID()}`;
  await withEnv({ HF_TOKEN: fromEnv, HF_WORKBOOK_NO_DOTENV: "1" }, () => findToken());
  assert.equal(redact(`Bearer ${fromEnv}`), "Bearer hf_***");
});
