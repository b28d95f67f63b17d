import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { deflateSync } from "node:zlib";
import { decode } from "fast-png";
import { parseHTML } from "linkedom";
import {
  answerSpan,
  audio,
  barChart,
  boxesOverlay,
  DisplayValue,
  entities,
  errorBox,
  escapeHtml,
  heatTable,
  image,
  json,
  type MimeBundle,
  shown,
  sniffImageType,
  source,
  table,
  video,
} from "../lib/display/mod.ts";
import { displayWidth as displayWidthOf } from "../lib/display/_width.ts";
import { HfApiError } from "../lib/errors.ts";
import { withProvenance } from "../lib/provenance.ts";

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
const SCRIPT = "<script>alert(1)</script>";
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

/** The bundle the Deno kernel would render. */
async function rendered(value: DisplayValue): Promise<MimeBundle> {
  const display = (value as unknown as Record<symbol, () => Promise<MimeBundle>>)[JUPYTER_DISPLAY];
  assert.equal(typeof display, "function");
  return await display!.call(value);
}

/** The framed SVG a visual value is rasterised from. */
async function svgOf(value: DisplayValue): Promise<string> {
  const svg = await value.svg();
  assert.ok(svg !== undefined, "a visual value has a picture");
  return svg;
}

/** The texts of a highlight picture in order, consecutive pieces of one background joined. */
function highlighted(svg: string): { text: string; background?: string }[] {
  const runs: { text: string; background?: string }[] = [];
  const piece =
    /(?:<rect [^>]*height="([\d.]+)" fill="(#[0-9a-f]{6})"\/>)?(?:<rect [^>]*height="2" fill="#[0-9a-f]{6}"\/>)?(<text [^>]*>)([^<]*)<\/text>/g;
  let tag = false;
  for (const m of svg.matchAll(piece)) {
    const background = m[2];
    const text = m[4]!.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
    const last = runs.at(-1);
    const isTag = m[3]!.includes('font-weight="bold"');
    if (last && !isTag && !tag && last.background === background) last.text += text;
    else runs.push(background === undefined ? { text } : { text, background });
    tag = isTag;
  }
  return runs;
}

/** Width and height of a base64 PNG, from its IHDR chunk, after checking the signature. */
function pngSize(base64: string): { width: number; height: number } {
  const bytes = Buffer.from(base64, "base64");
  assert.deepEqual(
    [...bytes.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    "a PNG signature",
  );
  assert.equal(bytes.subarray(12, 16).toString("latin1"), "IHDR");
  assert.equal(bytes.subarray(bytes.length - 8, bytes.length - 4).toString("latin1"), "IEND", "a whole PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function mimeTypes(value: DisplayValue): Promise<string[]> {
  return Object.keys(await rendered(value)).sort();
}

async function assertEscaped(value: DisplayValue, ...types: (keyof MimeBundle)[]): Promise<void> {
  if (value.visual) {
    const svg = await svgOf(value);
    assert.ok(!svg.includes("<script>"), "the picture contains a raw <script>");
    assert.ok(svg.includes("&lt;script&gt;"), "the picture lacks the escaped text");
    return;
  }
  const bundle = await rendered(value);
  for (const type of types) {
    const text = String(bundle[type]);
    assert.ok(!text.includes("<script>"), `${type} contains a raw <script>`);
    assert.ok(text.includes(ESCAPED) || text.includes("&lt;script&gt;"), `${type} lacks the escaped text`);
  }
}

/** The subset of the DOM the tests query (Deno type-checks without the DOM library). */
interface QueryableDocument {
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }> & { length: number };
}

function parseMarkup(markup: string): QueryableDocument {
  const window = parseHTML(`<html><body>${markup}</body></html>`) as unknown as {
    document: QueryableDocument;
  };
  return window.document;
}

// ---- fixtures -------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A valid RGB PNG of the given size, filled with one colour. */
function makePng(
  width: number,
  height: number,
  colour: (x: number, y: number) => number[] = () => [0xff, 0x80, 0x00],
): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(colour(x, y), y * (1 + width * 3) + 1 + x * 3);
  }
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", new Uint8Array(deflateSync(raw))),
    pngChunk("IEND", new Uint8Array()),
  ];
  return new Uint8Array(Buffer.concat(parts));
}

/** The start of a baseline JPEG: SOI, an APP0 segment, then SOF0 with the size. */
function makeJpegHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([
    0xff,
    0xd8, // SOI
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0, // APP0 JFIF
    0xff,
    0xc0,
    0x00,
    0x11,
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    3, // SOF0
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);
}

function makeWav(seconds: number, sampleRate: number): Uint8Array {
  const samples = Math.round(seconds * sampleRate);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => bytes.set(new TextEncoder().encode(text), at);
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples * 2, true);
  return bytes;
}

// ---- DisplayValue ---------------------------------------------------------

Deno.test("DisplayValue renders its bundle in Jupyter and its text under console.log", async () => {
  const value = new DisplayValue({ "text/plain": "plain", "text/html": "<b>rich</b>" });
  assert.deepEqual(await rendered(value), { "text/plain": "plain", "text/html": "<b>rich</b>" });
  assert.equal(String(value), "plain");
  assert.equal(`${value}`, "plain");
  assert.equal(Deno.inspect(value), "plain");
  assert.equal(Deno.inspect([value]), "[ plain ]");
});

Deno.test("DisplayValue.bundle() returns a copy", () => {
  const value = new DisplayValue({ "text/plain": "plain" });
  const bundle = value.bundle();
  bundle["text/plain"] = "changed";
  assert.equal(value.bundle()["text/plain"], "plain");
});

