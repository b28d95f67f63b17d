/**
 * Which recordings folder a call uses when the caller names none.
 *
 * 1. `HF_RECORDINGS_DIR`, when set (a path, relative to the working folder).
 * 2. This repository's `recordings/`, when the library runs from a `file:`
 *    checkout of the repository (the notebooks, the command line, the tests)
 *    and reading that folder is already permitted: it exists there, and only
 *    there (the published package ships no recordings).
 * 3. Otherwise `recordings` in the working folder: the library imported by a
 *    URL, from the package registry, or from a checkout the script may not
 *    read keeps its recordings in the user's own project.
 *
 * The permission is queried, never requested: choosing the folder never
 * makes Deno prompt.
 *
 * @module
 */

import { pathOfFileUrl } from "../_paths.ts";
import { readEnv } from "../env.ts";

/** The repository's recordings folder, next to `lib/` (when the library runs from a checkout). */
const CHECKOUT_RECORDINGS = new URL("../../recordings/", import.meta.url);

/** The folder used outside a checkout of the repository: `recordings` in the working folder. */
export const PROJECT_RECORDINGS = "recordings";

let checkout: string | null | undefined; // decided once per process: null when not a readable checkout

/**
 * The recordings folder of a call that names none (see the module doc).
 *
 * @example Outside a checkout, or with HF_RECORDINGS_DIR set, the user's folder
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultRecordingsDir } from "./_recordings_dir.ts";
 *
 * Deno.env.set("HF_RECORDINGS_DIR", "my-recordings");
 * assert.equal(defaultRecordingsDir(), "my-recordings");
 * Deno.env.delete("HF_RECORDINGS_DIR");
 * ```
 */
export function defaultRecordingsDir(): string {
  return readEnv("HF_RECORDINGS_DIR") ?? checkoutRecordings() ?? PROJECT_RECORDINGS;
}

/** This repository's recordings folder, when the library runs from a checkout that may read it. */
function checkoutRecordings(): string | undefined {
  if (checkout === undefined) checkout = findCheckout();
  return checkout ?? undefined;
}

function findCheckout(): string | null {
  if (CHECKOUT_RECORDINGS.protocol !== "file:") return null;
  const path = pathOfFileUrl(CHECKOUT_RECORDINGS);
  try {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return null;
    return Deno.statSync(path).isDirectory ? path.replace(/[\\/]$/, "") : null;
  } catch {
    return null;
  }
}
