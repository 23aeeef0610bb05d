/**
 * The service's typed configuration, parsed from the environment once at start-up
 * (docs/configuration.md, "sentiment-monitor"). Platform variables come from defineConfig;
 * model variables from libs/inference's inferenceEnvSchema; SENTIMENT_* window and alert
 * variables map onto libs/sentiment's AlertingOptions, whose defaults stay the library's.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { defineConfig, envBool, envInt, envNumber, envOptionalString, envPort } from '@tuneline/platform';
import { defaultCacheRoot, inferenceEnvSchema } from '@tuneline/inference';
import {
  DEFAULT_ALERTING_OPTIONS,
  SENTIMENT_SAMPLES_DIR,
  validateAlertingOptions,
  type AlertingOptions,
} from '@tuneline/sentiment';

export const DEFAULT_SERVICE_NAME = 'sentiment-monitor';
export const DEFAULT_SENTIMENT_HTTP_PORT = 8082;
export const DEFAULT_SENTIMENT_GRPC_PORT = 50062;
export const DEFAULT_SENTIMENT_MODEL = 'financial-sentiment';
/** The start-up fine-tune's encoder: the sample is English whatever TUNELINE_MODEL serves elsewhere. */
export const DEFAULT_SENTIMENT_BASE_MODEL = 'default';
/** Characters of title + ". " + body sent to the model (news.raw bodies can be 20,000). */
export const DEFAULT_MAX_TEXT_CHARS = 2_000;
/** Texts per ScoreTexts call (the proto documents 64). */
export const DEFAULT_SCORE_BATCH_LIMIT = 64;
/** Records per stage transaction, and so texts per inference call of the score stage. */
export const DEFAULT_STAGE_MAX_BATCH = 64;
export const DEFAULT_RETRY_AFTER_S = 1;
export const DEFAULT_SSE_HEARTBEAT_MS = 15_000;
/**
 * How far past the score stage's clock a published_at may lie (10 min): clock skew and feeds
 * that stamp a time a few minutes ahead pass; a far-future one (a mistyped year, a wrong zone
 * by a day) would move its keys' event time and make every later item late, so it is
 * dead-lettered. It must stay below SENTIMENT_SOURCE_IDLE_MS minus the allowed lateness (a
 * rule below): one partition's clock that far ahead made every other partition count as idle,
 * and their live items late, dropped, for up to an hour (the old 1-h default against 30 min).
 */
export const DEFAULT_MAX_FUTURE_MS = 600_000;

/** Environment variable of each AlertingOptions field. */
export const ALERTING_ENV = {
  windowMs: 'SENTIMENT_WINDOW_MS',
  hopMs: 'SENTIMENT_HOP_MS',
  allowedLatenessMs: 'SENTIMENT_ALLOWED_LATENESS_MS',
  sourceIdleMs: 'SENTIMENT_SOURCE_IDLE_MS',
  zThreshold: 'SENTIMENT_Z_THRESHOLD',
  criticalZ: 'SENTIMENT_CRITICAL_Z',
  minVolume: 'SENTIMENT_MIN_VOLUME',
  minNegative: 'SENTIMENT_MIN_NEGATIVE',
  cooldownMs: 'SENTIMENT_COOLDOWN_MS',
  ewmaAlpha: 'SENTIMENT_EWMA_ALPHA',
  minBaselineWindows: 'SENTIMENT_MIN_BASELINE_WINDOWS',
  priorNegativeShare: 'SENTIMENT_PRIOR_NEGATIVE_SHARE',
  shareStdFloor: 'SENTIMENT_SHARE_STD_FLOOR',
  maxKeys: 'SENTIMENT_MAX_KEYS',
  idleKeyTtlMs: 'SENTIMENT_IDLE_KEY_TTL_MS',
  topHeadlines: 'SENTIMENT_TOP_HEADLINES',
} as const satisfies Record<keyof AlertingOptions, string>;

const DAY_MS = 24 * 3_600_000;
const optionalMs = (max: number) => envInt({ min: 0, max }).optional();

/** Kafka group ids and instance ids become topic and group names: keep to Kafka's characters. */
const instanceId = z.string().trim().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1-100 of A-Z a-z 0-9 . _ -').optional();

