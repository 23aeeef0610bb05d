import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BatchStats } from './batching/batcher-options';

/**
 * Prometheus series for the engine, labelled by model and execution provider.
 * Registered on the caller's registry so each service exposes them on its /metrics.
 */
export interface InferenceMetrics {
  observeBatch(model: string, provider: string, stats: BatchStats): void;
  observeRequest(model: string, provider: string, seconds: number, outcome: string): void;
  /** Response-cache lookups of one request (hits, misses) and the cache's bytes after it. */
  observeCache?(model: string, hits: number, misses: number, bytes: number): void;
}

export function createInferenceMetrics(registry: Registry): InferenceMetrics {
  const labelNames = ['model', 'provider'] as const;
  const batchSize = new Histogram({ name: 'tuneline_inference_batch_size', help: 'Requests per model run', labelNames,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128], registers: [registry] });
  const batchTokens = new Histogram({ name: 'tuneline_inference_batch_padded_tokens', help: 'Padded tokens per model run', labelNames,
    buckets: [64, 256, 1024, 4096, 16384, 65536], registers: [registry] });
  const runSeconds = new Histogram({ name: 'tuneline_inference_run_seconds', help: 'Model run time per batch', labelNames,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] });
  const queueDepth = new Gauge({ name: 'tuneline_inference_queue_depth', help: 'Requests waiting for a batch', labelNames, registers: [registry] });
  const latency = new Histogram({ name: 'tuneline_inference_request_seconds', help: 'Request latency including queueing',
    labelNames: [...labelNames, 'outcome'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] });
  const items = new Counter({ name: 'tuneline_inference_items_total', help: 'Texts processed (throughput)', labelNames, registers: [registry] });
  const cacheLookups = new Counter({ name: 'tuneline_inference_cache_lookups_total', help: 'Response-cache lookups per text, by outcome (hit, miss)',
    labelNames: ['model', 'outcome'], registers: [registry] });
  const cacheBytes = new Gauge({ name: 'tuneline_inference_cache_bytes', help: 'Bytes held by the response cache of the served version', labelNames: ['model'], registers: [registry] });
  return {
    observeBatch(model, provider, s) {
      const l = { model, provider };
      batchSize.observe(l, s.size);
      batchTokens.observe(l, s.paddedTokens);
      runSeconds.observe(l, s.runMs / 1000);
      queueDepth.set(l, s.queueDepth);
      items.inc(l, s.size);
    },
    observeRequest(model, provider, seconds, outcome) {
      latency.observe({ model, provider, outcome }, seconds);
    },
    observeCache(model, hits, misses, bytes) {
      if (hits > 0) cacheLookups.inc({ model, outcome: 'hit' }, hits);
      if (misses > 0) cacheLookups.inc({ model, outcome: 'miss' }, misses);
      cacheBytes.set({ model }, bytes);
    },
  };
}
