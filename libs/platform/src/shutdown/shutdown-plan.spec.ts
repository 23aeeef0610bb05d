import { runShutdownPlan, shutdownBudget, type StopStep } from './shutdown-plan';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('shutdownBudget', () => {
  it('splits the grace: half for the transports, 3/10 for the events, the rest left over', () => {
    expect(shutdownBudget(10_000)).toEqual({ transportsMs: 5_000, eventsMs: 3_000 });
    const { transportsMs, eventsMs } = shutdownBudget(7);
    expect(transportsMs + eventsMs).toBeLessThan(7);
  });
});

describe('runShutdownPlan', () => {
  const log: string[] = [];
  const step = (name: string, ms: number, fail = false): StopStep => ({
    name,
    stop: async (budgetMs) => {
      log.push(`${name} start ${budgetMs}`);
      await sleep(ms);
      log.push(`${name} end`);
      if (fail) throw new Error(`${name} broke`);
    },
  });
  beforeEach(() => (log.length = 0));

  it('stops the transports and the follower in parallel, then the events, then the resources last-started-first', async () => {
    await runShutdownPlan(
      { transports: [step('http', 30), step('grpc', 20), step('follower', 10)], events: [step('events', 5)], resources: [step('repository', 0), step('sessions', 0)] },
      { transportsMs: 500, eventsMs: 300 },
      () => undefined,
    );
    expect(log.slice(0, 3)).toEqual(['http start 500', 'grpc start 500', 'follower start 500']);
    expect(log.indexOf('events start 300')).toBe(log.indexOf('http end') + 1);
    expect(log.slice(-4)).toEqual(['sessions start 0', 'sessions end', 'repository start 0', 'repository end']);
  });

  it('a transport that overruns its half is cut, so the events still get their share before the grace runs out', async () => {
    const problems: string[] = [];
    const grace = 400;
    const budget = shutdownBudget(grace);
    const started = Date.now();
    let eventsBudget = -1;
    let eventsStartedAt = -1;
    await runShutdownPlan(
      {
        transports: [{ name: 'grpc', stop: () => new Promise<void>(() => undefined) }, step('http', 10, true)],
        events: [{ name: 'events', stop: async (ms) => void ((eventsBudget = ms), (eventsStartedAt = Date.now() - started)) }],
        resources: [],
      },
      budget,
      (name, problem) => problems.push(`${name} ${problem}`),
    );
    expect(eventsBudget).toBe(budget.eventsMs);
    expect(eventsStartedAt).toBeGreaterThanOrEqual(budget.transportsMs - 5);
    expect(eventsStartedAt + eventsBudget).toBeLessThan(grace);
    expect(Date.now() - started).toBeLessThan(grace);
    expect(problems.sort()).toEqual(['grpc overran', 'http failed']);
  });
});
