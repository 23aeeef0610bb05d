/**
 * Dynamic batching knobs, as Triton's dynamic batcher and TEI's token budget.
 * Defaults are tuned on the 2-core CPU dev machine (docs/benchmarks.md).
 */
export interface BatcherOptions {
  /** Most requests in one model run. */
  readonly maxBatchSize: number;
  /** How long the oldest request may wait for company before a partial batch runs. */
  readonly maxQueueDelayMs: number;
  /** Padded tokens per run (batch × longest sequence): bounds activation memory. */
  readonly maxTokensPerBatch: number;
  /** Requests waiting beyond this are refused with RESOURCE_EXHAUSTED; keeps memory flat under overload. */
  readonly maxQueueSize: number;
  /** Model runs in flight at once; 1 on CPU (ORT already uses every core inside a run). */
  readonly maxConcurrentBatches: number;
}

export const DEFAULT_BATCHER_OPTIONS: BatcherOptions = {
  maxBatchSize: 8,
  maxQueueDelayMs: 2,
  maxTokensPerBatch: 16384,
  maxQueueSize: 1024,
  maxConcurrentBatches: 1,
};

/**
 * Default max batch size per execution provider when none is configured. On a 2-core CPU
 * a run of 8–16 length-sorted texts is fastest and 32 loses ~40% (cache misses, more
 * padding; docs/benchmarks.md); a GPU wants large batches to fill its cores.
 */
export const DEFAULT_MAX_BATCH_SIZE_BY_PROVIDER: Readonly<Record<'tensorrt' | 'cuda' | 'cpu', number>> = {
  tensorrt: 64,
  cuda: 64,
  cpu: 8,
};

/**
 * Default padded-token budget per run by execution provider, when none is configured (the
 * TextModel raises it to the model's max length so one text always fits). On the 2-core CPU a
 * sweep at mixed lengths (tools/bench/token-budget.ts, docs/benchmarks.md) found 512 the fastest
 * of 512-16384: long texts run in small batches instead of padding short ones to their length
 * (int8 101 vs 75 sent/s, fp32 39 vs 35 at 16384). A GPU wants the large budget to fill its cores.
 */
export const DEFAULT_MAX_TOKENS_PER_BATCH_BY_PROVIDER: Readonly<Record<'tensorrt' | 'cuda' | 'cpu', number>> = {
  tensorrt: 16384,
  cuda: 16384,
  cpu: 512,
};

export function validateBatcherOptions(o: BatcherOptions): BatcherOptions {
  const positiveInt = (name: keyof BatcherOptions, min: number) => {
    const v = o[name];
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  };
  positiveInt('maxBatchSize', 1);
  positiveInt('maxTokensPerBatch', 1);
  positiveInt('maxQueueSize', 1);
  positiveInt('maxConcurrentBatches', 1);
  if (!(o.maxQueueDelayMs >= 0)) throw new RangeError(`maxQueueDelayMs must be >= 0, got ${o.maxQueueDelayMs}`);
  return o;
}

export interface BatchStats {
  readonly size: number;
  readonly paddedTokens: number;
  readonly queueDepth: number;
  readonly oldestWaitMs: number;
  readonly runMs: number;
}
