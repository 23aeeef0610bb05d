import { runShutdownPlan, runningBudgetMs, type StopStep } from './shutdown-plan';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

  it('gives the running phase 4/5 of the grace', () => {
    expect(runningBudgetMs(10_000)).toBe(8_000);
  });

  it('stops the running steps in parallel, then the resources last-started-first', async () => {
    await runShutdownPlan({ running: [step('http', 20), step('score-stage', 10)], resources: [step('repository', 0), step('feeds', 0)] }, 500, () => undefined);
    expect(log.slice(0, 2)).toEqual(['http start 500', 'score-stage start 500']);
    expect(log.slice(-4)).toEqual(['feeds start 0', 'feeds end', 'repository start 0', 'repository end']);
    expect(log.indexOf('repository start 0')).toBeGreaterThan(log.indexOf('http end'));
  });

  it('reports a failing step and an overrunning one, and still stops the resources', async () => {
    const problems: string[] = [];
    await runShutdownPlan(
      { running: [step('grpc', 0, true), step('windows-stage', 1_000)], resources: [step('repository', 0)] },
      50,
      (name, problem) => problems.push(`${name} ${problem}`),
    );
    expect(problems.sort()).toEqual(['grpc failed', 'windows-stage overran']);
    expect(log).toContain('repository end');
  });
});
