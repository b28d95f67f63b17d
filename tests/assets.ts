/**
 * The pictures and sounds the image and audio notebooks use, made by the
 * project: nothing is downloaded. Run it to remake them:
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run=espeak-ng tests/assets.ts
 * ```
 *
 * - `notebooks/assets/apple_on_window.png`: Ep.7's subject, an apple on a
 *   windowsill beside a potted plant, drawn by {@linkcode drawScene}.
 * - `notebooks/assets/apple_zh.wav`, `apple_en.wav`: Debian's espeak-ng saying
 *   the Ep.7 prompt in Mandarin and in English (`espeak-ng -v cmn` / `-v en`).
 *
 * It also draws what the recordings need: the authored text-to-image answers
 * ({@linkcode drawPlaceholder}, honest placeholders that say so in the
 * picture), and the authored segmentation masks and detection boxes of the
 * scene ({@linkcode sceneMasks}, {@linkcode sceneBoxes}), computed from the
 * same shapes the picture is drawn with. `tests/assets_test.ts` checks that
 * the committed files are what this script makes.
 *
 * @module
 */

import { encode } from "fast-png";

/** An RGB colour. */
type Rgb = readonly [number, number, number];

/** The parts of the scene, as a segmentation model would name them (COCO panoptic names). */
export type ScenePart = "wall-other-merged" | "window-other" | "sky-other-merged" | "apple" | "potted plant";

/** Every part, from back to front. */
export const SCENE_PARTS: readonly ScenePart[] = [
  "wall-other-merged",
  "window-other",
  "sky-other-merged",
  "potted plant",
  "apple",
];

/** The scene's own size, in pixels. */
export const SCENE_WIDTH = 384;
/** The scene's own size, in pixels. */
export const SCENE_HEIGHT = 288;

interface Shape {
  part: ScenePart;
  /** Whether scene point (x, y) is inside. */
  inside: (x: number, y: number) => boolean;
  /** The colour at scene point (x, y). */
  color: (x: number, y: number) => Rgb;
}

const flat = (rgb: Rgb) => () => rgb;
const rect = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number) =>
  x >= x0 && x < x1 && y >= y0 && y < y1;
const circle = (cx: number, cy: number, r: number) => (x: number, y: number) =>
  (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse = (cx: number, cy: number, rx: number, ry: number, degrees = 0) => {
  const a = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  return (x: number, y: number) => {
    const u = (x - cx) * cos + (y - cy) * sin;
    const v = -(x - cx) * sin + (y - cy) * cos;
    return (u / rx) ** 2 + (v / ry) ** 2 <= 1;
  };
};
const any = (...tests: ((x: number, y: number) => boolean)[]) => (x: number, y: number) =>
  tests.some((test) => test(x, y));
const trapezoid =
  (top: number, bottom: number, topX: [number, number], bottomX: [number, number]) =>
  (x: number, y: number) => {
    if (y < top || y >= bottom) return false;
    const t = (y - top) / (bottom - top);
    return x >= topX[0] + (bottomX[0] - topX[0]) * t && x < topX[1] + (bottomX[1] - topX[1]) * t;
  };

/** The scene, back to front: a later shape covers an earlier one. */
const SHAPES: readonly Shape[] = [
  { part: "wall-other-merged", inside: () => true, color: flat([239, 230, 216]) },
  // The window: a white frame, four panes of sky, a brown sill.
  { part: "window-other", inside: rect(72, 28, 312, 204), color: flat([250, 250, 247]) },
  {
    part: "sky-other-merged",
    inside: (x, y) =>
      rect(84, 40, 300, 196)(x, y) && !rect(187, 40, 197, 196)(x, y) && !rect(84, 112, 300, 120)(x, y),
    color: (_x, y) => [Math.round(112 + (y - 40) * 0.45), Math.round(182 + (y - 40) * 0.25), 240],
  },
  {
    part: "sky-other-merged",
    inside: any(circle(118, 74, 13), circle(136, 66, 17), circle(156, 74, 13), rect(118, 74, 156, 87)),
    color: flat([255, 255, 255]),
  },
  { part: "window-other", inside: rect(56, 196, 328, 210), color: flat([176, 122, 74]) },
  { part: "window-other", inside: rect(56, 210, 328, 216), color: flat([140, 90, 51]) },
  // The potted plant: leaves over a terracotta pot.
  {
    part: "potted plant",
    inside: any(ellipse(247, 138, 8, 20, -28), ellipse(260, 128, 8, 24), ellipse(273, 138, 8, 20, 28)),
    color: flat([47, 143, 58]),
  },
  { part: "potted plant", inside: trapezoid(164, 196, [236, 284], [242, 278]), color: flat([200, 100, 60]) },
  { part: "potted plant", inside: rect(232, 157, 288, 166), color: flat([176, 83, 47]) },
  // The apple, sitting on the sill, with a stem and a leaf.
  { part: "apple", inside: rect(148.5, 136, 152.5, 148), color: flat([91, 58, 30]) },
  { part: "apple", inside: ellipse(161, 139, 9, 4, -20), color: flat([60, 154, 60]) },
  { part: "apple", inside: circle(150, 170, 26), color: flat([214, 40, 40]) },
  { part: "apple", inside: ellipse(140, 160, 6, 4, -30), color: flat([240, 106, 90]) },
];

/** The topmost shape at scene point (x, y). */
function shapeAt(x: number, y: number): Shape {
  for (let i = SHAPES.length - 1; i >= 0; i--) {
    if (SHAPES[i]!.inside(x, y)) return SHAPES[i]!;
  }
  return SHAPES[0]!;
}

/** RGB pixels of a `width`×`height` picture, 3 bytes a pixel, each the mean of `samples`² points. */
function paint(
  width: number,
  height: number,
  colorAt: (x: number, y: number) => Rgb,
  samples = 3,
): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let [r, g, b] = [0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb] = colorAt(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          r += cr;
          g += cg;
          b += cb;
        }
      }
      const n = samples * samples;
      data.set([Math.round(r / n), Math.round(g / n), Math.round(b / n)], (py * width + px) * 3);
    }
  }
  return data;
}

