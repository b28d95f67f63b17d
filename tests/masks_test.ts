/**
 * masksOverlay(): segmentation masks blended over their picture, with a
 * legend; deterministic, and strict about masks that are not whole PNGs or
 * not the picture's size.
 */
import assert from "node:assert/strict";
import { decode, encode } from "fast-png";
import { masksOverlay } from "../lib/display/masks.ts";
import { sceneMasks } from "./assets.ts";
import { base64, fromBase64, PICTURE } from "./_media_fixtures.ts";

const white = (width: number, height: number) =>
  encode({ width, height, data: new Uint8Array(width * height * 3).fill(255), channels: 3 });
const gray = (width: number, height: number, values: number[]) =>
  encode({ width, height, data: new Uint8Array(values), channels: 1 });

Deno.test("masksOverlay() blends each segment's colour into the pixels it covers, and only those", () => {
  const shown = masksOverlay(white(2, 1), [{ label: "apple", score: 0.99, mask: gray(2, 1, [255, 0]) }], {
    opacity: 0.5,
  });
  const png = decode(fromBase64(shown.bundle()["image/png"]!));
  // The first colour is Tableau blue (78, 121, 167): half of it over white.
  assert.deepEqual([...png.data], [167, 188, 211, 255, 255, 255]);
});

Deno.test("masksOverlay() gives a legend with label, score and share, in HTML and plain text", () => {
  const segments = sceneMasks().map(({ part, mask }, i) => ({
    label: part,
    score: 0.9 - i / 10,
    mask: base64(mask),
  }));
  const shown = masksOverlay(PICTURE, segments);
  const lines = String(shown).split("\n");
  assert.equal(lines[0], "PNG image, 384×288, 5.6 kB, 5 segments");
  assert.equal(lines[5], "5. apple              0.500    2.1%");
  const shares = lines.slice(1).map((l) => Number(/([\d.]+)%$/.exec(l)![1]));
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 0.3, "the masks cover the picture once");
  const html = shown.bundle()["text/html"]!;
  assert.match(html, /^<figure style="margin:0"><img src="data:image\/png;base64,/);
  assert.equal(html.match(/<li>/g)?.length, 5);
  assert.match(html, /background:#4e79a7;.*<b>wall-other-merged<\/b> 0\.900 · 58\.6%/);
});

Deno.test("masksOverlay() is deterministic: the same answer gives the same bundle", () => {
  const segments = sceneMasks().map(({ part, mask }) => ({ label: part, mask }));
  assert.deepEqual(masksOverlay(PICTURE, segments).bundle(), masksOverlay(PICTURE, segments).bundle());
});

Deno.test("masksOverlay() stacks a JPEG and a transparent colour layer in an SVG (no JPEG decoding)", () => {
  // The start of a 2×1 baseline JPEG: SOI, then a SOF0 marker with its size.
  const jpeg = new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xc0,
    0,
    17,
    8,
    0,
    1,
    0,
    2,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
    0xff,
    0xd9,
  ]);
  const shown = masksOverlay(jpeg, [{ label: "<b>", mask: gray(2, 1, [0, 255]) }]);
  const bundle = shown.bundle();
  assert.equal(bundle["image/png"], undefined);
  assert.match(
    bundle["text/html"]!,
    /<svg [^>]*viewBox="0 0 2 1".*data:image\/jpeg;base64,.*data:image\/png;base64,/,
  );
  assert.match(bundle["text/html"]!, /<b>&lt;b&gt;<\/b> — · 50\.0%/, "labels are escaped; no score shows —");
  const layer = decode(fromBase64(/data:image\/png;base64,([^"]+)"/.exec(bundle["text/html"]!)![1]!));
  assert.equal(layer.channels, 4);
  assert.deepEqual([...layer.data.slice(0, 4)], [0, 0, 0, 0], "uncovered pixels stay transparent");
  assert.equal(layer.data[7], Math.round(0.55 * 255));
});

Deno.test("masksOverlay() refuses a mask cut short, a mask of another size, and a bad opacity", () => {
  const mask = gray(2, 1, [255, 0]);
  assert.throws(
    () => masksOverlay(white(2, 1), [{ label: "cat", mask: base64(mask).slice(0, 40) }]),
    {
      name: "TypeError",
      message: /^Cannot draw masks: mask 0 \("cat"\) is not a whole PNG: it has no IEND chunk/,
    },
  );
  assert.throws(
    () => masksOverlay(white(3, 1), [{ label: "cat", mask }]),
    { name: "TypeError", message: 'Cannot draw masks: mask 0 ("cat") is 2×1, the picture 3×1' },
  );
  assert.throws(() => masksOverlay(white(2, 1), [{ label: "cat", mask: "aGVsbG8=" }]), /is not a PNG/);
  assert.throws(() => masksOverlay(white(2, 1), [], { opacity: 2 }), RangeError);
});

Deno.test("masksOverlay() reads 1-bit and 16-bit masks too", () => {
  const oneBit = encode({ width: 3, height: 1, data: new Uint8Array([0b10100000]), channels: 1, depth: 1 });
  const sixteen = encode({
    width: 3,
    height: 1,
    data: new Uint16Array([0, 65535, 0]),
    channels: 1,
    depth: 16,
  });
  const shown = masksOverlay(white(3, 1), [{ label: "a", mask: oneBit }, { label: "b", mask: sixteen }]);
  assert.deepEqual(String(shown).split("\n").slice(1), ["1. a  —   66.7%", "2. b  —   33.3%"]);
});
