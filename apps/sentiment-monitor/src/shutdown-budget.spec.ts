import { runShutdownPlan, type StopStep } from '@tuneline/platform';
import { sentimentShutdownBudget } from './shutdown-budget';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('sentimentShutdownBudget with the platform plan', () => {
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

  it('gives the running phase 4/5 of the grace and the events phase nothing', () => {
    expect(sentimentShutdownBudget(10_000)).toEqual({ transportsMs: 8_000, eventsMs: 0 });
  });

  it('stops the running steps in parallel, then the resources last-started-first', async () => {
    const plan = { transports: [step('http', 20), step('score-stage', 10)], events: [], resources: [step('repository', 0), step('feeds', 0)] };
    await runShutdownPlan(plan, sentimentShutdownBudget(625), () => undefined);
    expect(log.slice(0, 2)).toEqual(['http start 500', 'score-stage start 500']);
    expect(log.slice(-4)).toEqual(['feeds start 0', 'feeds end', 'repository start 0', 'repository end']);
    expect(log.indexOf('repository start 0')).toBeGreaterThan(log.indexOf('http end'));
  });

  it('reports a failing step and an overrunning one, and still stops the resources', async () => {
    const problems: string[] = [];
    await runShutdownPlan(
      { transports: [step('grpc', 0, true), step('windows-stage', 1_000)], events: [], resources: [step('repository', 0)] },
      sentimentShutdownBudget(62),
      (name, problem) => problems.push(`${name} ${problem}`),
    );
    expect(problems.sort()).toEqual(['grpc failed', 'windows-stage overran']);
    expect(log).toContain('repository end');
  });
});
