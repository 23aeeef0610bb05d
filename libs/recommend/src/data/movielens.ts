import { readFileSync } from 'node:fs';
import type { CatalogItem, Interaction } from './catalog-item';
import { csvRecords } from './csv-records';
import { RecommendDataError } from './data-error';

/**
 * Loaders for the MovieLens CSV layout (movies.csv, ratings.csv, tags.csv; the "small"
 * dataset's headers). The project's sample catalog uses the same layout with an extra
 * `description` column in movies.csv, so one loader reads both.
 */

/** One row of tags.csv, as the `keepTag` filter sees it. */
export interface TagRow {
  readonly userId: string;
  readonly itemId: string;
  readonly tag: string;
  /** Epoch milliseconds. */
  readonly ts: number;
}

export interface MovieLensTagOptions {
  /**
   * Rows to use; all when absent. The quality bench drops tags a user applied to an item
   * they rate in the test split: the tag would tell a content model about a held-out interaction.
   */
  readonly keepTag?: (row: TagRow) => boolean;
}

export interface MovieLensFiles extends MovieLensTagOptions {
  readonly movies: string;
  readonly ratings?: string;
  readonly tags?: string;
}

export interface MovieLensData {
  readonly catalog: CatalogItem[];
  /** Ratings as `rate` interactions, in file order; [] without a ratings file. */
  readonly ratings: Interaction[];
}

const NO_GENRES = '(no genres listed)';
// "Toy Story (1995)", "Fawlty Towers (1975-1979)", "Babylon 5 (1993–1998) " → the first year.
const TITLE_YEAR = /\((\d{4})(?:[-–]\d{0,4})?\)\s*$/;

/** Epoch ms of 1 January of the year in a MovieLens title, or undefined when it has none. */
export function releaseDateOfTitle(title: string): number | undefined {
  const m = TITLE_YEAR.exec(title);
  return m ? Date.UTC(Number(m[1]), 0, 1) : undefined;
}

function requireId(value: string | undefined, field: string, source: string, line: number): string {
  const id = (value ?? '').trim();
  if (id === '') throw new RecommendDataError(source, line, `empty ${field}`);
  return id;
}

function seconds(value: string | undefined, source: string, line: number): number {
  const s = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(s) || s < 0) {
    throw new RecommendDataError(source, line, `timestamp must be seconds since the epoch, got ${JSON.stringify(value)}`);
  }
  return s * 1000;
}

/**
 * tags.csv → item id → its distinct tags (compared case-insensitively, spelled as first
 * seen), most applied first, ties in order of first appearance.
 */
export function parseMovieLensTags(text: string, options: MovieLensTagOptions = {}, source = 'tags.csv'): Map<string, string[]> {
  const counts = new Map<string, Map<string, { tag: string; n: number }>>();
  for (const { line, fields } of csvRecords(text, source, ['userId', 'movieId', 'tag', 'timestamp'])) {
    const row: TagRow = {
      userId: requireId(fields['userId'], 'userId', source, line),
      itemId: requireId(fields['movieId'], 'movieId', source, line),
      tag: (fields['tag'] ?? '').trim(),
      ts: seconds(fields['timestamp'], source, line),
    };
    if (row.tag === '' || (options.keepTag && !options.keepTag(row))) continue;
    let byKey = counts.get(row.itemId);
    if (!byKey) counts.set(row.itemId, (byKey = new Map()));
    const key = row.tag.toLowerCase();
    const seen = byKey.get(key);
    if (seen) seen.n++;
    else byKey.set(key, { tag: row.tag, n: 1 });
  }
  const out = new Map<string, string[]>();
  for (const [itemId, byKey] of counts) {
    // Array.prototype.sort is stable: equal counts keep first-appearance order.
    out.set(itemId, [...byKey.values()].sort((a, b) => b.n - a.n).map((t) => t.tag));
  }
  return out;
}

/** movies.csv (movieId,title,genres[,description]) → catalog items, with `tags` from parseMovieLensTags. */
export function parseMovieLensMovies(text: string, tags: ReadonlyMap<string, readonly string[]> = new Map(), source = 'movies.csv'): CatalogItem[] {
  const items: CatalogItem[] = [];
  const seen = new Set<string>();
  for (const { line, fields } of csvRecords(text, source, ['movieId', 'title', 'genres'])) {
    const id = requireId(fields['movieId'], 'movieId', source, line);
    if (seen.has(id)) throw new RecommendDataError(source, line, `duplicate movieId ${id}`);
    seen.add(id);
    const title = (fields['title'] ?? '').trim();
    if (title === '') throw new RecommendDataError(source, line, `empty title for movieId ${id}`);
    const genreText = (fields['genres'] ?? '').trim();
    const genres = genreText === '' || genreText === NO_GENRES ? [] : genreText.split('|').map((g) => g.trim()).filter((g) => g !== '');
    const createdAt = releaseDateOfTitle(title);
    items.push({
      id,
      title,
      description: (fields['description'] ?? '').trim(),
      tags: [...(tags.get(id) ?? [])],
      genres,
      ...(createdAt !== undefined ? { createdAt } : {}),
    });
  }
  return items;
}

/** ratings.csv (userId,movieId,rating,timestamp) → `rate` interactions in file order; ratings must lie in (0, 5]. */
export function parseMovieLensRatings(text: string, source = 'ratings.csv'): Interaction[] {
  const out: Interaction[] = [];
  for (const { line, fields } of csvRecords(text, source, ['userId', 'movieId', 'rating', 'timestamp'])) {
    const value = Number(fields['rating']);
    if (!(Number.isFinite(value) && value > 0 && value <= 5) || (fields['rating'] ?? '').trim() === '') {
      throw new RecommendDataError(source, line, `rating must be a number in (0, 5], got ${JSON.stringify(fields['rating'])}`);
    }
    out.push({
      userId: requireId(fields['userId'], 'userId', source, line),
      itemId: requireId(fields['movieId'], 'movieId', source, line),
      type: 'rate',
      value,
      ts: seconds(fields['timestamp'], source, line),
    });
  }
  return out;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new RecommendDataError(file, 0, `cannot read file: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads the MovieLens files (ratings and tags optional) into a catalog and `rate` interactions. */
export function loadMovieLens(files: MovieLensFiles): MovieLensData {
  if (typeof files?.movies !== 'string' || files.movies === '') throw new TypeError('files.movies must be a file path');
  const tags = files.tags ? parseMovieLensTags(readText(files.tags), { keepTag: files.keepTag }, files.tags) : new Map<string, string[]>();
  const catalog = parseMovieLensMovies(readText(files.movies), tags, files.movies);
  const ratings = files.ratings ? parseMovieLensRatings(readText(files.ratings), files.ratings) : [];
  return { catalog, ratings };
}
