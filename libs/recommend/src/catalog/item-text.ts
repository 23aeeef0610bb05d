import type { CatalogItem } from '../data/catalog-item';

/** Tags past this many (most applied first) add little and only lengthen the encoder input. */
export const MAX_TEXT_TAGS = 12;

/**
 * The text an item is embedded from: "title. description. genres. tags", empty parts left
 * out, so a MovieLens movie (no description) reads "Toy Story (1995). Adventure, Animation.
 * pixar, fun". Any change to these fields changes the text, and so the embedding.
 */
export function itemText(item: CatalogItem): string {
  const parts = [item.title.trim(), item.description.trim(), item.genres.join(', '), item.tags.slice(0, MAX_TEXT_TAGS).join(', ')];
  return parts.filter((p) => p !== '').join('. ');
}
