/**
 * The service's typed configuration, parsed from the environment once at start-up
 * (docs/configuration.md, "support-chat"). Platform variables come from defineConfig;
 * model variables from libs/inference's inferenceEnvSchema; SUPPORT_* map onto
 * libs/support's SupportOptions.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { defineConfig, envBool, envInt, envList, envNumber, envOptionalString, envPort } from '@tuneline/platform';
import { defaultCacheRoot, inferenceEnvSchema } from '@tuneline/inference';
import {
  DEFAULT_CONFIDENCE_THRESHOLD,
  DEFAULT_HUMAN_INTENTS,
  DEFAULT_LOW_CONFIDENCE_HANDOFF_COUNT,
  DEFAULT_MAX_MESSAGE_CHARS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MAX_SESSION_CHARS,
  DEFAULT_MAX_TURNS,
  DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD,
  DEFAULT_SENSITIVE_INTENTS,
  DEFAULT_SENTIMENT_TIMEOUT_MS,
  DEFAULT_SESSION_TTL_MS,
  SAMPLE_LANGUAGES,
  SAMPLE_RETRIEVAL_MIN_SCORE,
  type SupportOptions,
} from '@tuneline/support';

export const DEFAULT_SERVICE_NAME = 'support-chat';
export const DEFAULT_SUPPORT_HTTP_PORT = 8081;
export const DEFAULT_SUPPORT_GRPC_PORT = 50061;
export const DEFAULT_INTENT_MODEL = 'support-intent';
/** Turns (chat + stream) handled at once per process; the next one is RESOURCE_EXHAUSTED / 429. */
export const DEFAULT_MAX_IN_FLIGHT = 64;
/** Seconds a 429/503 answer tells the client to wait (Retry-After). */
export const DEFAULT_RETRY_AFTER_S = 1;
/** Largest accepted HTTP JSON body; larger ones are 413 before any parsing. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/**
 * Response cache of the intent classifier (libs/inference): customers repeat themselves, and
 * a hit skips the model run. 16 MiB holds ~8,000 answers of a fused classifier (384-float
 * sentence embedding + class probabilities + key). The knowledge-base encoder has none.
 */
export const DEFAULT_RESPONSE_CACHE_BYTES = 16 * 1024 * 1024;

export const supportChatConfigSchema = defineConfig({
  ...inferenceEnvSchema.shape,
  HTTP_PORT: envPort(DEFAULT_SUPPORT_HTTP_PORT),
  GRPC_PORT: envPort(DEFAULT_SUPPORT_GRPC_PORT),
  TUNELINE_CACHE: envOptionalString(),
  /** Model repository root; default <cache>/repo. */
  TUNELINE_MODEL_REPO: envOptionalString(),
  /** Language of the knowledge base, templates and intents; default zh when TUNELINE_MODEL=zh, else en. */
  SUPPORT_LANGUAGE: z.enum(SAMPLE_LANGUAGES, { error: `must be one of ${SAMPLE_LANGUAGES.join(', ')}` }).optional(),
  /** Intent model name in the repository; default support-intent (en) / support-intent-zh (zh). */
  SUPPORT_INTENT_MODEL: envOptionalString(),
  /** Base encoder the sample intents are fine-tuned on when the model is missing; default TUNELINE_MODEL. */
  SUPPORT_INTENT_BASE_MODEL: envOptionalString(),
  SUPPORT_TRAIN_IF_MISSING: envBool(true),
  /** Follow model.published on KAFKA_BROKERS and hot-swap the intent model. */
  SUPPORT_FOLLOW_MODELS: envBool(true),
  /** Publish turns and feedback (support.conversations) and handoffs (support.handoff) on KAFKA_BROKERS. */
  SUPPORT_PUBLISH_EVENTS: envBool(true),
  SUPPORT_CONFIDENCE_THRESHOLD: envNumber({ def: DEFAULT_CONFIDENCE_THRESHOLD, min: 0, max: 1 }),
  /** Default 0.62 (bge-small-en) or 0.45 for zh (bge-small-zh scores lower; libs/support README). */
  SUPPORT_RETRIEVAL_MIN_SCORE: envNumber({ min: -1, max: 1 }).optional(),
  SUPPORT_LOW_CONFIDENCE_HANDOFF_COUNT: envInt({ def: DEFAULT_LOW_CONFIDENCE_HANDOFF_COUNT, min: 1, max: 100 }),
  SUPPORT_SESSION_TTL_MS: envInt({ def: DEFAULT_SESSION_TTL_MS, min: 1_000, max: 7 * 24 * 3_600_000 }),
  SUPPORT_MAX_TURNS: envInt({ def: DEFAULT_MAX_TURNS, min: 1, max: 10_000 }),
  SUPPORT_MAX_MESSAGE_CHARS: envInt({ def: DEFAULT_MAX_MESSAGE_CHARS, min: 1, max: 20_000 }),
  SUPPORT_MAX_SESSIONS: envInt({ def: DEFAULT_MAX_SESSIONS, min: 1, max: 10_000_000 }),
  /** In-memory store: characters of session JSON held before a save is refused (the memory bound). */
  SUPPORT_MAX_SESSION_CHARS: envInt({ def: DEFAULT_MAX_SESSION_CHARS, min: 10_000, max: 2 ** 36 }),
  SUPPORT_SENSITIVE_INTENTS: envList(DEFAULT_SENSITIVE_INTENTS),
  SUPPORT_HUMAN_INTENTS: envList(DEFAULT_HUMAN_INTENTS),
  /** Sessions in Redis (libs/support RedisSessionStore) when set, e.g. redis://127.0.0.1:6379; in memory otherwise. */
  REDIS_URL: envOptionalString(),
  /** How often readiness re-checks Redis with PING. */
  SUPPORT_REDIS_PING_INTERVAL_MS: envInt({ def: 5_000, min: 100, max: 300_000 }),
  SUPPORT_MAX_IN_FLIGHT: envInt({ def: DEFAULT_MAX_IN_FLIGHT, min: 1, max: 100_000 }),
  SUPPORT_RETRY_AFTER_S: envInt({ def: DEFAULT_RETRY_AFTER_S, min: 1, max: 3_600 }),
  SUPPORT_MAX_BODY_BYTES: envInt({ def: DEFAULT_MAX_BODY_BYTES, min: 1_024, max: 16 * 1024 * 1024 }),
  /** Bytes of the intent model's response cache; 0 turns it off. */
  SUPPORT_RESPONSE_CACHE_BYTES: envInt({ def: DEFAULT_RESPONSE_CACHE_BYTES, min: 0, max: 4 * 1024 * 1024 * 1024 }),
  /** host:port of the sentiment-monitor's gRPC (tuneline.sentiment.v1 ScoreTexts); unset = no negative-sentiment handoff. */
  SUPPORT_SENTIMENT_GRPC_ADDR: envOptionalString(),
  /** How long a turn waits for ScoreTexts (also the call's gRPC deadline); then it answers without the signal. */
  SUPPORT_SENTIMENT_TIMEOUT_MS: envInt({ def: DEFAULT_SENTIMENT_TIMEOUT_MS, min: 1, max: 60_000 }),
  /** P(negative) at or above which a turn is handed off (negative_sentiment). */
  SUPPORT_NEGATIVE_SENTIMENT_THRESHOLD: envNumber({ def: DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD, min: 0, max: 1 }),
});

