/**
 * The pure parts of tools/bench/recommender-load.ts: flags, the request bodies it cycles
 * (seeded, so two runs send the same requests), and the flat keys of recommender.json.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RECOMMEND_SAMPLES_DIR } from '@tuneline/recommend';
import { createRng } from '../replay/prng';
import { intFlag, oddReps, parseFlags, UsageError, type CliDef, type Help } from './bench-cli';
import type { RunStats } from './chat-load';
import { MOVIELENS_DIR, RECOMMENDER_SPEED_KEYS } from './recommender-options';
import { round } from './stats';

export const SAMPLE_DATA = 'samples';

export const RECOMMENDER_LOAD_CLI: CliDef = {
  script: 'tools/bench/recommender-load.ts',
  summary: 'Recommender speed: starts apps/recommender as a child process (as `nx run recommender:serve` does; throwaway model repository, '
    + 'so the ranking head is trained at start; catalog and seeded profiles from --data; profiles in memory; Kafka consumers and the model '
    + 'follower off; auth off), then drives POST /v1/rank with --candidates catalog ids per request and POST /v1/recommend with k = --k, '
    + 'each with autocannon at --connections, users cycling over every user of --data\'s ratings. Modes interleaved, --reps times, median '
    + 'reported. Merges rankRequestsPerSec, rankP50Ms, rankP99Ms, recommendRequestsPerSec, recommendP99Ms into --out.',
  flags: [
    { name: 'data', default: MOVIELENS_DIR, help: `MovieLens-layout directory (movies.csv, ratings.csv, tags.csv); "${SAMPLE_DATA}" for libs/recommend/samples (60 items, not comparable)` },
    { name: 'connections', default: '32', help: 'concurrent HTTP connections (callers)' },
    { name: 'duration', default: '20', help: 'seconds each measurement runs' },
    { name: 'warmup', default: '5', help: 'seconds of unmeasured load before the first measurement of each mode' },
    { name: 'reps', default: '3', help: 'repetitions, odd (modes interleaved; the median run is reported)' },
    { name: 'candidates', default: '100', help: 'catalog ids per Rank request' },
    { name: 'k', default: '10', help: 'k of Recommend (and of Rank)' },
    { name: 'bodies', default: '512', help: 'distinct request bodies cycled per mode' },
    { name: 'repo', default: '', help: 'model repository to keep (the head is trained into it on the first run, reused after); default a throwaway one (trained every run)' },
    { name: 'out', default: 'docs/benchmarks/recommender.json', help: 'JSON the speed keys are merged into (other keys kept)' },
  ],
};

export interface RecommenderLoadOptions {
  /** Absolute path of the data directory. */
  readonly data: string;
  readonly samples: boolean;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly reps: number;
  readonly candidates: number;
  readonly k: number;
  readonly bodies: number;
  readonly out: string;
  /** Absolute path of a kept model repository; undefined = a throwaway one. */
  readonly repo: string | undefined;
  /** The flags as run, for the JSON's command. */
  readonly flags: string;
}

export function recommenderLoadOptions(argv: readonly string[], root: string): RecommenderLoadOptions | Help {
  const p = parseFlags(RECOMMENDER_LOAD_CLI, argv);
  if (p.help) return p;
  const v = p.values;
  const samples = v['data'] === SAMPLE_DATA;
  const data = samples ? RECOMMEND_SAMPLES_DIR : resolve(root, v['data'] as string);
  for (const f of ['movies.csv', 'ratings.csv']) {
    if (!existsSync(join(data, f))) throw new UsageError(`--data ${v['data']}: ${f} not found in ${data} (pass a MovieLens-layout directory, or --data ${SAMPLE_DATA})`);
  }
  const o = {
    data, samples, connections: intFlag(v, 'connections'), durationS: intFlag(v, 'duration'), warmupS: intFlag(v, 'warmup', 0), reps: oddReps(v),
    candidates: intFlag(v, 'candidates'), k: intFlag(v, 'k'), bodies: intFlag(v, 'bodies'), out: v['out'] as string,
    repo: v['repo'] ? resolve(root, v['repo']) : undefined,
  };
  const flags = [`--data ${samples ? SAMPLE_DATA : relative(root, data)}`, `--connections ${o.connections}`, `--duration ${o.durationS}`, `--warmup ${o.warmupS}`,
    `--reps ${o.reps}`, `--candidates ${o.candidates}`, `--k ${o.k}`, `--bodies ${o.bodies}`, ...(o.repo ? [`--repo ${relative(root, o.repo)}`] : [])].join(' ');
  return { ...o, flags };
}

/** `n` distinct ids drawn from `ids` (partial Fisher-Yates). */
export function sampleDistinct(ids: readonly string[], n: number, random: () => number): string[] {
  if (n > ids.length) throw new RangeError(`cannot draw ${n} distinct ids from ${ids.length}`);
  const pool = [...ids];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return pool.slice(0, n);
}

/** Rank bodies: user i cycles over `users`, each with `candidates` distinct catalog ids. */
export function rankBodies(users: readonly string[], items: readonly string[], count: number, candidates: number, k: number, seed = 1): string[] {
  if (users.length === 0) throw new RangeError('no users to rank for');
  const random = createRng(seed).next;
  return Array.from({ length: count }, (_, i) => JSON.stringify({ userId: users[i % users.length], candidates: sampleDistinct(items, candidates, random), k }));
}

export function recommendBodies(users: readonly string[], count: number, k: number): string[] {
  if (users.length === 0) throw new RangeError('no users to recommend for');
  return Array.from({ length: count }, (_, i) => JSON.stringify({ userId: users[i % users.length], k }));
}

/** Cycles through pre-built bodies (autocannon's setupRequest asks for one per request). */
export class BodyCycler {
  private i = 0;
  constructor(private readonly bodies: readonly string[]) {
    if (bodies.length === 0) throw new RangeError('no bodies');
  }
  next(): string {
    return this.bodies[this.i++ % this.bodies.length] as string;
  }
}

/** The speed keys of recommender.json, rounded to 0.1. */
export function speedFlat(rank: RunStats, recommend: RunStats): Record<(typeof RECOMMENDER_SPEED_KEYS)[number], number> {
  const r1 = (x: number) => round(x, 1);
  return { rankRequestsPerSec: r1(rank.perSec), rankP50Ms: r1(rank.p50Ms), rankP99Ms: r1(rank.p99Ms), recommendRequestsPerSec: r1(recommend.perSec), recommendP99Ms: r1(recommend.p99Ms) };
}

export function relativeData(root: string, o: Pick<RecommenderLoadOptions, 'data' | 'samples'>): string {
  return o.samples ? SAMPLE_DATA : relative(root, o.data);
}
