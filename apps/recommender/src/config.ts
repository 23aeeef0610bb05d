/**
 * The service's typed configuration, parsed from the environment once at start-up
 * (docs/configuration.md, "recommender"). Platform variables come from defineConfig; model
 * variables from libs/inference's inferenceEnvSchema; RECOMMEND_* are the service's own.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineConfig, envBool, envInt, envNumber, envOptionalString, envPort } from '@tuneline/platform';
import { defaultCacheRoot, inferenceEnvSchema } from '@tuneline/inference';
import { COLD_ITEM_BOOST, DEFAULT_MAX_PROFILES, DEFAULT_RULES, RECOMMEND_SAMPLES_DIR, type BoostRule, type RulesConfig } from '@tuneline/recommend';

export const DEFAULT_SERVICE_NAME = 'recommender';
export const DEFAULT_RECOMMEND_HTTP_PORT = 8083;
export const DEFAULT_RECOMMEND_GRPC_PORT = 50063;
/** Name of the ranking head in the model repository. */
export const DEFAULT_RANKER_MODEL = 'recommend-ranker';
/** Candidates per Rank call; more is INVALID_ARGUMENT / 413 naming this limit. */
export const DEFAULT_MAX_CANDIDATES = 1_000;
/** Largest k (Rank's limit, Recommend's k). */
export const DEFAULT_MAX_K = 100;
/** Recommend's k when the caller sends none (0). */
export const DEFAULT_K = 10;
/** Rank/Recommend calls handled at once per process; the next one is RESOURCE_EXHAUSTED / 429. */
export const DEFAULT_MAX_IN_FLIGHT = 256;
/** Seconds a 429/503 answer tells the client to wait (Retry-After). */
export const DEFAULT_RETRY_AFTER_S = 1;
/** Largest accepted HTTP JSON body: 1000 inline candidates with short descriptions fit. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Latest accepted event time ahead of this server's clock (feedback occurredAt, user.events ts): clock skew, not future-dated events. */
export const DEFAULT_MAX_FUTURE_MS = 3_600_000;
/** Inline Rank items whose embeddings are remembered (LRU by text; 384-d: ~15 MB); they never enter the catalog. */
export const DEFAULT_INLINE_CACHE_ITEMS = 10_000;
/** How long the consumers wait for the catalog feed to reach catalog.items' end before consuming user.events anyway. */
export const DEFAULT_CATALOG_CATCHUP_MS = 300_000;
/** How long an identical RecordFeedback (same user, item, type, value, occurred_at) counts as a retry. */
export const DEFAULT_FEEDBACK_DEDUPE_MS = 10 * 60_000;

/** Kafka group ids and instance ids become group names: keep to Kafka's characters. */
const instanceId = z.string().trim().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1-100 of A-Z a-z 0-9 . _ -').optional();

