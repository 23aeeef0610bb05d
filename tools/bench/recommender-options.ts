import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DEFAULT_EASE_LAMBDAS, DEFAULT_KNN_NEIGHBOURS, type EaseSolver } from '@tuneline/recommend';
import { DEFAULT_TRAIN_MIN_RATING } from './recommender-protocol';
import { intFlag, listFlag, parseFlags, UsageError, type CliDef, type Help } from './bench-cli';

/** Flags of tools/bench/recommender-quality.ts, parsed without side effects (recommender-quality.spec.ts checks them). */

export const MOVIELENS_DIR = '../shared/datasets/movielens_small';

/** The flat keys of docs/benchmarks/recommender.json (besides command/date/machine), exactly as the issue lists them. */
export const RECOMMENDER_QUALITY_KEYS = [
  'tunelineNdcg10', 'easeNdcg10', 'itemknnNdcg10', 'popularityNdcg10', 'tunelineHr10', 'easeHr10', 'tunelineRecall20', 'easeRecall20',
  'tunelineColdNdcg10', 'easeColdNdcg10',
] as const;
export const RECOMMENDER_SPEED_KEYS = ['rankRequestsPerSec', 'rankP50Ms', 'rankP99Ms', 'recommendRequestsPerSec', 'recommendP99Ms'] as const;
export const RECOMMENDER_FLAT_KEYS: readonly string[] = [...RECOMMENDER_QUALITY_KEYS, ...RECOMMENDER_SPEED_KEYS];

export const RECOMMENDER_QUALITY_CLI: CliDef = {
  script: 'tools/bench/recommender-quality.ts',
  summary: 'Recommender quality: per user, the last 20% of --ratings by timestamp is the test split (with --test: trains on all of --ratings and '
    + 'scores the given file); full ranking over every catalog item the user has not rated in training; relevant = rating >= 3.5; HR@10, '
    + 'NDCG@10, Recall@20 and NDCG@10 on cold items (< 5 training ratings) for popularity, ItemKNN (cosine) and EASE (λ tuned on a validation '
    + 'split carved the same way from the training ratings). Merges its keys into --out.',
  flags: [
    { name: 'ratings', default: `${MOVIELENS_DIR}/ratings.csv`, help: 'MovieLens ratings.csv (userId,movieId,rating,timestamp)' },
    { name: 'movies', default: `${MOVIELENS_DIR}/movies.csv`, help: 'MovieLens movies.csv (movieId,title,genres[,description]): the catalog ranked' },
    { name: 'tags', default: `${MOVIELENS_DIR}/tags.csv`, help: 'MovieLens tags.csv; "none" for no tags' },
    { name: 'test', default: '', help: 'ratings file to score on; when absent, the per-user temporal split of --ratings' },
    { name: 'out', default: 'docs/benchmarks/recommender.json', help: 'JSON the quality keys are merged into (other keys kept)' },
    { name: 'lambdas', default: DEFAULT_EASE_LAMBDAS.join(','), help: 'EASE λ grid searched on the validation split' },
    { name: 'knn-k', default: String(DEFAULT_KNN_NEIGHBOURS), help: 'ItemKNN neighbours per item' },
    { name: 'train-min-rating', default: String(DEFAULT_TRAIN_MIN_RATING), help: 'baselines train on ratings >= this (0: all); lower ones still count as seen' },
    { name: 'ease-solver', default: 'auto', help: 'EASE solver: auto (the smaller side), items (Gram inverse) or users (Woodbury)' },
    { name: 'encoder', default: 'default', help: 'Tuneline\'s text encoder: a catalog model name or a model directory' },
    { name: 'embedding-cache', default: '.cache/bench/recommender', help: 'where Tuneline\'s item embeddings are cached (keyed by encoder sha256 and text)' },
  ],
};

export interface RecommenderQualityOptions {
  readonly ratings: string;
  readonly movies: string;
  /** Absent with `--tags none`. */
  readonly tags?: string;
  readonly test?: string;
  readonly out: string;
  readonly lambdas: readonly number[];
  readonly knnK: number;
  readonly trainMinRating: number;
  readonly easeSolver: EaseSolver;
  readonly encoder: string;
  /** Absolute path of the embedding cache; `modelCache` is where catalog models are (`<root>/.cache`). */
  readonly embeddingCache: string;
  readonly modelCache: string;
  /** The flags as run, with paths relative to the root, for the JSON's `command`. */
  readonly flags: string;
}

function existing(root: string, flag: string, file: string): string {
  const path = resolve(root, file);
  if (!existsSync(path)) {
    throw new UsageError(`--${flag} ${file}: no such file (${path}). This benchmark runs on MovieLens small in ${MOVIELENS_DIR} (tests do not); `
      + 'pass --ratings/--movies/--tags to use other copies.');
  }
  return path;
}

export function recommenderQualityOptions(argv: readonly string[], root: string): RecommenderQualityOptions | Help {
  const p = parseFlags(RECOMMENDER_QUALITY_CLI, argv);
  if (p.help) return p;
  const v = p.values;
  const ratings = existing(root, 'ratings', v['ratings'] as string);
  const movies = existing(root, 'movies', v['movies'] as string);
  const tags = v['tags'] === 'none' ? undefined : existing(root, 'tags', v['tags'] as string);
  const test = v['test'] ? existing(root, 'test', v['test']) : undefined;
  const lambdas = listFlag(v, 'lambdas').map(Number);
  if (lambdas.some((l) => !(Number.isFinite(l) && l > 0))) throw new UsageError(`--lambdas must be numbers > 0, got "${v['lambdas']}"`);
  const easeSolver = v['ease-solver'] as string;
  if (easeSolver !== 'auto' && easeSolver !== 'items' && easeSolver !== 'users') throw new UsageError(`--ease-solver must be auto, items or users, got "${easeSolver}"`);
  const knnK = intFlag(v, 'knn-k');
  const trainMinRating = Number(v['train-min-rating']);
  if (!(Number.isFinite(trainMinRating) && trainMinRating >= 0)) throw new UsageError(`--train-min-rating must be a number >= 0, got "${v['train-min-rating']}"`);
  const rel = (f: string) => relative(root, f) || '.';
  const flags = [`--ratings ${rel(ratings)}`, `--movies ${rel(movies)}`, `--tags ${tags ? rel(tags) : 'none'}`, ...(test ? [`--test ${rel(test)}`] : []),
    `--lambdas ${lambdas.join(',')}`, `--knn-k ${knnK}`, `--train-min-rating ${trainMinRating}`, `--ease-solver ${easeSolver}`,
    `--encoder ${v['encoder'] as string}`, `--embedding-cache ${v['embedding-cache'] as string}`].join(' ');
  return {
    ratings, movies, ...(tags ? { tags } : {}), ...(test ? { test } : {}), out: resolve(root, v['out'] as string), lambdas, knnK, trainMinRating, easeSolver,
    encoder: v['encoder'] as string, embeddingCache: resolve(root, v['embedding-cache'] as string), modelCache: resolve(root, '.cache'), flags,
  };
}
