/**
 * lib/tasks/_media.ts: reading pictures and recordings the way users have
 * them, the checks before any upload, and the formats told by magic bytes.
 */
import assert from "node:assert/strict";
import { MAX_UPLOAD_BYTES, readMedia, sniffMedia } from "../lib/tasks/_media.ts";
import { EN_WAV, PICTURE, PICTURE_PATH } from "./_media_fixtures.ts";

const VERB = "classify image";
const bytesOf = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v]));

Deno.test("readMedia() reads a path, a file: URL, a Uint8Array, an ArrayBuffer and a Blob alike", async () => {
  const inputs: unknown[] = [
    PICTURE_PATH,
    new URL(`file://${PICTURE_PATH}`),
    PICTURE,
    PICTURE.slice().buffer,
    new Blob([PICTURE as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
  ];
  for (const input of inputs) {
    const media = await readMedia(input, VERB, { kind: "image" });
    assert.equal(media.mediaType, "image/png", "the type comes from the bytes, not from the Blob's type");
    assert.deepEqual(media.bytes, PICTURE);
  }
  assert.equal((await readMedia(EN_WAV, "transcribe audio", { kind: "audio" })).mediaType, "audio/wav");
});

Deno.test("sniffMedia() tells image and audio formats by their magic bytes", () => {
  const cases: [Uint8Array, string | undefined][] = [
    [bytesOf(0x89, "PNG\r\n", 0x1a, "\n"), "image/png"],
    [bytesOf(0xff, 0xd8, 0xff, 0xe0), "image/jpeg"],
    [bytesOf("GIF89a"), "image/gif"],
    [bytesOf("RIFF", 0, 0, 0, 0, "WEBPVP8 "), "image/webp"],
    [bytesOf("II*", 0), "image/tiff"],
    [bytesOf("RIFF", 0, 0, 0, 0, "WAVEfmt "), "audio/wav"],
    [bytesOf("fLaC"), "audio/flac"],
    [bytesOf("OggS"), "audio/ogg"],
    [bytesOf(0x1a, 0x45, 0xdf, 0xa3), "audio/webm"],
    [bytesOf("ID3", 4), "audio/mpeg"],
    [bytesOf(0xff, 0xfb, 0x90), "audio/mpeg"],
    [bytesOf(0xff, 0xf1, 0x50), "audio/aac"],
    [bytesOf(0, 0, 0, 0x20, "ftypM4A "), "audio/mp4"],
    [bytesOf('{"error":"x"}'), undefined],
  ];
  for (const [bytes, type] of cases) assert.equal(sniffMedia(bytes)?.mediaType, type, String(bytes));
});

Deno.test("readMedia() refuses, before any upload, what the service would refuse", async () => {
  await assert.rejects(readMedia(undefined, VERB, { kind: "image" }), {
    name: "TypeError",
    message:
      'Cannot classify image: "inputs" must be a picture: a file path, a Uint8Array, an ArrayBuffer or a Blob, got undefined',
  });
  await assert.rejects(readMedia(new Uint8Array(), VERB, { kind: "image" }), {
    name: "TypeError",
    message: 'Cannot classify image: "inputs" must be a picture, got 0 bytes',
  });
  await assert.rejects(readMedia(bytesOf(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), VERB, { kind: "image" }), {
    name: "TypeError",
    message:
      'Cannot classify image: "inputs" must be an image in PNG, JPEG, GIF, WebP, BMP or TIFF format, got bytes 00 01 02 03 04 05 06 07',
  });
  await assert.rejects(readMedia("http://example.com/a.png", VERB, { kind: "image" }), /got a http URL/);
  await assert.rejects(readMedia("notebooks/assets", VERB, { kind: "image" }), /which is not a file/);
});

Deno.test("readMedia() refuses a body over the limit with a RangeError, counting base64 when JSON is sent", async () => {
  const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
  big.set(PICTURE.subarray(0, 16));
  await assert.rejects(readMedia(big, VERB, { kind: "image" }), {
    name: "RangeError",
    message:
      'Cannot classify image: "inputs" must be at most 10 MB as sent, got 10,000,001 bytes; resize or compress it (the router refuses large bodies with 413)',
  });
  const fits = big.subarray(0, 7_000_000);
  assert.equal((await readMedia(fits, VERB, { kind: "image" })).bytes.length, 7_000_000);
  assert.equal(
    (await readMedia(fits, VERB, { kind: "image", base64: true })).bytes.length,
    7_000_000,
    "9.3 MB as base64",
  );
  await assert.rejects(readMedia(big.subarray(0, 7_600_000), VERB, { kind: "image", base64: true }), {
    name: "RangeError",
    message: /got 7\.6 MB \(10\.1 MB as base64, which parameters need\)/,
  });
  await assert.rejects(
    readMedia(PICTURE, VERB, { kind: "image", maxBytes: 1000 }),
    /must be at most 1 kB as sent, got 5\.6 kB/,
  );
});