const baseSchema = defineConfig({
  ...inferenceEnvSchema.shape,
  HTTP_PORT: envPort(DEFAULT_RECOMMEND_HTTP_PORT),
  GRPC_PORT: envPort(DEFAULT_RECOMMEND_GRPC_PORT),
  TUNELINE_CACHE: envOptionalString(),
  /** Model repository root; default <cache>/repo. */
  TUNELINE_MODEL_REPO: envOptionalString(),
  /** Catalog name, alias or directory of the encoder that embeds item text; default TUNELINE_MODEL. */
  RECOMMEND_ENCODER: envOptionalString(),
  RECOMMEND_MODEL: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be a model name (a-z 0-9 . _ -)').default(DEFAULT_RANKER_MODEL),
  /** Train the ranking head from RECOMMEND_DATA_DIR's ratings at start when the repository has none. */
  RECOMMEND_TRAIN_IF_MISSING: envBool(true),
  /** MovieLens-layout directory (movies.csv, ratings.csv, tags.csv) loaded at start; default the shipped sample. */
  RECOMMEND_DATA_DIR: envOptionalString(),
  /** Follow model.published on KAFKA_BROKERS and hot-swap the ranking head. */
  RECOMMEND_FOLLOW_MODELS: envBool(true),
  /** Consume user.events (profiles, co-occurrence) and catalog.items (upserts) on KAFKA_BROKERS. */
  RECOMMEND_CONSUME_EVENTS: envBool(true),
  RECOMMEND_MAX_CANDIDATES: envInt({ def: DEFAULT_MAX_CANDIDATES, min: 1, max: 100_000 }),
  RECOMMEND_MAX_K: envInt({ def: DEFAULT_MAX_K, min: 1, max: 10_000 }),
  RECOMMEND_DEFAULT_K: envInt({ def: DEFAULT_K, min: 1, max: 10_000 }),
  RECOMMEND_MAX_IN_FLIGHT: envInt({ def: DEFAULT_MAX_IN_FLIGHT, min: 1, max: 100_000 }),
  RECOMMEND_RETRY_AFTER_S: envInt({ def: DEFAULT_RETRY_AFTER_S, min: 1, max: 3_600 }),
  RECOMMEND_MAX_BODY_BYTES: envInt({ def: DEFAULT_MAX_BODY_BYTES, min: 1_024, max: 64 * 1024 * 1024 }),
  RECOMMEND_FEEDBACK_DEDUPE_MS: envInt({ def: DEFAULT_FEEDBACK_DEDUPE_MS, min: 0, max: 7 * 24 * 3_600_000 }),
  /** An event dated more than this after the server's clock is refused: 400 / INVALID_ARGUMENT at feedback, dead-lettered from user.events. */
  RECOMMEND_MAX_FUTURE_MS: envInt({ def: DEFAULT_MAX_FUTURE_MS, min: 0, max: 7 * 24 * 3_600_000 }),
  /** Embeddings of Rank's inline items kept (LRU by text); 0 = embed them on every request. */
  RECOMMEND_INLINE_CACHE_ITEMS: envInt({ def: DEFAULT_INLINE_CACHE_ITEMS, min: 0, max: 1_000_000 }),
  /** Wait at most this long for the catalog feed to reach catalog.items' end before user.events is consumed; 0 = do not wait. */
  RECOMMEND_CATALOG_CATCHUP_MS: envInt({ def: DEFAULT_CATALOG_CATCHUP_MS, min: 0, max: 3_600_000 }),
  /** Profiles in Redis when set (e.g. redis://127.0.0.1:6379), shared by every replica; in memory otherwise. */
  REDIS_URL: envOptionalString(),
  /** Prefix of this service's Redis keys (`<prefix>profile:<user>`, `<prefix>feedback:<hash>`). */
  RECOMMEND_REDIS_KEY_PREFIX: z.string().trim().min(1, 'must not be empty').max(200).default('tuneline:recommend:'),
  /** Idle profiles expire from Redis after this (each update renews it); 0 = never. */
  RECOMMEND_PROFILE_TTL_MS: envInt({ def: 0, min: 0, max: 3_650 * 24 * 3_600_000 }),
  /** Memory mode (no REDIS_URL): most user profiles a replica keeps; the least recently used is dropped past it. */
  RECOMMEND_MAX_PROFILES: envInt({ def: DEFAULT_MAX_PROFILES, min: 1, max: 100_000_000 }),
  /** At start, users of RECOMMEND_DATA_DIR's ratings who have no stored profile get one built from those ratings. */
  RECOMMEND_SEED_PROFILES: envBool(true),
  /** How often readiness re-checks Redis with PING. */
  RECOMMEND_REDIS_PING_INTERVAL_MS: envInt({ def: 5_000, min: 100, max: 300_000 }),
  /** Identifies this replica in its per-replica consumer groups; default host-pid-random. */
  RECOMMEND_INSTANCE_ID: instanceId,
  /** Business rules: drop items the user has already interacted with. */
  RECOMMEND_FILTER_SEEN: envBool(true),
  /** MMR trade-off: 1 = pure relevance (off), lower = more diverse lists. */
  RECOMMEND_DIVERSITY_LAMBDA: envNumber({ def: DEFAULT_RULES.diversityLambda, min: 0, max: 1 }),
  /** Added to the score (the head's logit scale) of items released within RECOMMEND_FRESH_DAYS; 0 = no boost. */
  RECOMMEND_FRESH_BOOST: envNumber({ def: 0, min: 0, max: 100 }),
  RECOMMEND_FRESH_DAYS: envInt({ def: 365, min: 1, max: 36_500 }),
  /** Added to the score of cold items (fewer than 5 events); 0 = no boost. Default: libs/recommend's DEFAULT_RULES (+1), the rules the quality bench measured. */
  RECOMMEND_COLD_BOOST: envNumber({ def: COLD_ITEM_BOOST.add, min: 0, max: 100 }),
});