Deno.test("escapeHtml() escapes markup and quotes", () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

// ---- json -----------------------------------------------------------------

Deno.test("json() shows the value as JSON.stringify(value, null, 2) with readable Chinese", async () => {
  const response = [{ label: "正面", score: 0.98, note: SCRIPT }];
  const shown = json(response);
  assert.deepEqual(await mimeTypes(shown), ["text/html", "text/plain"]);
  assert.equal(String(shown), JSON.stringify(response, null, 2));
  assert.ok(String(shown).includes('"正面"'));
  assert.ok(!String(shown).includes("\\u"));
  await assertEscaped(shown, "text/html");
  assert.deepEqual(await rendered(json(response)), await rendered(shown));
});

Deno.test("json() puts the title above the JSON", async () => {
  const shown = json({ ok: true }, { title: `fill-mask ${SCRIPT}` });
  assert.equal(String(shown), `fill-mask ${SCRIPT}\n{\n  "ok": true\n}`);
  await assertEscaped(shown, "text/html");
});

Deno.test("json() rejects undefined", () => {
  assert.throws(() => json(undefined), {
    name: "TypeError",
    message: /^Cannot show JSON: the value is undefined/,
  });
});

// ---- table ----------------------------------------------------------------

Deno.test("table() renders HTML, Markdown and plain text", async () => {
  const shown = table([{ label: "a", score: 1 }]);
  assert.deepEqual(await mimeTypes(shown), ["text/html", "text/markdown", "text/plain"]);
  assert.equal((await rendered(shown))["text/markdown"], "| label | score |\n| --- | ---: |\n| a | 1 |");
});

Deno.test("table() aligns CJK text by display width", () => {
  const shown = table([
    { word: "台灣", count: 3 },
    { word: "Taiwan", count: 12 },
    { word: "美麗的地區", count: 100 },
  ]);
  assert.equal(
    String(shown),
    [
      "word        count",
      "----------  -----",
      "台灣            3",
      "Taiwan         12",
      "美麗的地區    100",
    ].join("\n"),
  );
});

Deno.test("table() escapes user text in every format", async () => {
  const shown = table([{ [SCRIPT]: `${SCRIPT} | *x*` }], { caption: SCRIPT });
  await assertEscaped(shown, "text/html");
  const markdown = (await rendered(shown))["text/markdown"]!;
  assert.ok(markdown.includes("\\<script\\>alert(1)\\</script\\> \\| \\*x\\*"), markdown);
  assert.ok(
    !markdown.includes("&lt;"),
    "Markdown escapes with backslashes, not entities a renderer would show",
  );
  assert.ok(String(shown).includes(SCRIPT), "plain text stays as written");
});

Deno.test("table() writes an apostrophe as typed in Markdown, not as an entity a renderer would print", async () => {
  const markdown = (await rendered(table([{ review: "It's great & <fun>" }])))["text/markdown"]!;
  assert.ok(markdown.includes("It's great & \\<fun\\>"), markdown);
  assert.ok(!markdown.includes("&#39;") && !markdown.includes("&amp;"));
});

Deno.test("table() applies columns, format and highlight", async () => {
  const rows = [{ label: "cat", score: 0.98765, extra: 1 }, { label: "dog", score: 0.01235, extra: 2 }];
  const shown = table(rows, {
    columns: ["score", "label"],
    format: { score: (value) => `${(value * 100).toFixed(1)}%` },
    highlight: (row, column) => column === "label" && row.label === "cat",
  });
  assert.equal(String(shown), ["score  label", "-----  -----", "98.8%  *cat*", " 1.2%  dog"].join("\n"));
  const html = (await rendered(shown))["text/html"]!;
  assert.ok(html.startsWith('<table><thead><tr><th style="text-align:right">score</th><th>label</th></tr>'));
  assert.ok(html.includes("<td><strong>cat</strong></td>"), html);
  assert.ok(!html.includes("extra"));
});

Deno.test("table() shows nested values as JSON and missing ones as empty", () => {
  const shown = table([{ a: 1, b: [1, 2] }, { a: null }]);
  assert.equal(String(shown), ["a  b", "-  -----", "1  [1,2]", ""].join("\n"));
});

Deno.test("table() renders an empty table", () => {
  assert.equal(String(table([])), "(empty table)");
  assert.equal(String(table([], { columns: ["label"] })), "label\n-----");
});

Deno.test("table() renders identically twice", async () => {
  const rows = [{ label: "台灣", score: 0.5 }];
  assert.deepEqual(
    await rendered(table(rows, { caption: "x" })),
    await rendered(table(rows, { caption: "x" })),
  );
});

// ---- barChart -------------------------------------------------------------

const SCORES = [
  { label: "negative", value: 0.02 },
  { label: "positive", value: 0.9 },
  { label: "neutral", value: 0.08 },
];

Deno.test("barChart() renders a PNG and plain text only, so no renderer can prefer a form it strips", async () => {
  const chart = barChart(SCORES);
  assert.deepEqual(await mimeTypes(chart), ["image/png", "text/plain"]);
  const size = pngSize((await rendered(chart))["image/png"]!);
  assert.ok(size.width >= 640 && size.width <= 1600, `width ${size.width}`);
  assert.ok(size.height >= 60 && size.height <= 1200, `height ${size.height}`);
  assert.ok((await svgOf(chart)).startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
});

Deno.test("barChart() renders each label, sorted by value descending", async () => {
  const svg = await svgOf(barChart(SCORES));
  const document = parseMarkup(svg);
  const ticks = [...document.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) =>
    t.textContent
  );
  assert.deepEqual(ticks, ["positive", "neutral", "negative"]);
  assert.equal(document.querySelectorAll('g[aria-label="bar"] rect').length, 3);
  const values = [...document.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
  assert.deepEqual(values, ["0.900", "0.080", "0.020"]);
  assert.deepEqual(String(barChart(SCORES)).split("\n").map((line) => line.slice(0, 11).trim()), [
    "1. positive",
    "2. neutral",
    "3. negative",
  ]);
});

Deno.test("barChart() keeps the input order when sort is false", async () => {
  const svg = await svgOf(barChart(SCORES, { sort: false }));
  assert.ok(svg.indexOf(">negative<") < svg.indexOf(">positive<"));
  assert.ok(svg.indexOf(">positive<") < svg.indexOf(">neutral<"));
});

Deno.test("barChart() draws plain-text bars to scale with the title and format", () => {
  const chart = barChart([{ label: "a", value: 1 }, { label: "台灣", value: 0.5 }], {
    title: "Scores",
    format: (value) => `${value * 100}%`,
  });
  assert.equal(
    String(chart),
    ["Scores", "1. a     ████████████████████████ 100%", "2. 台灣  ████████████              50%"].join("\n"),
  );
});

Deno.test("barChart() escapes labels and title", async () => {
  const chart = barChart([{ label: SCRIPT, value: 1 }], { title: SCRIPT, xLabel: SCRIPT });
  assert.ok(!(await svgOf(chart)).includes("<script>"));
  assert.ok((await svgOf(chart)).includes(ESCAPED));
  const awkward = `a<b & "c"`;
  const svg = await svgOf(
    barChart([{ label: awkward, value: 1 }], { title: awkward, xLabel: awkward }),
  );
  assert.ok(svg.includes(">a&lt;b &amp; &quot;c&quot;</text>"), "the title is escaped");
  // Well-formed XML: no raw "<" or unescaped "&" anywhere outside markup.
  assert.ok(!/&(?!(?:amp|lt|gt|quot|#\d+);)/.test(svg), "every & starts an entity");
  for (const tag of svg.match(/<[^>]*>/g) ?? []) assert.ok(!tag.slice(1).includes("<"), `raw < in ${tag}`);
});

Deno.test("barChart() renders identically twice", async () => {
  const options = { title: "t", xLabel: "score", domain: [0, 1] as [number, number] };
  assert.deepEqual(await rendered(barChart(SCORES, options)), await rendered(barChart(SCORES, options)));
});

Deno.test("barChart() renders the same PNG bytes in another process", async () => {
  const code = `import { barChart } from ${
    JSON.stringify(new URL("../lib/display/mod.ts", import.meta.url).href)
  };
    const rows = ${JSON.stringify(SCORES)};
    console.log((await barChart(rows).render())["image/png"]);`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.equal(
    new TextDecoder().decode(output.stdout),
    `${(await rendered(barChart(SCORES)))["image/png"]}\n`,
  );
});

Deno.test("barChart() uses the domain and draws negative values", async () => {
  const svg = await svgOf(
    barChart([{ label: "up", value: 2 }, { label: "down", value: -1 }], { domain: [-5, 5] }),
  );
  assert.ok(svg.includes(">−4<") || svg.includes(">-4<"), "the domain sets the ticks");
  assert.ok(svg.includes('text-anchor="end" aria-label="text"'), "negative values are labelled on the left");
});

Deno.test("barChart() rejects empty rows, bad values and duplicate labels", () => {
  assert.throws(() => barChart([]), new TypeError('Cannot draw a bar chart: "rows" must not be empty'));
  assert.throws(() => barChart([{ label: "x", value: NaN }]), {
    name: "TypeError",
    message: 'Cannot draw a bar chart: "value" must be a finite number, got NaN for "x"',
  });
  assert.throws(() => barChart([{ label: "x", value: 1 }, { label: "x", value: 2 }]), {
    name: "TypeError",
    message: 'Cannot draw a bar chart: labels must be unique, got "x" twice',
  });
});

// ---- entities -------------------------------------------------------------

Deno.test("entities() highlights a location in CJK text, as a PNG with a plain-text fallback", async () => {
  const shown = entities("台灣是一個非常美麗的地區", [{ start: 0, end: 2, label: "LOC", score: 0.9876 }]);
  assert.deepEqual(await mimeTypes(shown), ["image/png", "text/plain"]);
  assert.equal(String(shown), "[台灣](LOC 0.99)是一個非常美麗的地區");
  const runs = highlighted(await svgOf(shown));
  assert.deepEqual(runs.map((run) => run.text), ["台灣", "LOC", "是一個非常美麗的地區"]);
  assert.match(runs[0]!.background ?? "", /^#[0-9a-f]{6}$/);
  assert.equal(runs[1]!.background, runs[0]!.background, "the tag sits inside the highlight");
  assert.equal(runs[2]!.background, undefined);
});

Deno.test("entities() counts offsets in code points after an astral-plane character", async () => {
  // "𠀋" (U+2000B) is one code point and two UTF-16 code units. The API (Python)
  // reports 台灣 at 1..3; in JavaScript string indices it is at 2..4.
  const text = "𠀋台灣是一個非常美麗的地區";
  assert.equal(text.indexOf("台灣"), 2);
  const shown = entities(text, [{ start: 1, end: 3, label: "LOC", score: 0.9 }]);
  assert.equal(String(shown), "𠀋[台灣](LOC 0.90)是一個非常美麗的地區");
  assert.equal(highlighted(await svgOf(shown))[1]?.text, "台灣");
  const emoji = entities("I ❤️ 😀 Paris", [{ start: 7, end: 12, label: "LOC" }]);
  assert.equal(String(emoji), "I ❤️ 😀 [Paris](LOC)");
});

Deno.test("entities() accepts code-unit offsets when asked", () => {
  const text = "😀 Paris";
  const shown = entities(text, [{ start: 3, end: 8, label: "LOC" }], { offsetUnit: "code-unit" });
  assert.equal(String(shown), "😀 [Paris](LOC)");
});

Deno.test("entities() handles unsorted and overlapping spans", async () => {
  const text = "台北市政府在台北";
  const shown = entities(text, [
    { start: 6, end: 8, label: "LOC", score: 0.8 },
    { start: 0, end: 5, label: "ORG", score: 0.95 },
    { start: 0, end: 3, label: "LOC", score: 0.7 },
  ], { title: "NER" });
  assert.equal(
    String(shown),
    ["NER", "[台北市政府](ORG 0.95)在[台北](LOC 0.80)", "  also [台北市](LOC 0.70) at 0..3"].join("\n"),
  );
  const svg = await svgOf(shown);
  const runs = highlighted(svg);
  assert.deepEqual(runs.map((run) => run.text), ["NER", "台北市", "LOC", "政府", "ORG", "在", "台北", "LOC"]);
  assert.equal(
    runs[1]!.background,
    runs[6]!.background,
    "the nested piece takes its innermost span's colour",
  );
  assert.notEqual(runs[3]!.background, runs[1]!.background);
  assert.equal(runs[5]!.background, undefined);
  assert.equal((svg.match(/height="2" fill=/g) ?? []).length, 3, "the nested piece is underlined");
});

Deno.test("entities() colours each entity type from a fixed palette", async () => {
  const runs = highlighted(
    await svgOf(
      entities("Ada in Paris", [{ start: 0, end: 3, label: "PER" }, { start: 7, end: 12, label: "LOC" }]),
    ),
  );
  assert.deepEqual(runs.map((run) => run.text), ["Ada", "PER", " in ", "Paris", "LOC"]);
  assert.notEqual(runs[0]!.background, runs[3]!.background);
  const again = highlighted(await svgOf(entities("Paris", [{ start: 0, end: 5, label: "B-LOC" }])));
  assert.equal(again[0]!.background, runs[3]!.background, "B-LOC shares LOC's colour");
});

Deno.test("entities() escapes text, labels and title", async () => {
  const shown = entities(`${SCRIPT} x`, [{ start: 0, end: 8, label: SCRIPT }], { title: SCRIPT });
  const svg = await svgOf(shown);
  assert.ok(!svg.includes("<script>"));
  assert.ok(svg.includes("&lt;script&gt;"));
});

Deno.test("entities() rejects offsets outside the text", () => {
  assert.throws(() => entities("台灣", [{ start: 0, end: 3, label: "LOC" }]), {
    name: "RangeError",
    message: `Cannot highlight entities: span 0 ("LOC") ends at 3, past the text's 2 characters`,
  });
  assert.throws(() => entities("台灣", [{ start: 2, end: 1, label: "LOC" }]), RangeError);
});

Deno.test("entities() renders identically twice", async () => {
  const spans = [{ start: 0, end: 2, label: "LOC", score: 0.5 }];
  assert.deepEqual(await rendered(entities("台灣", spans)), await rendered(entities("台灣", spans)));
});

// ---- answerSpan -----------------------------------------------------------

const CONTEXT = "The Eiffel Tower is in Paris, France. It was built in 1889.";

Deno.test("answerSpan() highlights the answer in place", async () => {
  const shown = answerSpan(CONTEXT, { answer: "Paris", start: 23, end: 28, score: 0.9 }, {
    question: "Where?",
  });
  assert.deepEqual(await mimeTypes(shown), ["image/png", "text/plain"]);
  const runs = highlighted(await svgOf(shown));
  assert.deepEqual(runs.slice(0, 4), [
    { text: "Question: Where?The Eiffel Tower is in " },
    { text: "Paris", background: "#ffc940" },
    { text: ", France. It was built in 1889.1. " },
    { text: "Paris", background: "#ffc940" },
  ]);
  assert.equal(
    String(shown),
    [
      "Question: Where?",
      "1. Paris (score 0.900)",
      `   The Eiffel Tower is in [Paris], France. It was built in 1889.`,
    ].join("\n"),
  );
});

Deno.test("answerSpan() ranks several answers with different shades", async () => {
  const shown = answerSpan(CONTEXT, [
    { answer: "1889", start: 54, end: 58, score: 0.01 },
    { answer: "Paris", start: 23, end: 28, score: 0.6 },
    { answer: "Paris, France", start: 23, end: 36, score: 0.3 },
  ]);
  const lines = String(shown).split("\n");
  assert.deepEqual(lines.filter((line) => /^\d\./.test(line)), [
    "1. Paris (score 0.600)",
    "2. Paris, France (score 0.300)",
    "3. 1889 (score 0.010)",
  ]);
  const runs = highlighted(await svgOf(shown));
  assert.deepEqual(runs.slice(1, 6).map((run) => run.text), [
    "Paris",
    "1",
    ", France",
    "2",
    ". It was built in ",
  ]);
  assert.equal(
    new Set(runs.filter((run) => /^\d{4}$|^Paris/.test(run.text)).map((r) => r.background)).size,
    3,
  );
});

Deno.test("answerSpan() shows a short excerpt around the answer", () => {
  const context = `${"a".repeat(100)} answer ${"b".repeat(100)}`;
  const shown = answerSpan(context, { answer: "answer", start: 101, end: 107, score: 1 });
  assert.equal(String(shown).split("\n")[1], `   …${"a".repeat(39)} [answer] ${"b".repeat(39)}…`);
});

Deno.test("answerSpan() counts offsets in code points", () => {
  const shown = answerSpan("😀 我住在台北。", { answer: "台北", start: 5, end: 7, score: 0.5 });
  assert.ok(String(shown).endsWith("😀 我住在[台北]。"));
});

Deno.test("answerSpan() escapes context, answer and question", async () => {
  const context = `${SCRIPT} is here`;
  const shown = answerSpan(context, { answer: SCRIPT, start: 0, end: SCRIPT.length, score: 1 }, {
    question: SCRIPT,
  });
  await assertEscaped(shown, "text/html");
});

Deno.test("answerSpan() rejects no answers and renders identically twice", async () => {
  assert.throws(
    () => answerSpan("x", []),
    new TypeError('Cannot highlight answers: "answers" must not be empty'),
  );
  const answer = { answer: "Paris", start: 23, end: 28, score: 0.9 };
  assert.deepEqual(await rendered(answerSpan(CONTEXT, answer)), await rendered(answerSpan(CONTEXT, answer)));
});

// ---- heatTable ------------------------------------------------------------

Deno.test("heatTable() shades cells by value", async () => {
  const shown = heatTable(["a", "b"], [[1, 0], [0.5, 1]]);
  assert.deepEqual(await mimeTypes(shown), ["image/png", "text/plain"]);
  const svg = await svgOf(shown);
  const backgrounds = [
    ...svg.matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})" stroke="#ffffff"\/><text [^>]*fill="(#[0-9a-f]{6})">/g),
  ];
  assert.deepEqual(backgrounds.map((m) => m[1]), ["#084594", "#f7fbff", "#80a0ca", "#084594"]);
  assert.equal(backgrounds[0]![2], "#ffffff", "dark cells get white text");
  assert.equal(String(shown), ["      a     b", "a  1.00  0.00", "b  0.50  1.00"].join("\n"));
});

Deno.test("heatTable() clamps to the domain", async () => {
  const svg = await svgOf(heatTable(["a"], [[0.2]], { domain: [0.5, 1] }));
  assert.ok(svg.includes('fill="#f7fbff"'));
});

Deno.test("heatTable() numbers long column labels in plain text", () => {
  const labels = ["The cat sits outside", "東京は日本の首都です"];
  const shown = heatTable(labels, [[1, 0.12], [0.12, 1]], { caption: "cosine" });
  assert.equal(
    String(shown),
    [
      "cosine",
      "                           1     2",
      "1 The cat sits outside  1.00  0.12",
      "2 東京は日本の首都です  0.12  1.00",
    ].join("\n"),
  );
});

Deno.test("heatTable() accepts separate column labels", () => {
  const shown = heatTable(["query"], [[0.3, 0.7]], { columnLabels: ["doc one", "doc two"] });
  assert.equal(String(shown), ["       doc one  doc two", "query     0.30     0.70"].join("\n"));
});

Deno.test("heatTable() escapes labels and rejects a ragged matrix", async () => {
  await assertEscaped(heatTable([SCRIPT], [[1]], { caption: SCRIPT }), "text/html");
  assert.throws(() => heatTable(["a", "b"], [[1, 0]]), {
    name: "TypeError",
    message: 'Cannot draw a heat table: "matrix" must have one row per label (2), got 1',
  });
  assert.throws(() => heatTable(["a", "b"], [[1, 0], [1]]), /row 1 must have 2 values, got 1/);
  assert.throws(() => heatTable(["a"], [[NaN]]), /row 0 must hold finite numbers, got NaN/);
});

Deno.test("heatTable() renders identically twice", async () => {
  assert.deepEqual(await rendered(heatTable(["a"], [[0.3]])), await rendered(heatTable(["a"], [[0.3]])));
});

// ---- image ----------------------------------------------------------------

Deno.test("image() reads the size of a PNG and bundles it as image/png", async () => {
  const png = makePng(3, 2);
  const shown = image(png, { alt: SCRIPT, width: 120 });
  assert.deepEqual(await mimeTypes(shown), ["image/png", "text/html", "text/plain"]);
  assert.equal(String(shown), `PNG image, 3×2, ${png.length} B`);
  const bundle = await rendered(shown);
  assert.deepEqual(new Uint8Array(Buffer.from(bundle["image/png"]!, "base64")), png);
  assert.equal(
    bundle["text/html"],
    `<img src="data:image/png;base64,${bundle["image/png"]}" alt="${escapeHtml(SCRIPT)}" width="120">`,
  );
  await assertEscaped(shown, "text/html");
});

Deno.test("image() describes sizes in kB", () => {
  const png = makePng(256, 256);
  assert.match(String(image(png)), /^PNG image, 256×256, \d+(\.\d)? kB$|^PNG image, 256×256, \d+ B$/);
  const big = new Uint8Array(3200);
  big.set(png.subarray(0, 33));
  assert.equal(String(image(big)), "PNG image, 256×256, 3.2 kB");
});

Deno.test("image() reads JPEG, GIF and WebP sizes", async () => {
  const jpeg = makeJpegHeader(640, 480);
  assert.deepEqual(await mimeTypes(image(jpeg)), ["image/jpeg", "text/plain"], "no second copy in HTML");
  assert.deepEqual(await mimeTypes(image(jpeg, { alt: "a cat" })), ["image/jpeg", "text/plain"]);
  assert.deepEqual(
    await mimeTypes(image(jpeg, { width: 64 })),
    ["image/jpeg", "text/plain"],
    "drawn, no HTML",
  );
  assert.equal(String(image(jpeg)), `JPEG image, 640×480, ${jpeg.length} B`);
  const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x10, 0x00, 0x20, 0x00, 0, 0, 0]);
  assert.equal(String(image(gif)), "GIF image, 16×32, 13 B");
  assert.deepEqual(await mimeTypes(image(gif)), ["text/html", "text/plain"]);
  const webp = new Uint8Array(30);
  webp.set(new TextEncoder().encode("RIFF\x16\x00\x00\x00WEBPVP8X"));
  webp.set([0x0a, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0x02, 0x00, 0xdf, 0x01, 0x00], 16); // 640×480
  assert.equal(String(image(webp)), "WebP image, 640×480, 30 B");
});

Deno.test("sniffImageType() recognises the four formats", () => {
  assert.equal(sniffImageType(makePng(1, 1)), "image/png");
  assert.equal(sniffImageType(makeJpegHeader(1, 1)), "image/jpeg");
  assert.equal(sniffImageType(new TextEncoder().encode("GIF89a")), "image/gif");
  assert.equal(sniffImageType(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ")), "image/webp");
});

Deno.test("sniffImageType() rejects a text file, naming the problem", () => {
  const body = new TextEncoder().encode('{"error":"Model is currently loading"}\n');
  assert.throws(() => sniffImageType(body), {
    name: "TypeError",
    message:
      'Cannot detect the image type: the bytes are not PNG, JPEG, GIF or WebP (they look like text: "{\\"error\\":\\"Model is currently loading\\"}"); check that the response is an image',
  });
  assert.throws(() => sniffImageType(new Uint8Array([0, 1, 2, 3, 4])), /they start with 00 01 02 03/);
  assert.throws(() => sniffImageType(new Uint8Array()), /the bytes are empty/);
  assert.throws(() => image(body), /^TypeError: Cannot display the image:.*pass mediaType/);
});

Deno.test("image() uses mediaType for formats it cannot sniff", async () => {
  const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
  const shown = image(svg, { mediaType: "image/svg+xml" });
  assert.deepEqual(await mimeTypes(shown), ["text/html", "text/plain"]);
  assert.ok((await rendered(shown))["text/html"]!.startsWith('<img src="data:image/svg+xml;base64,'));
  assert.equal(String(shown), `image/svg+xml image, ${svg.length} B`);
});

// ---- boxesOverlay ---------------------------------------------------------

const DETECTIONS = [
  { label: "cat", score: 0.998, box: { xmin: 1, ymin: 1, xmax: 20, ymax: 15 } },
  { label: SCRIPT, score: 0.5, box: { xmin: 5.25, ymin: 0, xmax: 30, ymax: 10 } },
];

Deno.test("boxesOverlay() draws labelled rectangles over the embedded image", async () => {
  const png = makePng(32, 16);
  const shown = boxesOverlay(png, DETECTIONS, { width: 320 });
  assert.deepEqual(await mimeTypes(shown), ["image/png", "text/plain"]);
  assert.deepEqual(
    pngSize((await rendered(shown))["image/png"]!),
    { width: 400, height: 200 },
    "1.25 pixels a CSS pixel",
  );
  const svg = await svgOf(shown);
  assert.ok(
    svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 16" width="320" height="160"'),
  );
  assert.ok(svg.includes(`<image href="data:image/png;base64,${Buffer.from(png).toString("base64")}"`));
  const document = parseMarkup(svg);
  assert.equal(document.querySelectorAll('rect[fill="none"]').length, 2);
  assert.deepEqual([...document.querySelectorAll("text")].map((t) => t.textContent), [
    "cat 1.00",
    `${SCRIPT} 0.50`,
  ]);
  await assertEscaped(shown, "image/svg+xml", "text/html");
  assert.equal(
    String(shown),
    [
      `PNG image, 32×16, ${png.length} B, 2 boxes`,
      "1. cat                        0.998  (1, 1)–(20, 15)",
      `2. ${SCRIPT}  0.500  (5.3, 0)–(30, 10)`,
    ].join("\n"),
  );
});

Deno.test("boxesOverlay() over a photo renders a JPEG at the photo's own size, a drawing a PNG", async () => {
  // A 64×32 PNG of noise: more than half a byte a pixel, as photos are.
  const noise = makePng(
    64,
    32,
    (x, y) => [(x * 97 + y * 31) % 256, (x * 13 + y * 211) % 256, (x * y * 7) % 256],
  );
  const bundle = await rendered(boxesOverlay(noise, DETECTIONS));
  assert.deepEqual(Object.keys(bundle).sort(), ["image/jpeg", "text/plain"]);
  const jpeg = Buffer.from(bundle["image/jpeg"]!, "base64");
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], "a JPEG");
  assert.equal(
    bundle["image/jpeg"],
    (await rendered(boxesOverlay(noise, DETECTIONS)))["image/jpeg"],
    "the same bytes",
  );
  assert.ok(Object.keys(await rendered(boxesOverlay(makePng(64, 32), DETECTIONS))).includes("image/png"));
});

Deno.test("boxesOverlay() renders identically twice and rejects bad boxes", async () => {
  const png = makePng(4, 4);
  assert.deepEqual(
    await rendered(boxesOverlay(png, DETECTIONS)),
    await rendered(boxesOverlay(png, DETECTIONS)),
  );
  assert.equal(String(boxesOverlay(png, [])), `PNG image, 4×4, ${png.length} B, 0 boxes`);
  const bad = [{ label: "x", score: 1, box: { xmin: 0, ymin: 0, xmax: NaN, ymax: 1 } }];
  assert.throws(() => boxesOverlay(png, bad), /Cannot draw boxes: box 0 \("x"\) must have finite/);
  assert.throws(() => boxesOverlay(new TextEncoder().encode("nope"), []), /^TypeError: Cannot draw boxes/);
});

// ---- audio ----------------------------------------------------------------

Deno.test("audio() describes a WAV file and embeds a player, with the description under it", async () => {
  const wav = makeWav(1.8, 16000);
  const shown = audio(wav);
  assert.deepEqual(await mimeTypes(shown), ["text/html", "text/plain"]);
  assert.equal(String(shown), "WAV audio, 1.8 s, 16000 Hz");
  assert.equal(
    (await rendered(shown))["text/html"],
    `<audio controls src="data:audio/wav;base64,${Buffer.from(wav).toString("base64")}"></audio>` +
      "<p>WAV audio, 1.8 s, 16000 Hz</p>",
  );
  assert.deepEqual(await rendered(audio(wav)), await rendered(shown));
});

Deno.test("audio() names and links its committed file, which a sanitiser keeps when it strips the player", async () => {
  const shown = audio(makeWav(1.8, 16000), { asset: "assets/my clip.wav" });
  assert.equal(String(shown), "assets/my clip.wav: WAV audio, 1.8 s, 16000 Hz");
  const bundle = await rendered(shown);
  assert.equal(bundle["text/markdown"], "[my clip.wav](assets/my%20clip.wav): WAV audio, 1.8 s, 16000 Hz");
  assert.match(
    bundle["text/html"]!,
    /<\/audio><p><a href="assets\/my clip.wav">my clip.wav<\/a>: WAV audio, 1\.8 s/,
  );
});

Deno.test("audio() reads FLAC stream info and names other formats", async () => {
  const flac = new Uint8Array(42);
  flac.set(new TextEncoder().encode("fLaC"));
  flac.set([0x80, 0, 0, 34], 4); // last metadata block, STREAMINFO, 34 bytes
  // 22050 Hz (0x05622), 2 channels, 16 bits, 44100 samples (0xAC44).
  flac.set([0x05, 0x62, 0x22, 0xf0, 0x00, 0x00, 0xac, 0x44], 18);
  assert.equal(String(audio(flac)), "FLAC audio, 2.0 s, 22050 Hz, 2 channels");
  const mp3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
  assert.equal(String(audio(mp3)), "MP3 audio, 10 B");
  assert.ok((await rendered(audio(mp3)))["text/html"]!.includes("data:audio/mpeg;base64,"));
  assert.equal(String(audio(new Uint8Array([1, 2]), { mediaType: "audio/x-raw" })), "audio/x-raw audio, 2 B");
});

Deno.test("audio() rejects bytes that are not audio", () => {
  assert.throws(() => audio(new TextEncoder().encode('{"error":"x"}')), {
    name: "TypeError",
    message: /^Cannot play audio: the bytes are not WAV.*they look like text/,
  });
  assert.throws(() => audio(new Uint8Array()), /the bytes are empty/);
});

// ---- provenance, errors, rendering ------------------------------------------

const PUBLISHED = { kind: "published", source: "the article (【Hugging Face】Ep.8)" } as const;
const PUBLISHED_LABEL = "replayed · published by the article (【Hugging Face】Ep.8)";

Deno.test("displays of a task helper's answer end with its provenance label in every text form", async () => {
  const answer = withProvenance([{ label: "正面", score: 0.98 }], PUBLISHED);
  for (const shown of [json(answer), table(answer)]) {
    const bundle = await rendered(shown);
    assert.equal(String(shown).split("\n").at(-1), PUBLISHED_LABEL);
    assert.ok(bundle["text/html"]!.endsWith(`<em>${PUBLISHED_LABEL}</em></p>`));
  }
  assert.ok((await rendered(table(answer)))["text/markdown"]!.endsWith(`\n\n*${PUBLISHED_LABEL}*`));
  assert.equal(String(json([{ label: "x" }])).includes("replayed"), false, "no label without provenance");
});

Deno.test("a visual display draws the provenance label under its picture, and says it in plain text", async () => {
  const answer = withProvenance([{ label: "正面", score: 0.98 }, { label: "負面", score: 0.02 }], PUBLISHED);
  const chart = barChart(answer, { title: "情緒" });
  assert.equal(String(chart).split("\n").at(-1), PUBLISHED_LABEL);
  const svg = await svgOf(chart);
  assert.ok(svg.includes(`>${PUBLISHED_LABEL}</text>`), "the caption is drawn");
  assert.ok(svg.indexOf(">情緒</text>") < svg.indexOf("<svg", 1), "the title is drawn above the chart");
  const plain = pngSize((await rendered(barChart(answer.map((row) => ({ ...row })))))["image/png"]!);
  const captioned = pngSize((await rendered(chart))["image/png"]!);
  assert.ok(captioned.height > plain.height, "the caption and title add height");
});

Deno.test("{ from } shows the provenance of the answer a value was derived from", () => {
  const answer = withProvenance({ labels: ["a", "b"], scores: [0.7, 0.3] }, {
    kind: "upstream",
    repository: "huggingface/huggingface.js",
    commit: "cd261f4c3f8d5a7a3c8d3e2f0b9f7d1e6a5b4c3d",
    date: "2023-03-14",
  });
  const rows = answer.labels.map((label, i) => ({ label, score: answer.scores[i]! }));
  const label = "replayed · recorded by huggingface/huggingface.js (2023-03-14, cd261f4)";
  assert.equal(String(barChart(rows, { from: answer })).split("\n").at(-1), label);
  assert.equal(String(table(rows, { from: answer })).split("\n").at(-1), label);
  assert.equal(
    String(entities("ab", [{ start: 0, end: 1, label: "X" }], { from: answer })).split("\n").at(-1),
    label,
  );
  assert.equal(String(source(answer)), label);
  assert.equal(String(barChart(rows)).includes("replayed"), false);
});

Deno.test("source() shows only the label, and says so when a value carries none", async () => {
  const shown = source(withProvenance([1], { kind: "authored", after: "API.md" }));
  const label = "replayed · authored example of the shape, not a model's answer: set HF_TOKEN for a real one";
  assert.equal(String(shown), label);
  assert.equal((await rendered(shown))["text/markdown"], `*${label.replace("_", "\\_")}*`);
  assert.equal(String(source("a string")), "source unknown: this value was not returned by a task helper");
});

Deno.test("errorBox() shows kind, status, message and hint of an API error, never its stack or a token", async () => {
  const token = "hf_" + "a".repeat(34);
  const error = new HfApiError("POST", "https://router.huggingface.co/hf-inference/models/x", {
    status: 503,
    message: `Model x is currently loading (${token})`,
    errorType: "overloaded",
    body: "{}",
  });
  const shown = errorBox(error);
  const bundle = await rendered(shown);
  for (const form of Object.values(bundle)) {
    assert.ok(!String(form).includes(token), "no token in any form");
    assert.ok(!/\bat .*\.ts:\d+/.test(String(form)), "no stack");
  }
  assert.match(String(shown), /^unavailable: Model x is currently loading \(hf_\*\*\*\)\nhint: \S/);
  assert.match(
    bundle["text/html"]!,
    /<td>unavailable<\/td><td style="text-align:right">503<\/td><td>overloaded<\/td>/,
  );
});

Deno.test("shown() gives the value of a call that succeeds and an errorBox of one that fails", async () => {
  assert.deepEqual(await shown(Promise.resolve([1, 2])), [1, 2]);
  const failed = await shown(() => Promise.reject(new RangeError('Cannot x: "k" must be at least 1, got 0')));
  assert.ok(failed instanceof DisplayValue);
  assert.equal(String(failed), 'RangeError: Cannot x: "k" must be at least 1, got 0');
  assert.equal(
    (await rendered(failed))["text/markdown"],
    '**RangeError**: Cannot x: "k" must be at least 1, got 0',
  );
  const thrown = await shown(() => {
    throw new TypeError("before any promise");
  });
  assert.equal(String(thrown), "TypeError: before any promise");
});

Deno.test("table() wraps a long cell in plain text so no line runs off the page", () => {
  const message =
    "https://api-inference.huggingface.co is no longer supported. Please use the router instead.";
  const lines = String(table([{ status: 410, message }])).split("\n");
  assert.ok(lines.every((line) => displayWidthOf(line) <= 60), lines.join("\n"));
  assert.equal(lines.slice(2).join(" ").replace(/\s+/g, " ").trim(), `410 ${message}`);
});

Deno.test("importing the display functions loads neither the rasteriser, Plot, nor a DOM", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "lib/display/mod.ts"],
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { specifier: string; code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...graph.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    const resolved = graph.redirects[specifier] ?? specifier;
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    for (const dep of bySpecifier.get(resolved)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code) stack.push(dep.code.specifier);
    }
  }
  const heavy = [...seen].filter((s) => /resvg|observablehq|linkedom|opentype|noto-sans/.test(s));
  assert.deepEqual(heavy, []);
  assert.ok(
    [...seen].some((s) => s.endsWith("/lib/display/bar_chart.ts")),
    "the walk followed static imports",
  );
});