function png(width: number, height: number, data: Uint8Array, channels: 1 | 3): Uint8Array {
  return encode({ width, height, data, channels, depth: 8 });
}

/** The scene's colour at scene point (x, y). */
function sceneColor(x: number, y: number): Rgb {
  return shapeAt(x, y).color(x, y);
}

/**
 * The scene as a PNG: an apple on a windowsill beside a potted plant, sky and
 * a cloud behind the window, 384×288 pixels.
 */
export function drawScene(): Uint8Array {
  return png(SCENE_WIDTH, SCENE_HEIGHT, paint(SCENE_WIDTH, SCENE_HEIGHT, sceneColor), 3);
}

/** The part of the scene at each pixel (sampled at the pixel's centre), row by row. */
function partMap(): ScenePart[] {
  const parts: ScenePart[] = [];
  for (let y = 0; y < SCENE_HEIGHT; y++) {
    for (let x = 0; x < SCENE_WIDTH; x++) parts.push(shapeAt(x + 0.5, y + 0.5).part);
  }
  return parts;
}

/** One mask per part: a black-and-white PNG of the scene's size, white where the part is. */
export function sceneMasks(): { part: ScenePart; mask: Uint8Array }[] {
  const parts = partMap();
  return SCENE_PARTS.map((part) => {
    const data = new Uint8Array(parts.length);
    parts.forEach((p, i) => (data[i] = p === part ? 255 : 0));
    return { part, mask: png(SCENE_WIDTH, SCENE_HEIGHT, data, 1) };
  });
}

/** The bounding box of each object in the scene, in pixels, as object detection reports it. */
export function sceneBoxes(): Record<"apple" | "potted plant" | "pot", {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}> {
  const box = (test: (x: number, y: number) => boolean) => {
    let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let y = 0; y < SCENE_HEIGHT; y++) {
      for (let x = 0; x < SCENE_WIDTH; x++) {
        if (!test(x + 0.5, y + 0.5)) continue;
        [xmin, ymin, xmax, ymax] = [
          Math.min(xmin, x),
          Math.min(ymin, y),
          Math.max(xmax, x),
          Math.max(ymax, y),
        ];
      }
    }
    return { xmin, ymin, xmax, ymax };
  };
  const isPot = any(trapezoid(164, 196, [236, 284], [242, 278]), rect(232, 157, 288, 166));
  return {
    apple: box((x, y) => shapeAt(x, y).part === "apple"),
    "potted plant": box((x, y) => shapeAt(x, y).part === "potted plant"),
    pot: box((x, y) => shapeAt(x, y).part === "potted plant" && isPot(x, y)),
  };
}

