import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RecommendDataError } from './data-error';
import type { MovieLensFiles } from './movielens';

/**
 * The MovieLens-layout files of a data directory: movies.csv (required), ratings.csv and
 * tags.csv when present. Shared by the recommender's start-up and the trainer's `rank-head`
 * command so both read a directory the same way.
 */
export function movieLensFilesIn(dir: string): MovieLensFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RecommendDataError(dir, 0, 'not a directory (expected a MovieLens-layout directory with movies.csv, ratings.csv and tags.csv)');
  const movies = join(dir, 'movies.csv');
  if (!existsSync(movies)) throw new RecommendDataError(dir, 0, 'movies.csv not found (expected a MovieLens-layout directory)');
  const optional = (name: string) => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
  const ratings = optional('ratings.csv');
  const tags = optional('tags.csv');
  return { movies, ...(ratings ? { ratings } : {}), ...(tags ? { tags } : {}) };
}
