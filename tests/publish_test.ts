/**
 * The package as `deno publish` sees it: the dry run passes (licence, slow
 * types, every entry of deno.json's exports), and ships what a user needs
 * and nothing else.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ROOT } from "./_helpers.ts";

Deno.test("deno publish --dry-run passes, with every subpath entry, and ships lib/ without tests, notebooks or recordings", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, out);
  assert.doesNotMatch(out, /^error/m);
  const shipped = [...out.matchAll(/^\s+file:\/\/(\S+)/gm)].map((m) => decodeURIComponent(m[1] ?? ""));
  assert.ok(shipped.length > 0, out);
  for (
    const entry of [
      "lib/mod.ts",
      "lib/display/mod.ts",
      "lib/batch/mod.ts",
      "lib/transport/mod.ts",
      "lib/cli/main.ts",
      "LICENSE",
    ]
  ) {
    assert.ok(shipped.some((path) => path.endsWith(`/${entry}`)), `${entry} is not shipped:\n${out}`);
  }
  const root = ROOT.replace(/\\/g, "/").replace(/\/$/, "");
  const outside = shipped.filter((path) =>
    !/^(lib\/|LICENSE|README\.md|CHANGELOG\.md|deno\.json)/.test(path.slice(root.length + 1))
  );
  assert.deepEqual(outside, [], "only lib/, the licence, README, CHANGELOG and deno.json are shipped");
});
