/**
 * The project-made sample under libs/recommend/samples, in the MovieLens layout: a 60-item
 * fictional catalog in six taste clusters (movies.csv with an extra description column,
 * tags.csv) and ratings.csv from the seeded generator in src/testing/synthetic-ratings.ts.
 */
import { join, resolve } from 'node:path';
import type { MovieLensFiles } from './data/movielens';

export const RECOMMEND_SAMPLES_DIR = resolve(__dirname, '..', 'samples');

export function sampleMovieLensFiles(root = RECOMMEND_SAMPLES_DIR): Required<Pick<MovieLensFiles, 'movies' | 'ratings' | 'tags'>> {
  return { movies: join(root, 'movies.csv'), ratings: join(root, 'ratings.csv'), tags: join(root, 'tags.csv') };
}