/** The environment with this service's default SERVICE_NAME (the platform schema requires one). */
export function withServiceDefaults(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...env, SERVICE_NAME: env['SERVICE_NAME']?.trim() || DEFAULT_SERVICE_NAME };
}

export type SupportChatConfig = z.output<typeof supportChatConfigSchema>;

/** Values derived from the config (defaults that depend on other variables). */
export interface SupportChatSettings {
  readonly language: (typeof SAMPLE_LANGUAGES)[number];
  readonly cacheRoot: string;
  readonly repoRoot: string;
  readonly intentModel: string;
  /** Catalog name, alias or directory of the encoder that embeds the knowledge base. */
  readonly encoderModel: string;
  /** Base encoder for the start-up fine-tune. */
  readonly intentBaseModel: string;
  readonly options: Partial<SupportOptions>;
}

export function settingsOf(config: SupportChatConfig): SupportChatSettings {
  const language = config.SUPPORT_LANGUAGE ?? (config.TUNELINE_MODEL === 'zh' ? 'zh' : 'en');
  const cacheRoot = defaultCacheRoot({ TUNELINE_CACHE: config.TUNELINE_CACHE });
  // The Chinese pack needs a Chinese encoder: TUNELINE_MODEL=zh, or `zh` when only SUPPORT_LANGUAGE says so.
  const encoderModel = language === 'zh' && config.TUNELINE_MODEL === 'default' ? 'zh' : config.TUNELINE_MODEL;
  return {
    language,
    cacheRoot,
    repoRoot: config.TUNELINE_MODEL_REPO ?? join(cacheRoot, 'repo'),
    intentModel: config.SUPPORT_INTENT_MODEL ?? (language === 'zh' ? `${DEFAULT_INTENT_MODEL}-zh` : DEFAULT_INTENT_MODEL),
    encoderModel,
    intentBaseModel: config.SUPPORT_INTENT_BASE_MODEL ?? encoderModel,
    options: {
      confidenceThreshold: config.SUPPORT_CONFIDENCE_THRESHOLD,
      retrievalMinScore: config.SUPPORT_RETRIEVAL_MIN_SCORE ?? SAMPLE_RETRIEVAL_MIN_SCORE[language],
      lowConfidenceHandoffCount: config.SUPPORT_LOW_CONFIDENCE_HANDOFF_COUNT,
      sessionTtlMs: config.SUPPORT_SESSION_TTL_MS,
      maxTurns: config.SUPPORT_MAX_TURNS,
      maxMessageChars: config.SUPPORT_MAX_MESSAGE_CHARS,
      sensitiveIntents: config.SUPPORT_SENSITIVE_INTENTS,
      humanIntents: config.SUPPORT_HUMAN_INTENTS,
      negativeSentimentThreshold: config.SUPPORT_NEGATIVE_SENTIMENT_THRESHOLD,
      sentimentTimeoutMs: config.SUPPORT_SENTIMENT_TIMEOUT_MS,
    },
  };
}
