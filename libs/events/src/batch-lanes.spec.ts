import { runInLanes } from './batch-lanes';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('runInLanes', () => {
  it('runs one lane in order and different lanes (and lane-less items) concurrently', async () => {
    const items = [
      { lane: 'a', ms: 20 },
      { lane: 'b', ms: 5 },
      { lane: 'a', ms: 1 },
      { lane: undefined, ms: 5 },
      { lane: undefined, ms: 5 },
    ];
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    await runInLanes(
      items,
      (item) => item.lane,
      async (item, index) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        log.push(`start ${index}`);
        await delay(item.ms);
        log.push(`end ${index}`);
        running--;
      },
    );
    expect(log.indexOf('end 0')).toBeLessThan(log.indexOf('start 2'));
    expect(log.indexOf('start 1')).toBeLessThan(log.indexOf('end 0'));
    expect(maxRunning).toBe(4); // a, b and the two lane-less items
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(items.length);
  });
});
