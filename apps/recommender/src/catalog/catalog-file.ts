/**
 * Reads a catalog file into catalog.items values: JSONL (one catalog.items value per line;
 * bad lines reported by number, the rest kept) or a MovieLens movies.csv (with an optional
 * description column and tags.csv; any error stops the load, as libs/recommend's loader does).
 */
import { readFileSync } from 'node:fs';
import { TOPICS, type CatalogItemValue } from '@tuneline/events';
import { parseMovieLensMovies, parseMovieLensTags, type CatalogItem } from '@tuneline/recommend';

export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

export interface CatalogFile {
  readonly items: CatalogItemValue[];
  readonly bad: BadLine[];
}

/** libs/recommend's CatalogItem as a catalog.items value (empty fields left out, epoch ms as ISO-8601). */
export function catalogValueOf(item: CatalogItem): CatalogItemValue {
  return {
    id: item.id,
    title: item.title,
    ...(item.description ? { description: item.description } : {}),
    ...(item.tags.length ? { tags: [...item.tags] } : {}),
    ...(item.genres.length ? { genres: [...item.genres] } : {}),
    ...(item.createdAt !== undefined ? { createdAt: new Date(item.createdAt).toISOString() } : {}),
  };
}

/** A catalog.items value as libs/recommend's CatalogItem. */
export function catalogItemOf(value: CatalogItemValue): CatalogItem {
  return {
    id: value.id,
    title: value.title,
    description: value.description ?? '',
    tags: value.tags ?? [],
    genres: value.genres ?? [],
    ...(value.createdAt !== undefined ? { createdAt: Date.parse(value.createdAt) } : {}),
  };
}

export function parseCatalogJsonl(text: string): CatalogFile {
  const items: CatalogItemValue[] = [];
  const bad: BadLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      bad.push({ line: i + 1, reason: 'not valid JSON' });
      return;
    }
    const parsed = TOPICS.catalogItems.schema.safeParse(json);
    if (parsed.success) items.push(parsed.data);
    else bad.push({ line: i + 1, reason: parsed.error.issues.map((x) => `${x.path.join('.') || 'value'}: ${x.message}`).join('; ') });
  });
  return { items, bad };
}

/** MovieLens movies.csv (+ tags.csv): every movie, checked against the catalog.items schema (a movie it refuses is a bad line). */
export function parseCatalogCsv(moviesText: string, tagsText?: string, source = 'movies.csv'): CatalogFile {
  const tags = tagsText === undefined ? new Map<string, string[]>() : parseMovieLensTags(tagsText);
  const items: CatalogItemValue[] = [];
  const bad: BadLine[] = [];
  parseMovieLensMovies(moviesText, tags, source).forEach((movie, i) => {
    const parsed = TOPICS.catalogItems.schema.safeParse(catalogValueOf(movie));
    if (parsed.success) items.push(parsed.data);
    // Data line i is file line i + 2 (after the header) for files without quoted line breaks.
    else bad.push({ line: i + 2, reason: `movie ${movie.id}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}` });
  });
  return { items, bad };
}

/** By extension: .jsonl/.json lines, else MovieLens CSV. */
export function readCatalogFile(file: string, tagsFile?: string): CatalogFile {
  const text = readFileSync(file, 'utf8');
  if (/\.jsonl?$/i.test(file)) return parseCatalogJsonl(text);
  return parseCatalogCsv(text, tagsFile ? readFileSync(tagsFile, 'utf8') : undefined, file);
}
