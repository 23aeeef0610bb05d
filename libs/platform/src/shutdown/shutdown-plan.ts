/**
 * A service's stop in three phases within SHUTDOWN_GRACE_MS, the same budget after which
 * createShutdown forces exit(1): what serves or consumes (HTTP, gRPC, Kafka consumers, the
 * model follower) stops in parallel within half of it; then what publishes events flushes or
 * disconnects within 3/10 (so the last requests' events are sent, or counted as unsent,
 * before the forced exit); the last fifth is left for the resources (stores, clients,
 * models), stopped last-started-first. Used by support-chat and the recommender; the
 * sentiment-monitor gives its one running phase 4/5 and the events phase nothing.
 */

/** A stop step; `budgetMs` is the time its phase has. */
export interface StopStep {
  readonly name: string;
  stop(budgetMs: number): Promise<void>;
}

export interface ShutdownBudget {
  readonly transportsMs: number;
  readonly eventsMs: number;
}

export function shutdownBudget(graceMs: number): ShutdownBudget {
  return { transportsMs: Math.floor(graceMs * 0.5), eventsMs: Math.floor(graceMs * 0.3) };
}

/** The steps by phase; `resources` in start-up order (stopped in reverse). */
export interface ShutdownPlan {
  readonly transports: readonly StopStep[];
  readonly events: readonly StopStep[];
  readonly resources: readonly StopStep[];
}

/**
 * Resolves after `work` or after `ms`, whichever comes first (true when `work` finished in
 * time). A step that overruns its phase keeps running in the background, but no longer holds
 * up the next phase.
 */
export async function within(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the plan; a failing or overrunning step is reported and the rest still run. */
export async function runShutdownPlan(
  plan: ShutdownPlan,
  budget: ShutdownBudget,
  report: (name: string, problem: 'failed' | 'overran', err?: unknown) => void,
): Promise<void> {
  const phase = async (steps: readonly StopStep[], ms: number) => {
    await Promise.all(
      steps.map(async ({ name, stop }) => {
        const ran = stop(ms).catch((err: unknown) => report(name, 'failed', err));
        if (!(await within(ran, ms))) report(name, 'overran');
      }),
    );
  };
  await phase(plan.transports, budget.transportsMs);
  await phase(plan.events, budget.eventsMs);
  for (const { name, stop } of [...plan.resources].reverse()) {
    try {
      await stop(0);
    } catch (err) {
      report(name, 'failed', err);
    }
  }
}
