import { z } from 'zod';
import { DEFAULT_BATCHER_OPTIONS } from './batching/batcher-options';
import { DEFAULT_INPUT_LIMITS } from './limits';
import { DEFAULT_PROVIDER_PREFERENCE, parseProviderList } from './session/execution-providers';
import { DEFAULT_MODEL_INSTANCES, MAX_MODEL_INSTANCES } from './session/instance-pool';
import type { TextModelOptions } from './text-model';

/**
 * Environment settings every service that serves a model shares; a service's own config
 * schema spreads `inferenceEnvSchema.shape`. Documented in docs/configuration.md.
 */
const int = (min: number, dflt: number) => z.coerce.number().int().min(min).default(dflt);

export const inferenceEnvSchema = z.object({
  TUNELINE_MODEL: z.string().min(1).default('default'),
  TUNELINE_EXECUTION_PROVIDERS: z.string().default(DEFAULT_PROVIDER_PREFERENCE.join(','))
    .transform((v, ctx) => {
      try {
        return parseProviderList(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  TUNELINE_INTRA_OP_THREADS: int(0, 0),
  TUNELINE_GRAPH_OPTIMIZATION: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
  /** ORT sessions per model version behind the one batcher (ADR 0020). */
  TUNELINE_MODEL_INSTANCES: z.coerce.number().int().min(1).max(MAX_MODEL_INSTANCES).default(DEFAULT_MODEL_INSTANCES),
  /** Keep ORT's optimised graph beside the model so restarts skip optimisation (CPU; ADR 0020). */
  TUNELINE_PERSIST_OPTIMIZED_GRAPH: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Unset: per provider (DEFAULT_MAX_BATCH_SIZE_BY_PROVIDER: 8 on CPU, 64 on CUDA/TensorRT). */
  TUNELINE_MAX_BATCH_SIZE: z.coerce.number().int().min(1).optional(),
  TUNELINE_MAX_QUEUE_DELAY_MS: z.coerce.number().min(0).default(DEFAULT_BATCHER_OPTIONS.maxQueueDelayMs),
  /** Unset: per provider (DEFAULT_MAX_TOKENS_PER_BATCH_BY_PROVIDER: 512 on CPU, 16384 on CUDA/TensorRT; never below the model's max length). */
  TUNELINE_MAX_TOKENS_PER_BATCH: z.coerce.number().int().min(64).optional(),
  TUNELINE_MAX_QUEUE_SIZE: int(1, DEFAULT_BATCHER_OPTIONS.maxQueueSize),
  TUNELINE_MAX_TEXT_CHARS: int(1, DEFAULT_INPUT_LIMITS.maxTextChars),
  TUNELINE_MAX_BATCH_TEXTS: int(1, DEFAULT_INPUT_LIMITS.maxBatchTexts),
  /**
   * Model versions a service's follower keeps in its local repository after a hot swap (the
   * newest; unset: all). For a repository that is the pod's own copy (deploy/ sets 2); never
   * for one shared with the trainer.
   */
  TUNELINE_KEEP_MODEL_VERSIONS: z.coerce.number().int().min(1).optional(),
});

export type InferenceEnv = z.infer<typeof inferenceEnvSchema>;

export function textModelOptionsFromEnv(env: InferenceEnv): TextModelOptions {
  return {
    executionProviders: env.TUNELINE_EXECUTION_PROVIDERS,
    intraOpNumThreads: env.TUNELINE_INTRA_OP_THREADS,
    graphOptimizationLevel: env.TUNELINE_GRAPH_OPTIMIZATION,
    instances: env.TUNELINE_MODEL_INSTANCES,
    persistOptimizedGraph: env.TUNELINE_PERSIST_OPTIMIZED_GRAPH,
    batching: {
      ...(env.TUNELINE_MAX_BATCH_SIZE !== undefined ? { maxBatchSize: env.TUNELINE_MAX_BATCH_SIZE } : {}),
      maxQueueDelayMs: env.TUNELINE_MAX_QUEUE_DELAY_MS,
      ...(env.TUNELINE_MAX_TOKENS_PER_BATCH !== undefined ? { maxTokensPerBatch: env.TUNELINE_MAX_TOKENS_PER_BATCH } : {}),
      maxQueueSize: env.TUNELINE_MAX_QUEUE_SIZE,
    },
    limits: { maxTextChars: env.TUNELINE_MAX_TEXT_CHARS, maxBatchTexts: env.TUNELINE_MAX_BATCH_TEXTS },
  };
}
