/**
 * The notebooks' assets are what tests/assets.ts makes: the picture pixel for
 * pixel, the clips WAV files of the Ep.7 prompt (byte for byte where the same
 * espeak-ng makes them again).
 */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import {
  ASSETS_DIR,
  drawScene,
  SCENE_HEIGHT,
  SCENE_WIDTH,
  sceneBoxes,
  sceneMasks,
  SPOKEN,
} from "./assets.ts";

Deno.test("notebooks/assets/apple_on_window.png is the scene tests/assets.ts draws, pixel for pixel", async () => {
  const committed = decode(await Deno.readFile(new URL("apple_on_window.png", ASSETS_DIR)));
  const drawn = decode(drawScene());
  assert.deepEqual([committed.width, committed.height, committed.channels], [SCENE_WIDTH, SCENE_HEIGHT, 3]);
  assert.deepEqual(committed.data, drawn.data);
});

Deno.test("the scene's masks split it into five parts, and its boxes hold the apple and the plant", () => {
  const masks = sceneMasks();
  assert.equal(masks.length, 5);
  const covered = new Uint8Array(SCENE_WIDTH * SCENE_HEIGHT);
  for (const { mask } of masks) decode(mask).data.forEach((v, i) => (covered[i]! += v > 0 ? 1 : 0));
  assert.ok(covered.every((n) => n === 1), "every pixel in exactly one part");
  const { apple, "potted plant": plant, pot } = sceneBoxes();
  assert.ok(apple.xmax < plant.xmin, "the apple is left of the plant");
  assert.ok(pot.ymin > plant.ymin && pot.ymax === plant.ymax, "the pot is the plant's lower part");
});

async function espeakVersion(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("espeak-ng", { args: ["--version"], stdout: "piped" }).output();
    return /(\d+\.\d+)/.exec(new TextDecoder().decode(out.stdout))?.[1];
  } catch {
    return undefined;
  }
}
const ESPEAK = await espeakVersion();

Deno.test("the clips are mono 16-bit WAV files of about a second or more", async () => {
  for (const { file } of Object.values(SPOKEN)) {
    const bytes = await Deno.readFile(new URL(file, ASSETS_DIR));
    const view = new DataView(bytes.buffer);
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "RIFF", file);
    assert.equal(new TextDecoder().decode(bytes.subarray(8, 12)), "WAVE", file);
    assert.equal(view.getUint16(22, true), 1, "mono");
    assert.equal(view.getUint32(24, true), 22050, "espeak-ng's rate");
    assert.equal(view.getUint16(34, true), 16, "16-bit");
    const seconds = (bytes.length - 44) / (22050 * 2);
    assert.ok(seconds > 1 && seconds < 5, `${file}: ${seconds} s`);
  }
});

Deno.test({
  name: "espeak-ng 1.51 makes the same clips again, byte for byte",
  ignore: ESPEAK !== "1.51",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      for (const { voice, text, file } of Object.values(SPOKEN)) {
        const out = `${dir}/${file}`;
        const { success } = await new Deno.Command("espeak-ng", { args: ["-v", voice, "-w", out, text] })
          .output();
        assert.ok(success);
        assert.deepEqual(await Deno.readFile(out), await Deno.readFile(new URL(file, ASSETS_DIR)), file);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
