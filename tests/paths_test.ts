import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { pathOfFileUrl } from "../lib/_paths.ts";

// On this platform's side, the answer is node:url's own, URL by URL (Deno's node:url ignores `{ windows }`).
const POSIX_URLS = [
  "file:///tmp/recordings",
  "file:///tmp/recordings/",
  "file:///tmp/a%20b/%E4%B8%AD%E6%96%87.json",
  "file:///tmp/100%25/x",
  "file://localhost/tmp/x",
  "file:///tmp/a#b?c",
];

Deno.test("pathOfFileUrl gives what node:url's fileURLToPath gives on POSIX", () => {
  for (const url of POSIX_URLS) assert.equal(pathOfFileUrl(new URL(url), false), fileURLToPath(url), url);
  assert.equal(pathOfFileUrl("file:///tmp/x", false), "/tmp/x");
});

Deno.test("pathOfFileUrl refuses what node:url refuses on POSIX", () => {
  for (const url of ["file://server/share/x", "file:///tmp/a%2Fb", "https://huggingface.co/x"]) {
    assert.throws(() => fileURLToPath(url), TypeError, url);
    assert.throws(() => pathOfFileUrl(new URL(url), false), TypeError, url);
  }
});

Deno.test("pathOfFileUrl gives Windows drive and UNC paths as Node documents them", () => {
  assert.equal(pathOfFileUrl("file:///C:/path/", true), "C:\\path\\");
  assert.equal(pathOfFileUrl("file:///c:/a%20b/%E4%B8%AD.json", true), "c:\\a b\\中.json");
  assert.equal(pathOfFileUrl("file://nas/foo.txt", true), "\\\\nas\\foo.txt");
  assert.equal(pathOfFileUrl("file://localhost/C:/x", true), "C:\\x");
  for (const url of ["file:///C:/a%5Cb", "file:///C:/a%2Fb", "file:///no-drive"]) {
    assert.throws(() => pathOfFileUrl(url, true), TypeError, url);
  }
});
