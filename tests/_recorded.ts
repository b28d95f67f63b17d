/**
 * What tests that send a recorded request again need of a recording: the
 * committed file a binary request's digest names, a base64 body's bytes, and
 * the model a router URL names.
 *
 * @module
 */

import { sha256Hex } from "../lib/transport/recordings.ts";

/** The bytes of a committed file whose SHA-256 is `digest` (`sha256:<hex>`), among the notebooks' assets. */
export async function assetByDigest(digest: string): Promise<Uint8Array> {
  const root = new URL("../notebooks/assets/", import.meta.url);
  const queue = [root];
  while (queue.length > 0) {
    const dir = queue.pop()!;
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) queue.push(url);
      else if (`sha256:${await sha256Hex(await Deno.readFile(url))}` === digest) {
        return await Deno.readFile(url);
      }
    }
  }
  throw new Error(`no file in notebooks/assets/ has the digest ${digest}`);
}

/** The bytes of a base64 text, or of a `data:` URL's base64 payload. */
export function base64Bytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/^data:[^,]*,/, "")), (c) => c.charCodeAt(0));
}

/** The model a router or Hub URL names (`owner/name`), the older `/pipeline/<task>/<model>` routes included. */
export function modelOf(url: string): string | undefined {
  const path = url.replace(/\/pipeline\/[a-z-]+\//, "/models/");
  return /\/models\/([^/?]+\/[^/?]+|[^/?]+)(?:[/?]|$)/.exec(path)?.[1];
}
