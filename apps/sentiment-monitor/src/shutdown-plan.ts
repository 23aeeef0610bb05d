/**
 * How the service stops within SHUTDOWN_GRACE_MS, the budget after which createShutdown
 * forces exit(1). Everything that serves or consumes (HTTP, gRPC, the two Kafka stages, the
 * per-replica feeds, the model follower) stops in parallel within 4/5 of it: nothing here
 * waits on another (unlike support-chat, no publisher flushes what the transports produced);
 * a stage that stops finishes or aborts its open transaction, and an aborted one is redone
 * by the next owner. The last fifth is left for the resources (the model repository),
 * stopped last-started-first after the stages no longer run inference.
 *
 * The same shape as libs/platform's shutdown-plan.ts (phases, `within`), kept apart while
 * this app's phases differ (one running phase of 4/5, no event flush).
 */

/** A stop step; `budgetMs` is the time its phase has. */
export interface StopStep {
  readonly name: string;
  stop(budgetMs: number): Promise<void>;
}

/** The steps by phase; `resources` in start-up order (stopped in reverse). */
export interface ShutdownPlan {
  readonly running: readonly StopStep[];
  readonly resources: readonly StopStep[];
}

/** The running phase's share of the grace. */
export function runningBudgetMs(graceMs: number): number {
  return Math.floor(graceMs * 0.8);
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
  runningMs: number,
  report: (name: string, problem: 'failed' | 'overran', err?: unknown) => void,
): Promise<void> {
  await Promise.all(
    plan.running.map(async ({ name, stop }) => {
      const ran = stop(runningMs).catch((err: unknown) => report(name, 'failed', err));
      if (!(await within(ran, runningMs))) report(name, 'overran');
    }),
  );
  for (const { name, stop } of [...plan.resources].reverse()) {
    try {
      await stop(0);
    } catch (err) {
      report(name, 'failed', err);
    }
  }
}
