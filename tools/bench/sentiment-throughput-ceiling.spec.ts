import { closedLoopChunks } from './sentiment-throughput-ceiling';

describe('closedLoopChunks', () => {
  it('keeps `concurrency` chunks in flight, cycles the texts, starts none after the duration and counts every text finished', async () => {
    let clock = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: number[][] = [];
    const out = await closedLoopChunks({
      texts: ['a', 'b', 'c', 'd', 'e'],
      chunkSize: 2,
      concurrency: 3,
      durationMs: 100,
      now: () => clock,
      run: async (chunk, indexes) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        seen.push([...indexes]);
        expect(chunk).toEqual(indexes.map((i) => 'abcde'[i]));
        await Promise.resolve();
        clock += 10;
        inFlight--;
      },
    });
    expect(maxInFlight).toBe(3);
    expect(seen.slice(0, 3)).toEqual([[0, 1], [2, 3], [4, 0]]);
    // Each worker's chunk adds 10 ms: the clock passes 100 ms after 10 chunks; the two others in flight then finish too.
    expect(out.chunks).toBe(12);
    expect(out.texts).toBe(24);
    expect(out.seconds).toBeCloseTo(0.12);
    expect(out.textsPerSec).toBeCloseTo(200);
  });

  it('refuses bad settings, naming the field', async () => {
    const run = async () => undefined;
    await expect(closedLoopChunks({ texts: [], chunkSize: 1, concurrency: 1, durationMs: 1, run })).rejects.toThrow(/^texts:/);
    await expect(closedLoopChunks({ texts: ['a'], chunkSize: 0, concurrency: 1, durationMs: 1, run })).rejects.toThrow(/^chunkSize:/);
    await expect(closedLoopChunks({ texts: ['a'], chunkSize: 1, concurrency: 0, durationMs: 1, run })).rejects.toThrow(/^concurrency:/);
  });
});
