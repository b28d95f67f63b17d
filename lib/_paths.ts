/**
 * The path of a `file:` URL, as `node:url`'s `fileURLToPath` gives it, for
 * the modules a replayed call loads: the first `node:` module a process
 * imports sets up Deno's Node layer, some 6 ms of start-up (measured in
 * `tests/bench/startup.ts`), and a plain call needs nothing else of it.
 *
 * @module
 */

/**
 * The local path `url` names: percent-decoded, with the platform's
 * separators; on Windows a drive path (`file:///C:/x` → `C:\x`) or a UNC path
 * (`file://server/share` → `\\server\share`).
 *
 * @throws {TypeError} When `url` is not a `file:` URL, names a host outside
 *   Windows, or holds an encoded separator (`%2F`, and `%5C` on Windows), as
 *   `fileURLToPath` does.
 *
 * @example The path of a file URL
 * ```ts
 * import assert from "node:assert/strict";
 * import { pathOfFileUrl } from "./_paths.ts";
 *
 * assert.equal(pathOfFileUrl(new URL("file:///tmp/a%20b/x.json"), false), "/tmp/a b/x.json");
 * assert.equal(pathOfFileUrl(new URL("file:///C:/a%20b/x.json"), true), "C:\\a b\\x.json");
 * ```
 */
export function pathOfFileUrl(url: URL | string, windows: boolean = Deno.build.os === "windows"): string {
  const u = typeof url === "string" ? new URL(url) : url;
  if (u.protocol !== "file:") throw new TypeError(`The URL must be of scheme file: ${u.href}`);
  const host = u.hostname === "localhost" ? "" : u.hostname;
  if (!windows) {
    if (host !== "") throw new TypeError(`File URL host must be "localhost" or empty: ${u.href}`);
    if (/%2f/i.test(u.pathname)) {
      throw new TypeError(`File URL path must not include encoded / characters: ${u.href}`);
    }
    return decodeURIComponent(u.pathname);
  }
  if (/%2f|%5c/i.test(u.pathname)) {
    throw new TypeError(`File URL path must not include encoded \\ or / characters: ${u.href}`);
  }
  const path = decodeURIComponent(u.pathname).replaceAll("/", "\\");
  if (host !== "") return `\\\\${host}${path}`;
  if (!/^\\[A-Za-z]:/.test(path)) throw new TypeError(`File URL path must be absolute: ${u.href}`);
  return path.slice(1);
}
