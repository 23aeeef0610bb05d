import type { ShutdownBudget } from '@tuneline/platform';

/**
 * How this service spends SHUTDOWN_GRACE_MS with libs/platform's shutdown plan: everything that
 * serves or consumes (HTTP, gRPC, the two Kafka stages, the per-replica feeds, the model
 * follower) stops in parallel within 4/5 of it. There is no events phase: nothing here waits
 * on a publisher (unlike support-chat); a stage that stops finishes or aborts its open
 * transaction, and an aborted one is redone by the next owner. The last fifth is left for the
 * resources (the model repository), stopped after the stages no longer run inference.
 */
export function sentimentShutdownBudget(graceMs: number): ShutdownBudget {
  return { transportsMs: Math.floor(graceMs * 0.8), eventsMs: 0 };
}
