/**
 * Fixed colours per label, so the same entity type or object class gets the
 * same colour in every display and every run.
 *
 * @module
 */

/** Light backgrounds for text highlights, with a darker border colour each. */
const PALETTE: readonly { readonly background: string; readonly strong: string }[] = [
  { background: "#cfe3ff", strong: "#1f5fbf" }, // blue
  { background: "#ffe0b3", strong: "#c26a00" }, // orange
  { background: "#d2f2d0", strong: "#2e8b2e" }, // green
  { background: "#f8d0e0", strong: "#b8336a" }, // pink
  { background: "#e4d7f7", strong: "#6a3fb5" }, // purple
  { background: "#fff1a8", strong: "#9a7d00" }, // yellow
  { background: "#c9f0ef", strong: "#16817d" }, // teal
  { background: "#ead9cc", strong: "#8a5a35" }, // brown
];

const KNOWN: Readonly<Record<string, number>> = { PER: 0, LOC: 2, ORG: 1, MISC: 4 };

/** The palette entry of `label`; `B-`/`I-` style prefixes are ignored. */
export function colorOf(label: string): { background: string; strong: string } {
  const key = label.replace(/^[BIES]-/, "").toUpperCase();
  let index = KNOWN[key];
  if (index === undefined) {
    // FNV-1a over UTF-16 code units: stable across runs and platforms.
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      hash ^= key.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    index = hash % PALETTE.length;
  }
  return PALETTE[index]!;
}
