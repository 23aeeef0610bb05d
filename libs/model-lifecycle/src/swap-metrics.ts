import { Counter, Histogram, type Registry } from 'prom-client';

/** What happened to one model.published event, as counted in `tuneline_model_swaps_total`. */
export type SwapOutcome =
  | 'swapped'
  | 'skipped_other_model'
  | 'skipped_stale'
  | 'rejected_malformed'
  | 'rejected_checksum'
  | 'rejected_labels'
  | 'failed_fetch'
  | 'failed_load';

export interface SwapMetrics {
  observe(model: string, outcome: SwapOutcome): void;
  /** Seconds from event to serving the new version (fetch, verify, load, warm-up, switch). */
  observeSwapSeconds(model: string, seconds: number): void;
}

/** Registered on the service's registry so the series appear on its /metrics. */
export function createSwapMetrics(registry: Registry): SwapMetrics {
  const swaps = new Counter({
    name: 'tuneline_model_swaps_total',
    help: 'model.published events handled, by model and outcome',
    labelNames: ['model', 'outcome'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'tuneline_model_swap_seconds',
    help: 'Time from a model.published event to serving the new version',
    labelNames: ['model'] as const,
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  return {
    observe: (model, outcome) => swaps.inc({ model, outcome }),
    observeSwapSeconds: (model, s) => seconds.observe({ model }, s),
  };
}