/** A module's code without its comments: docs may tell a notebook to pass `Deno.jupyter.display`. */
function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

Deno.test("lib/ never calls Deno.jupyter: display values only implement the display symbol", () => {
  const offenders: string[] = [];
  const walk = (dir: URL) => {
    for (const entry of Deno.readDirSync(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) walk(url);
      else if (
        entry.name.endsWith(".ts") && /Deno\s*\.\s*jupyter/.test(codeOnly(Deno.readTextFileSync(url)))
      ) {
        offenders.push(url.pathname);
      }
    }
  };
  walk(new URL("../lib/", import.meta.url));
  assert.deepEqual(offenders, []);
});

Deno.test("highlights and heat tables render the same PNG bytes twice", async () => {
  const spans = [{ start: 0, end: 2, label: "LOC", score: 0.5 }];
  assert.equal(
    (await rendered(entities("台灣很美", spans)))["image/png"],
    (await rendered(entities("台灣很美", spans)))["image/png"],
  );
  const a = await rendered(heatTable(["貓", "dog"], [[1, 0.4], [0.4, 1]]));
  assert.equal(a["image/png"], (await rendered(heatTable(["貓", "dog"], [[1, 0.4], [0.4, 1]])))["image/png"]);
  const size = pngSize(a["image/png"]!);
  assert.ok(
    size.width > 100 && size.width < 1200 && size.height > 50 && size.height < 600,
    JSON.stringify(size),
  );
});

