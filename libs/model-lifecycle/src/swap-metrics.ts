import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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

export const SWAPS_METRIC = 'tuneline_model_swaps_total';
export const SWAP_SECONDS_METRIC = 'tuneline_model_swap_seconds';
export const FOLLOWER_UP_METRIC = 'tuneline_model_follower_up';

/** The metric already on the registry under `name` (a second follower), else a new one. */
function reuse<M>(registry: Registry, name: string, kind: abstract new (...args: never[]) => M, create: () => M): M {
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return create();
  if (!(existing instanceof kind)) throw new TypeError(`registry: ${name} is registered already, as another kind of metric`);
  return existing;
}

/**
 * Registered on the service's registry so the series appear on its /metrics; a second call
 * on the same registry (a second follower) shares the same series.
 */
export function createSwapMetrics(registry: Registry): SwapMetrics {
  const swaps = reuse(registry, SWAPS_METRIC, Counter, () => new Counter({
    name: SWAPS_METRIC,
    help: 'model.published events handled, by model and outcome',
    labelNames: ['model', 'outcome'] as const,
    registers: [registry],
  }));
  const seconds = reuse(registry, SWAP_SECONDS_METRIC, Histogram, () => new Histogram({
    name: SWAP_SECONDS_METRIC,
    help: 'Time from a model.published event to serving the new version',
    labelNames: ['model'] as const,
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  }));
  return {
    observe: (model, outcome) => swaps.inc({ model, outcome }),
    observeSwapSeconds: (model, s) => seconds.observe({ model }, s),
  };
}

const followerProbes = new WeakMap<Gauge, Map<string, () => boolean>>();

/**
 * `tuneline_model_follower_up{group}`: 1 while the follower of that consumer group is
 * following (isFollowing), read at scrape time. For an alert, not for readiness.
 */
export function registerFollowerUp(registry: Registry, group: string, isFollowing: () => boolean): void {
  const gauge = reuse(registry, FOLLOWER_UP_METRIC, Gauge, () => {
    const probes = new Map<string, () => boolean>();
    const created: Gauge = new Gauge({
      name: FOLLOWER_UP_METRIC,
      help: '1 while the model.published follower consumes with a healthy consumer, else 0 (by consumer group)',
      labelNames: ['group'] as const,
      registers: [registry],
      collect() {
        for (const [g, probe] of probes) created.set({ group: g }, probe() ? 1 : 0);
      },
    });
    followerProbes.set(created, probes);
    return created;
  });
  const probes = followerProbes.get(gauge);
  if (!probes) throw new TypeError(`registry: ${FOLLOWER_UP_METRIC} is registered already, not by @tuneline/model-lifecycle`);
  probes.set(group, isFollowing);
}