const schemaShape = {
  ...inferenceEnvSchema.shape,
  HTTP_PORT: envPort(DEFAULT_SENTIMENT_HTTP_PORT),
  GRPC_PORT: envPort(DEFAULT_SENTIMENT_GRPC_PORT),
  TUNELINE_CACHE: envOptionalString(),
  /** Model repository root; default <cache>/repo. */
  TUNELINE_MODEL_REPO: envOptionalString(),
  SENTIMENT_MODEL: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be a model name (a-z 0-9 . _ -)').default(DEFAULT_SENTIMENT_MODEL),
  /** Catalog name, alias or directory of the encoder the start-up fine-tune uses. */
  SENTIMENT_BASE_MODEL: z.string().trim().min(1, 'must not be empty').default(DEFAULT_SENTIMENT_BASE_MODEL),
  SENTIMENT_TRAIN_IF_MISSING: envBool(true),
  /** Labelled JSONL ({text,label}) for the start-up fine-tune; default the shipped sample. */
  SENTIMENT_TRAIN_FILE: envOptionalString(),
  /** Follow model.published on KAFKA_BROKERS and hot-swap the sentiment model. */
  SENTIMENT_FOLLOW_MODELS: envBool(true),
  SENTIMENT_MAX_TEXT_CHARS: envInt({ def: DEFAULT_MAX_TEXT_CHARS, min: 16, max: 20_000 }),
  SENTIMENT_SCORE_BATCH_LIMIT: envInt({ def: DEFAULT_SCORE_BATCH_LIMIT, min: 1, max: 256 }),
  SENTIMENT_STAGE_MAX_BATCH: envInt({ def: DEFAULT_STAGE_MAX_BATCH, min: 1, max: 256 }),
  SENTIMENT_MAX_FUTURE_MS: envInt({ def: DEFAULT_MAX_FUTURE_MS, min: 0, max: 7 * 24 * 3_600_000 }),
  /** Watch-list JSON ([{name, aliases?, tickers?}]); default the shipped sample. */
  SENTIMENT_WATCHLIST_FILE: envOptionalString(),
  /** Topic definitions JSON ([{name, descriptions}]); default the shipped sample. */
  SENTIMENT_TOPICS_FILE: envOptionalString(),
  /** Identifies this replica in its per-replica consumer groups; default host-pid-random. */
  SENTIMENT_INSTANCE_ID: instanceId,
  SENTIMENT_RETRY_AFTER_S: envInt({ def: DEFAULT_RETRY_AFTER_S, min: 1, max: 3_600 }),
  SENTIMENT_SSE_HEARTBEAT_MS: envInt({ def: DEFAULT_SSE_HEARTBEAT_MS, min: 100, max: 300_000 }),
  // Alerting: unset = the library default (DEFAULT_ALERTING_OPTIONS).
  SENTIMENT_WINDOW_MS: envInt({ min: 1_000, max: 7 * DAY_MS }).optional(),
  SENTIMENT_HOP_MS: envInt({ min: 1_000, max: 7 * DAY_MS }).optional(),
  SENTIMENT_ALLOWED_LATENESS_MS: optionalMs(7 * DAY_MS),
  SENTIMENT_SOURCE_IDLE_MS: envInt({ min: 1, max: 7 * DAY_MS }).optional(),
  SENTIMENT_Z_THRESHOLD: envNumber({ min: 0, max: 100 }).optional(),
  SENTIMENT_CRITICAL_Z: envNumber({ min: 0, max: 100 }).optional(),
  SENTIMENT_MIN_VOLUME: envInt({ min: 1, max: 1_000_000 }).optional(),
  SENTIMENT_MIN_NEGATIVE: envInt({ min: 1, max: 1_000_000 }).optional(),
  SENTIMENT_COOLDOWN_MS: optionalMs(30 * DAY_MS),
  SENTIMENT_EWMA_ALPHA: envNumber({ min: 0, max: 1 }).optional(),
  SENTIMENT_MIN_BASELINE_WINDOWS: envInt({ min: 0, max: 100_000 }).optional(),
  SENTIMENT_PRIOR_NEGATIVE_SHARE: envNumber({ min: 0, max: 1 }).optional(),
  SENTIMENT_SHARE_STD_FLOOR: envNumber({ min: 0, max: 1 }).optional(),
  SENTIMENT_MAX_KEYS: envInt({ min: 1, max: 10_000_000 }).optional(),
  SENTIMENT_IDLE_KEY_TTL_MS: optionalMs(365 * DAY_MS),
  SENTIMENT_TOP_HEADLINES: envInt({ min: 0, max: 5 }).optional(),
};

type ShapeOutput = z.output<z.ZodObject<typeof schemaShape>>;

/** The alerting options the config asks for, over the library defaults. */
export function alertingOptionsOf(config: ShapeOutput): AlertingOptions {
  const options: Record<string, number> = { ...DEFAULT_ALERTING_OPTIONS };
  for (const [field, variable] of Object.entries(ALERTING_ENV)) {
    const value = config[variable];
    if (value !== undefined) options[field] = value;
  }
  return options as unknown as AlertingOptions;
}

const baseSchema = defineConfig(schemaShape);

type BaseConfig = z.output<typeof baseSchema>;
type NumericVariable = { [K in keyof BaseConfig]-?: BaseConfig[K] extends number ? K : never }[keyof BaseConfig];

/**
 * What the model accepts per call (libs/inference's TUNELINE_MAX_* limits) must cover what
 * this service sends it: a score-stage chunk, a ScoreTexts call, a model text. Otherwise valid
 * items would be refused by the model as INVALID_ARGUMENT and dead-lettered.
 */