Deno.test("a drawing's PNG holds exactly the rasterised pixels (a palette when they have at most 256 colours)", async () => {
  const { svgToPixels } = await import("../lib/display/_raster.ts");
  const { PIXEL_RATIO } = await import("../lib/display/_picture.ts");
  const chart = barChart([{ label: "正面", score: 0.9 }, { label: "負面", score: 0.1 }], { title: "情緒" });
  const png = decode(Buffer.from((await rendered(chart))["image/png"]!, "base64"));
  const raster = svgToPixels(await svgOf(chart), PIXEL_RATIO);
  assert.equal(png.width, raster.width);
  assert.equal(png.height, raster.height);
  assert.ok(png.palette !== undefined, "few colours: an indexed PNG");
  const data = png.data as Uint8Array;
  let differing = 0;
  for (let p = 0; p < png.width * png.height; p++) {
    const colour = png.palette![data[p]!]!;
    for (let c = 0; c < 3; c++) if (colour[c] !== raster.rgba[p * 4 + c]) differing++;
  }
  assert.equal(differing, 0, "lossless");
});

/** The project's own 8-frame clip, the one the video recordings answer with. */
const CLIP = Deno.readFileSync(new URL("../recordings/text-to-video.a73240ff4d3d.mp4", import.meta.url));

