import { inferenceEnvSchema, textModelOptionsFromEnv } from './inference-config';

describe('inferenceEnvSchema', () => {
  it('applies documented defaults', () => {
    const env = inferenceEnvSchema.parse({});
    expect(env.TUNELINE_EXECUTION_PROVIDERS).toEqual(['cuda', 'cpu']); // TensorRT is opt-in (ADR 0011)
    expect(textModelOptionsFromEnv(env).batching).toEqual({ maxQueueDelayMs: 2, maxQueueSize: 1024 });
    expect(textModelOptionsFromEnv(env)).toMatchObject({ instances: 1, persistOptimizedGraph: true });
  });

  it('passes a configured token budget on and refuses one below 64', () => {
    expect(textModelOptionsFromEnv(inferenceEnvSchema.parse({ TUNELINE_MAX_TOKENS_PER_BATCH: '4096' })).batching).toMatchObject({ maxTokensPerBatch: 4096 });
    expect(inferenceEnvSchema.safeParse({ TUNELINE_MAX_TOKENS_PER_BATCH: '32' }).success).toBe(false);
  });

  it('reads the instance count and graph persistence, refusing counts outside 1..16', () => {
    const env = inferenceEnvSchema.parse({ TUNELINE_MODEL_INSTANCES: '2', TUNELINE_PERSIST_OPTIMIZED_GRAPH: 'false' });
    expect(textModelOptionsFromEnv(env)).toMatchObject({ instances: 2, persistOptimizedGraph: false });
    for (const bad of ['0', '17', 'two']) {
      const r = inferenceEnvSchema.safeParse({ TUNELINE_MODEL_INSTANCES: bad });
      expect(r.error?.issues[0]?.path).toEqual(['TUNELINE_MODEL_INSTANCES']);
    }
    expect(inferenceEnvSchema.safeParse({ TUNELINE_PERSIST_OPTIMIZED_GRAPH: 'yes' }).success).toBe(false);
  });

  it('parses values and names the bad variable', () => {
    expect(inferenceEnvSchema.parse({ TUNELINE_EXECUTION_PROVIDERS: 'cuda,cpu', TUNELINE_MAX_BATCH_SIZE: '8' }))
      .toMatchObject({ TUNELINE_EXECUTION_PROVIDERS: ['cuda', 'cpu'], TUNELINE_MAX_BATCH_SIZE: 8 });
    const bad = inferenceEnvSchema.safeParse({ TUNELINE_EXECUTION_PROVIDERS: 'gpu' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['TUNELINE_EXECUTION_PROVIDERS']);
    expect(bad.error?.issues[0]?.message).toMatch(/unknown execution provider "gpu"/);
    expect(inferenceEnvSchema.safeParse({ TUNELINE_MAX_BATCH_SIZE: '0' }).success).toBe(false);
  });
});
