/**
 * Notebooks survive a sanitising renderer.
 *
 * GitHub and nbviewer-like viewers strip `<svg>`, `<style>`, inline styles,
 * `<audio>` and `<video>` from a notebook's HTML outputs, so a chart drawn only as inline SVG
 * or a highlight drawn only with styled spans comes out blank there. This test
 * reads every committed notebook (no execution) and fails when:
 *
 * - a visual output (its HTML has `<svg`, `<img`, `<canvas`, a `<mark>` or an
 *   inline `background` style, or it offers `image/svg+xml`) has no
 *   `image/png` (or, for a photo shown as JPEG, `image/jpeg`);
 * - `jupyter nbconvert --to html --sanitize-html` of the notebook loses that
 *   image: the sanitised page must still hold each visual output's picture;
 * - an audio or video player has no plain-text line saying what the recording
 *   or clip is, or the sanitised page, which strips the player, loses that line.
 *
 * Needs Debian's `jupyter-nbconvert` (`apt-get install jupyter-nbconvert`);
 * without it the rendering test is ignored with a warning, or fails when `CI`
 * is set.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The notebooks to check: the committed ones, or another folder (`HF_NOTEBOOKS_DIR`) of re-executed copies. */
const NOTEBOOKS_DIR = Deno.env.get("HF_NOTEBOOKS_DIR") || join(ROOT, "notebooks");
const NBCONVERT = Deno.env.get("HF_NBCONVERT") || "/usr/bin/jupyter-nbconvert";

type OutputData = Record<string, string | string[] | undefined>;
interface Output {
  output_type: string;
  data?: OutputData;
}
interface Notebook {
  cells: { cell_type: string; outputs?: Output[] }[];
}

/** A visual output of a notebook, and where it is. */
interface Visual {
  where: string;
  data: OutputData;
}

function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

function listNotebooks(): string[] {
  return [...Deno.readDirSync(NOTEBOOKS_DIR)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
    .map((entry) => entry.name)
    .sort();
}

function readNotebook(name: string): Notebook {
  return JSON.parse(Deno.readTextFileSync(join(NOTEBOOKS_DIR, name))) as Notebook;
}

/** HTML that draws something: markup a sanitiser strips or must keep as an image. */
const VISUAL_HTML = /<svg\b|<img\b|<canvas\b|<mark\b|style="[^"]*background/i;

/** Whether an output draws something (and so needs an image every renderer shows). */
export function isVisual(data: OutputData): boolean {
  return VISUAL_HTML.test(text(data["text/html"])) || data["image/svg+xml"] !== undefined;
}

/** The image a visual output carries for renderers that strip HTML, if any. */
export function imageOf(data: OutputData): string | undefined {
  const image = text(data["image/png"]) || text(data["image/jpeg"]);
  return image === "" ? undefined : image.replace(/\s+/g, "");
}

function visualsOf(name: string): Visual[] {
  const visuals: Visual[] = [];
  readNotebook(name).cells.forEach((cell, c) => {
    (cell.outputs ?? []).forEach((output, o) => {
      if (output.data !== undefined && isVisual(output.data)) {
        visuals.push({ where: `${name} cell ${c} output ${o}`, data: output.data });
      }
    });
  });
  return visuals;
}

/** A player a sanitiser strips: `<audio>` or `<video>`. */
const PLAYER = /<(?:audio|video)\b/;

/** Audio and video players, with the description a sanitised page must still show once the player is stripped. */
function playersOf(name: string): { where: string; description: string }[] {
  return readNotebook(name).cells.flatMap((cell, c) =>
    (cell.outputs ?? []).filter((output) => PLAYER.test(text(output.data?.["text/html"]))).map(
      (output) => {
        const first = text(output.data?.["text/plain"]).split("\n")[0] ?? "";
        const description = first.includes(": ") ? first.slice(first.lastIndexOf(": ") + 2) : first;
        return { where: `${name} cell ${c}`, description };
      },
    )
  );
}