const MODEL_LIMIT_RULES: readonly { readonly variable: NumericVariable; readonly limit: NumericVariable; readonly what: string }[] = [
  { variable: 'SENTIMENT_STAGE_MAX_BATCH', limit: 'TUNELINE_MAX_BATCH_TEXTS', what: 'texts per score-stage model call' },
  { variable: 'SENTIMENT_SCORE_BATCH_LIMIT', limit: 'TUNELINE_MAX_BATCH_TEXTS', what: 'texts per ScoreTexts call' },
  { variable: 'SENTIMENT_MAX_TEXT_CHARS', limit: 'TUNELINE_MAX_TEXT_CHARS', what: 'characters per model text' },
];

/**
 * Rules across fields. The model limits above, each reported under the SENTIMENT_* variable;
 * future times against the idle-source rule (DEFAULT_MAX_FUTURE_MS).
 * The alerting ones (the hop divides the window, critical ≥ threshold, ...) are the
 * library's: validateAlertingOptions' RangeError starts with the field's name and is reported
 * under that field's variable. In a pipe, so it runs only once every variable parsed (a bad
 * variable is reported once, by its own check).
 */
export const sentimentMonitorConfigSchema = baseSchema.pipe(
  z.custom<BaseConfig>().superRefine((config, ctx) => {
    for (const { variable, limit, what } of MODEL_LIMIT_RULES) {
      const value = config[variable];
      const max = config[limit];
      if (value > max) ctx.addIssue({ code: 'custom', path: [variable], message: `${variable} (${value} ${what}) must be at most ${limit} (${max}), the model's limit` });
    }
    const alerting = alertingOptionsOf(config);
    if (config.SENTIMENT_MAX_FUTURE_MS + alerting.allowedLatenessMs >= alerting.sourceIdleMs) {
      ctx.addIssue({ code: 'custom', path: ['SENTIMENT_MAX_FUTURE_MS'], message: `SENTIMENT_MAX_FUTURE_MS (${config.SENTIMENT_MAX_FUTURE_MS}) plus SENTIMENT_ALLOWED_LATENESS_MS `
        + `(${alerting.allowedLatenessMs}) must be below SENTIMENT_SOURCE_IDLE_MS (${alerting.sourceIdleMs}): a partition whose clock an accepted future item moves that far ahead makes every other partition idle, and their live items late` });
    }
    try {
      validateAlertingOptions(alerting);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      const field = /^(\w+):/.exec(err.message)?.[1] as keyof AlertingOptions | undefined;
      const variable = field && field in ALERTING_ENV ? ALERTING_ENV[field] : ALERTING_ENV.windowMs;
      ctx.addIssue({ code: 'custom', path: [variable], message: err.message });
    }
  }),
);

/** The environment with this service's default SERVICE_NAME (the platform schema requires one). */
export function withServiceDefaults(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...env, SERVICE_NAME: env['SERVICE_NAME']?.trim() || DEFAULT_SERVICE_NAME };
}

export type SentimentMonitorConfig = z.output<typeof sentimentMonitorConfigSchema>;

/** Values derived from the config (defaults that depend on other variables or on the host). */
export interface SentimentMonitorSettings {
  readonly cacheRoot: string;
  readonly repoRoot: string;
  readonly model: string;
  readonly baseModel: string;
  readonly trainFile: string;
  readonly watchListFile: string;
  readonly topicsFile: string;
  readonly instanceId: string;
  readonly alerting: AlertingOptions;
}

/**
 * A replica's id: host name (the pod name on Kubernetes) + pid + a short random suffix, so two
 * processes on one host, or a restarted pod with pid 1 again, never share a per-replica group.
 */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100);
}

export function settingsOf(config: SentimentMonitorConfig): SentimentMonitorSettings {
  const cacheRoot = defaultCacheRoot({ TUNELINE_CACHE: config.TUNELINE_CACHE });
  return {
    cacheRoot,
    repoRoot: config.TUNELINE_MODEL_REPO ?? join(cacheRoot, 'repo'),
    model: config.SENTIMENT_MODEL,
    baseModel: config.SENTIMENT_BASE_MODEL,
    trainFile: config.SENTIMENT_TRAIN_FILE ?? join(SENTIMENT_SAMPLES_DIR, 'financial-sentiment.jsonl'),
    watchListFile: config.SENTIMENT_WATCHLIST_FILE ?? join(SENTIMENT_SAMPLES_DIR, 'watchlist.json'),
    topicsFile: config.SENTIMENT_TOPICS_FILE ?? join(SENTIMENT_SAMPLES_DIR, 'topics.json'),
    instanceId: config.SENTIMENT_INSTANCE_ID ?? defaultInstanceId(),
    alerting: alertingOptionsOf(config),
  };
}