Deno.test("video() reads the MP4 container (codec, size, length, frames) and puts that line under the player", async () => {
  const shown = await rendered(video(CLIP));
  assert.equal(shown["text/plain"], "MP4 video (H.264), 96×64, 1.0 s, 8 frames");
  const html = shown["text/html"] ?? "";
  assert.ok(
    html.startsWith('<video controls loop muted autoplay width="288" src="data:video/mp4;base64,'),
    html,
  );
  assert.ok(html.includes(`base64,${btoa(String.fromCharCode(...CLIP))}"`), "the clip's own bytes");
  assert.ok(html.endsWith("</video><p>MP4 video (H.264), 96×64, 1.0 s, 8 frames</p>"), html);
  assert.equal(shown["image/png"], undefined, "no still: the frames are not decoded");
});

Deno.test("video() of a task's answer shows where it came from; a committed copy is linked in every form", async () => {
  const answer = withProvenance({ bytes: CLIP, mediaType: "video/mp4" }, {
    kind: "authored",
    after: "a test",
  });
  const shown = await rendered(video(answer, { asset: "../recordings/my clip.mp4", width: 160 }));
  assert.equal(
    shown["text/plain"],
    "../recordings/my clip.mp4: MP4 video (H.264), 96×64, 1.0 s, 8 frames\n" +
      "replayed · authored example of the shape, not a model's answer: set HF_TOKEN for a real one",
  );
  assert.match(shown["text/html"] ?? "", /^<video [^>]*width="160"/);
  assert.match(
    shown["text/html"] ?? "",
    /<p><a href="\.\.\/recordings\/my clip\.mp4">my clip\.mp4<\/a>: MP4 video/,
  );
  assert.match(
    shown["text/markdown"] ?? "",
    /^\[my clip\.mp4\]\(\.\.\/recordings\/my%20clip\.mp4\): MP4 video/,
  );
});