// A 5×7 bitmap font, only the letters the placeholder banner needs.
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  A: [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
  C: [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
  D: ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
  E: ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
  H: ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
  L: ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
  O: [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
  P: ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
  R: ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
  T: ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
  U: ["#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
  " ": [".....", ".....", ".....", ".....", ".....", ".....", "....."],
};

const BANNER = "AUTHORED PLACEHOLDER";

/** Whether pixel (x, y) of a `width`×`height` picture is lit in the bottom banner's text. */
function bannerText(width: number, height: number, x: number, y: number): "text" | "banner" | undefined {
  const scale = width >= 300 ? 2 : 2;
  const charWidth = 6 * scale;
  const textWidth = BANNER.length * charWidth - scale;
  const bannerHeight = 7 * scale + 8;
  if (y < height - bannerHeight) return undefined;
  const left = Math.floor((width - textWidth) / 2);
  const top = height - bannerHeight + 4;
  const gx = Math.floor((x - left) / scale);
  const gy = Math.floor((y - top) / scale);
  if (x < left || gy < 0 || gy >= 7) return "banner";
  const char = BANNER[Math.floor(gx / 6)];
  const column = gx % 6;
  if (char === undefined || column === 5) return "banner";
  return GLYPHS[char]?.[gy]?.[column] === "#" ? "text" : "banner";
}

/** A tiny deterministic random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An authored stand-in for a text-to-image answer, as a PNG with a banner
 * that reads AUTHORED PLACEHOLDER:
 * - `"scene"`: the apple on the window, fitted into `width`×`height`;
 * - `"jumble"`: overlapping coloured blocks, standing for the nonsensical
 *   picture the series got from the untranslated Chinese prompt.
 */
export function drawPlaceholder(kind: "scene" | "jumble", width: number, height: number): Uint8Array {
  let colorAt: (x: number, y: number) => Rgb;
  if (kind === "scene") {
    const scale = Math.min(width / SCENE_WIDTH, height / SCENE_HEIGHT);
    const [dx, dy] = [(width - SCENE_WIDTH * scale) / 2, (height - SCENE_HEIGHT * scale) / 2];
    colorAt = (x, y) => sceneColor((x - dx) / scale, (y - dy) / scale);
  } else {
    const next = random(7);
    const blocks = Array.from({ length: 40 }, () => {
      const [x, y] = [next() * width, next() * height];
      const [w, h] = [8 + next() * width * 0.4, 8 + next() * height * 0.4];
      const rgb: Rgb = [Math.floor(next() * 256), Math.floor(next() * 256), Math.floor(next() * 256)];
      return { inside: rect(x - w / 2, y - h / 2, x + w / 2, y + h / 2), rgb };
    });
    colorAt = (x, y) => {
      for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i]!.inside(x, y)) return blocks[i]!.rgb;
      return [128, 128, 128];
    };
  }
  const picture = paint(width, height, colorAt, 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const lit = bannerText(width, height, x, y);
      if (lit !== undefined) {
        picture.set(lit === "text" ? [255, 255, 255] : [40, 40, 40], (y * width + x) * 3);
      }
    }
  }
  return png(width, height, picture, 3);
}

/** The sentences the audio clips say: the Ep.7 prompt, in Mandarin and in English. */
export const SPOKEN = {
  zh: { voice: "cmn", text: "一個在窗戶上的蘋果", file: "apple_zh.wav" },
  en: { voice: "en", text: "An apple on a window.", file: "apple_en.wav" },
} as const;

/** The notebooks' assets folder. */
export const ASSETS_DIR: URL = new URL("../notebooks/assets/", import.meta.url);

if (import.meta.main) {
  await Deno.mkdir(ASSETS_DIR, { recursive: true });
  const picture = new URL("apple_on_window.png", ASSETS_DIR);
  await Deno.writeFile(picture, drawScene());
  console.log(`wrote ${picture.pathname}`);
  for (const { voice, text, file } of Object.values(SPOKEN)) {
    const out = new URL(file, ASSETS_DIR).pathname;
    const { success, stderr } = await new Deno.Command("espeak-ng", { args: ["-v", voice, "-w", out, text] })
      .output();
    if (!success) throw new Error(`espeak-ng failed: ${new TextDecoder().decode(stderr)}`);
    console.log(`wrote ${out}`);
  }
}