Deno.test("isVisual() and imageOf() tell a drawn output from text, and find its picture", () => {
  assert.equal(isVisual({ "text/html": '<figure><svg viewBox="0 0 1 1"></svg></figure>' }), true);
  assert.equal(isVisual({ "text/html": '<mark style="background:#fde">台灣</mark>' }), true);
  assert.equal(isVisual({ "image/svg+xml": "<svg/>", "text/plain": "chart" }), true);
  assert.equal(isVisual({ "text/html": "<table><tr><td>1</td></tr></table>" }), false);
  assert.equal(isVisual({ "text/plain": "[台灣](LOC 0.99)" }), false);
  assert.equal(imageOf({ "image/png": "iVBOR\nw0KGgo" }), "iVBORw0KGgo");
  assert.equal(imageOf({ "text/html": "<svg></svg>" }), undefined);
});

Deno.test("every visual output of every committed notebook carries an image/png", () => {
  const missing = listNotebooks().flatMap(visualsOf).filter((visual) => imageOf(visual.data) === undefined)
    .map((visual) => `${visual.where}: ${Object.keys(visual.data).join(", ")}`);
  assert.deepEqual(
    missing,
    [],
    "visual outputs with no image/png (re-execute the notebooks: deno task notebooks)",
  );
});

Deno.test("every audio or video player in a notebook has a plain-text line saying what it is", () => {
  const said = /(?:audio|video(?: \([^)]*\))?), (?:[\d.]+ s|[\d.]+ [kM]?B|\d+×\d+)/;
  const silent = listNotebooks().flatMap((name) =>
    readNotebook(name).cells.flatMap((cell, c) =>
      (cell.outputs ?? []).filter((output) => PLAYER.test(text(output.data?.["text/html"])))
        .filter((output) => !said.test(text(output.data?.["text/plain"])))
        .map(() => `${name} cell ${c}`)
    )
  );
  assert.deepEqual(silent, []);
});

function nbconvertProblem(): string | null {
  try {
    const probe = new Deno.Command(NBCONVERT, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync();
    return probe.success ? null : `${NBCONVERT} --version failed`;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return `${NBCONVERT} not found`;
    throw err;
  }
}

function isCI(): boolean {
  const ci = Deno.env.get("CI");
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

const problem = nbconvertProblem();
if (problem !== null && !isCI()) {
  console.warn(`sanitize_test: rendering skipped: ${problem} (apt-get install jupyter-nbconvert)`);
}

Deno.test({
  name: "nbconvert --sanitize-html keeps every visual output's image",
  ignore: problem !== null && !isCI(),
  async fn() {
    assert.equal(problem, null, problem ?? "");
    const outDir = await Deno.makeTempDir({ prefix: "hf-sanitize-" });
    try {
      const names = listNotebooks();
      const run = await new Deno.Command(NBCONVERT, {
        args: [
          "--to",
          "html",
          "--sanitize-html",
          "--output-dir",
          outDir,
          ...names.map((n) => join(NOTEBOOKS_DIR, n)),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(run.success, new TextDecoder().decode(run.stderr));
      const lost: string[] = [];
      for (const name of names) {
        const page = await Deno.readTextFile(join(outDir, name.replace(/\.ipynb$/, ".html")));
        const kept = new Set(
          [...page.matchAll(/<img\b[^>]*\bsrc="data:image\/(?:png|jpeg);base64,([^"]+)"/g)].map((m) =>
            m[1]!.replace(/\s+/g, "")
          ),
        );
        for (const visual of visualsOf(name)) {
          const image = imageOf(visual.data);
          if (image === undefined || !kept.has(image)) lost.push(visual.where);
        }
        for (const player of playersOf(name)) {
          if (!page.includes(player.description)) lost.push(`${player.where} (its description)`);
        }
      }
      assert.deepEqual(
        lost,
        [],
        "outputs whose picture (or a player's description) the sanitised page does not show",
      );
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});