Deno.test("video() names what it cannot read, and refuses a value with no bytes", () => {
  assert.equal(String(video(new Uint8Array([1, 2, 3]))), "unrecognised video, 3 B");
  assert.equal(String(video(new Uint8Array([1, 2]), { mediaType: "video/x-raw" })), "video/x-raw video, 2 B");
  const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0]);
  assert.equal(String(video(webm)), "WebM video, 6 B");
  assert.throws(() => video({} as never), TypeError);
});

Deno.test("image() of a JPEG answer at a display width is drawn at that width with its label under it, as image/jpeg alone", async () => {
  const photo = Deno.readFileSync(new URL("../recordings/text-to-image.dd5d30831be2.jpg", import.meta.url));
  const answer = withProvenance({ bytes: photo }, { kind: "authored", after: "a test" });
  const shown = await rendered(image(photo, { width: 256, alt: "an astronaut", from: answer }));
  assert.deepEqual(Object.keys(shown).sort(), ["image/jpeg", "text/plain"]);
  assert.match(shown["text/plain"], /^JPEG image, 512×512, [\d.]+ kB\nreplayed · authored example/);
  const drawn = Buffer.from(shown["image/jpeg"]!, "base64");
  assert.equal(sniffImageType(drawn), "image/jpeg");
  assert.notDeepEqual(drawn, Buffer.from(photo), "the picture with its label, not the answer's own bytes");
  const { width, height } = jpegSize(drawn);
  // the frame is as wide as the label needs (the picture, 256 wide, in it), and taller for the label under it
  assert.ok(width >= 256 && width < 512, `${width}: the picture is drawn at its display width`);
  assert.ok(height > 256 && height < 512, `${height}: the label is drawn under the picture`);
});

/** A JPEG's size, from its first start-of-frame marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  for (let i = 2; i + 9 < bytes.length;) {
    const marker = bytes[i + 1]!;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    i += 2 + length;
  }
  throw new Error("no start-of-frame marker");
}
