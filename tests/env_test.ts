/**
 * The token lookup (environment over .env, .env read into a value and never
 * into Deno.env, opt-out) and redaction. Every test that changes Deno.env puts
 * it back.
 */
import assert from "node:assert/strict";
import {
  findToken,
  readDotEnv,
  readEnv,
  readSetting,
  redact,
  rememberSecret,
  TOKEN_PATTERN,
} from "../lib/env.ts";
import { resolveMode } from "../lib/transport/mode.ts";
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

Deno.test(".env is read when HF_TOKEN is unset, into a value: the environment is left as it was", async () => {
  await using tmp = await tempDir();
  const path = await dotEnv(
    tmp.dir,
    '# a comment\nHF_TOKEN="from-file-token" # trailing comment\nWORKBOOK_ENV_TEST_OTHER=other\n',
  );
  await withEnv({ ...LOADER_ON, WORKBOOK_ENV_TEST_OTHER: undefined }, () => {
    assert.deepEqual(findToken({ path }), { token: "from-file-token", source: ".env" });
    assert.deepEqual(readDotEnv({ path }), { HF_TOKEN: "from-file-token", WORKBOOK_ENV_TEST_OTHER: "other" });
    assert.equal(Deno.env.get("HF_TOKEN"), undefined, "a .env token is never written into Deno.env");
    assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_OTHER"), undefined);
  });
});

Deno.test("a variable set in the environment wins over .env, setting by setting", async () => {
  await using tmp = await tempDir();
  const path = await dotEnv(tmp.dir, "WORKBOOK_ENV_TEST_SET=file\nWORKBOOK_ENV_TEST_NEW=file\n");
  await withEnv(
    { ...LOADER_ON, WORKBOOK_ENV_TEST_SET: "env", WORKBOOK_ENV_TEST_NEW: undefined },
    () => {
      const values = readDotEnv({ path });
      assert.equal(readSetting("WORKBOOK_ENV_TEST_SET", values), "env");
      assert.equal(readSetting("WORKBOOK_ENV_TEST_NEW", values), "file");
      assert.equal(Deno.env.get("WORKBOOK_ENV_TEST_NEW"), undefined);
    },
  );
});

Deno.test("resolveMode takes HF_TOKEN and HF_MODE from .env, and a later call sees a .env that is gone", async () => {
  await using tmp = await tempDir();
  await dotEnv(tmp.dir, `HF_TOKEN=from-file-token\nHF_MODE=cache\n`);
  await Deno.writeTextFile(`${tmp.dir}/deno.json`, "{}");
  const cwd = Deno.cwd();
  try {
    Deno.chdir(tmp.dir);
    await withEnv({ ...LOADER_ON, HF_MODE: undefined }, async () => {
      assert.deepEqual(resolveMode(), {
        mode: "cache",
        reason: "HF_MODE=cache in .env",
        token: "from-file-token",
        tokenSource: ".env",
      });
      assert.equal(Deno.env.get("HF_TOKEN"), undefined);
      assert.equal(Deno.env.get("HF_MODE"), undefined);
      await Deno.remove(`${tmp.dir}/.env`);
      // nothing of the first call stayed behind in the process
      assert.deepEqual(resolveMode(), { mode: "replay", reason: "no HF_TOKEN in the environment or .env" });
    });
  } finally {
    Deno.chdir(cwd);
  }
});

Deno.test("HF_WORKBOOK_NO_DOTENV=1 turns the .env loader off", async () => {
  await using tmp = await tempDir();
  const path = await dotEnv(tmp.dir, "HF_TOKEN=from-file-token\nWORKBOOK_ENV_TEST_OFF=1\n");
  await withEnv({ ...LOADER_ON, HF_WORKBOOK_NO_DOTENV: "1", WORKBOOK_ENV_TEST_OFF: undefined }, () => {
    assert.deepEqual(readDotEnv({ path }), {});
    assert.equal(findToken({ path }), undefined);
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
  await withEnv(LOADER_ON, () => {
    assert.deepEqual(readDotEnv({ from: `${tmp.dir}/project/sub/deeper` }), {
      WORKBOOK_ENV_TEST_FOUND: "yes",
    });
  });
  // a deno.json between the start and the .env ends the search: another project's .env is never read
  await Deno.writeTextFile(`${tmp.dir}/project/sub/deno.json`, "{}");
  await withEnv(LOADER_ON, () => {
    assert.deepEqual(readDotEnv({ from: `${tmp.dir}/project/sub/deeper` }), {});
    assert.deepEqual(readDotEnv({ path: `${tmp.dir}/missing/.env` }), {});
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
