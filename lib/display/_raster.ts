/**
 * SVG to PNG, with resvg's WebAssembly build and a font shipped in an npm
 * package, so pictures look the same on every machine and need no network.
 *
 * This module is heavy (2.5 MB of WebAssembly, a 7 MB font) and is loaded
 * only by a dynamic `import()` when a display value is first rendered, so the
 * command line and plain `deno run` scripts never pay for it.
 *
 * resvg loads no system fonts here on purpose: every picture is drawn with
 * Noto Sans TC (Latin, digits and Traditional Chinese), whatever family the
 * SVG asks for, which keeps the PNG bytes the same from machine to machine.
 *
 * @module
 */

import { initWasm, Resvg } from "npm:@resvg/resvg-wasm@^2.6.2";

// The WebAssembly and the font are bytes imports (`--unstable-raw-imports`). Their specifiers are held in
// constants so that `deno publish` does not refuse the package for them (JSR takes no bytes imports yet,
// denoland/deno#29904): Deno resolves them when this module first loads, from the npm packages pinned here.
const WASM_SPECIFIER = "npm:@resvg/resvg-wasm@^2.6.2/index_bg.wasm";
const FONT_SPECIFIER = "npm:@expo-google-fonts/noto-sans-tc@0.4.3/400Regular/NotoSansTC_400Regular.ttf";
const [wasm, font] = await Promise.all([bytesOf(WASM_SPECIFIER), bytesOf(FONT_SPECIFIER)]);

async function bytesOf(specifier: string): Promise<Uint8Array> {
  return (await import(specifier, { with: { type: "bytes" } })).default as Uint8Array;
}

/** The font family every picture is drawn with. */
export const FONT_FAMILY = "Noto Sans TC";

/** The bytes of that font (a TrueType file). */
export const FONT_BYTES: Uint8Array = font;

await initWasm(wasm);

/** The pixels of a rasterised picture: RGBA, 8 bits a channel, on white. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/**
 * Rasterises a standalone SVG document at `scale` times its own size, on
 * white. The same SVG always gives the same pixels.
 */
export function svgToPixels(svg: string, scale = 1): Pixels {
  const resvg = new Resvg(svg, {
    font: {
      fontBuffers: [font],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
      cursiveFamily: FONT_FAMILY,
      fantasyFamily: FONT_FAMILY,
    },
    fitTo: scale === 1 ? { mode: "original" } : { mode: "zoom", value: scale },
    background: "#ffffff",
  });
  try {
    const rendered = resvg.render();
    try {
      return { width: rendered.width, height: rendered.height, rgba: rendered.pixels };
    } finally {
      rendered.free();
    }
  } finally {
    resvg.free();
  }
}
