import { DisplayValue, escapeHtml, escapeMarkdown } from "./_bundle.ts";

/**
 * A media player (`<audio>`, `<video>`) with what it plays said under it, in
 * a line a sanitising renderer keeps when it strips the player; with `asset`
 * (the same file, committed), that line links to it in every form.
 */
export function playerValue(
  player: string,
  described: string,
  asset: string | undefined,
  caption: string | undefined,
): DisplayValue {
  const name = asset?.split("/").at(-1);
  return new DisplayValue({
    "text/plain": asset === undefined ? described : `${asset}: ${described}`,
    "text/html": player +
      (asset === undefined
        ? `<p>${escapeHtml(described)}</p>`
        : `<p><a href="${escapeHtml(asset)}">${escapeHtml(name!)}</a>: ${escapeHtml(described)}</p>`),
    ...(asset === undefined ? {} : {
      "text/markdown": `[${escapeMarkdown(name!)}](${encodeURI(asset)}): ${escapeMarkdown(described)}`,
    }),
  }, { caption });
}
