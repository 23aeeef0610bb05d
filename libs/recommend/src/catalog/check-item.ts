import type { CatalogItem } from '../data/catalog-item';

const isStringList = (x: unknown): x is readonly string[] => Array.isArray(x) && x.every((t) => typeof t === 'string');

/** Throws TypeError naming the field (`where.title`, …) when `item` is not a CatalogItem. */
export function checkCatalogItem(item: unknown, where = 'item'): asserts item is CatalogItem {
  if (typeof item !== 'object' || item === null) throw new TypeError(`${where} must be an object`);
  const i = item as Partial<Record<keyof CatalogItem, unknown>>;
  if (typeof i.id !== 'string' || i.id.trim() === '') throw new TypeError(`${where}.id must be a non-empty string`);
  if (typeof i.title !== 'string') throw new TypeError(`${where}.title must be a string`);
  if (typeof i.description !== 'string') throw new TypeError(`${where}.description must be a string`);
  if (!isStringList(i.tags)) throw new TypeError(`${where}.tags must be an array of strings`);
  if (!isStringList(i.genres)) throw new TypeError(`${where}.genres must be an array of strings`);
  if (i.createdAt !== undefined && !(typeof i.createdAt === 'number' && Number.isFinite(i.createdAt))) {
    throw new TypeError(`${where}.createdAt must be epoch milliseconds when present`);
  }
  if (`${i.title}${i.description}${i.genres.join('')}${i.tags.join('')}`.trim() === '') {
    throw new TypeError(`${where} has no text to embed (title, description, genres and tags are all empty)`);
  }
}