/** Rules across variables, reported under the variable to fix; in a pipe, so they run only once every variable parsed. */
export const recommenderConfigSchema = baseSchema.pipe(
  z.custom<z.output<typeof baseSchema>>().superRefine((config, ctx) => {
    if (config.RECOMMEND_DEFAULT_K > config.RECOMMEND_MAX_K) {
      ctx.addIssue({ code: 'custom', path: ['RECOMMEND_DEFAULT_K'], message: `must not exceed RECOMMEND_MAX_K (${config.RECOMMEND_MAX_K})` });
    }
    if (config.RECOMMEND_MAX_K > config.RECOMMEND_MAX_CANDIDATES) {
      ctx.addIssue({ code: 'custom', path: ['RECOMMEND_MAX_K'], message: `must not exceed RECOMMEND_MAX_CANDIDATES (${config.RECOMMEND_MAX_CANDIDATES})` });
    }
  }),
);

/** The environment with this service's default SERVICE_NAME (the platform schema requires one). */
export function withServiceDefaults(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...env, SERVICE_NAME: env['SERVICE_NAME']?.trim() || DEFAULT_SERVICE_NAME };
}

export type RecommenderConfig = z.output<typeof recommenderConfigSchema>;

/** Values derived from the config (defaults that depend on other variables or on the host). */
export interface RecommenderSettings {
  readonly cacheRoot: string;
  readonly repoRoot: string;
  /** Catalog name, alias or directory of the item encoder. */
  readonly encoderModel: string;
  readonly rankerModel: string;
  readonly dataDir: string;
  readonly instanceId: string;
}

/** The business rules the config asks for (libs/recommend's RulesConfig; each applied one is explained in the response). */
export function rulesOf(config: RecommenderConfig): RulesConfig {
  const boosts: BoostRule[] = [];
  if (config.RECOMMEND_FRESH_BOOST > 0) boosts.push({ name: 'fresh', add: config.RECOMMEND_FRESH_BOOST, maxAgeDays: config.RECOMMEND_FRESH_DAYS });
  if (config.RECOMMEND_COLD_BOOST > 0) boosts.push({ name: 'cold', add: config.RECOMMEND_COLD_BOOST, cold: true });
  return { filterSeen: config.RECOMMEND_FILTER_SEEN, boosts, diversityLambda: config.RECOMMEND_DIVERSITY_LAMBDA };
}

/**
 * A replica's id: host name (the pod name on Kubernetes) + pid + a short random suffix, so two
 * processes on one host, or a restarted pod with pid 1 again, never share a per-replica group.
 */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100);
}

export function settingsOf(config: RecommenderConfig): RecommenderSettings {
  const cacheRoot = defaultCacheRoot({ TUNELINE_CACHE: config.TUNELINE_CACHE });
  return {
    cacheRoot,
    repoRoot: config.TUNELINE_MODEL_REPO ?? join(cacheRoot, 'repo'),
    encoderModel: config.RECOMMEND_ENCODER ?? config.TUNELINE_MODEL,
    rankerModel: config.RECOMMEND_MODEL,
    dataDir: config.RECOMMEND_DATA_DIR ?? RECOMMEND_SAMPLES_DIR,
    instanceId: config.RECOMMEND_INSTANCE_ID ?? defaultInstanceId(),
  };
}
