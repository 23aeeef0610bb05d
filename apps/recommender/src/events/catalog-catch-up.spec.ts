import { CatchUp } from './catalog-catch-up';

describe('CatchUp', () => {
  it('is reached when every non-empty partition handled its last record (high-water mark − 1); empty ones need nothing', async () => {
    const c = new CatchUp(new Map([[0, { low: '0', high: '3' }], [1, { low: '5', high: '5' }], [2, { low: '10', high: '12' }]]));
    expect(c.remaining()).toEqual([{ partition: 0, last: '2' }, { partition: 2, last: '11' }]);
    const waiting = c.wait(10_000);
    c.observe(0, '1');
    c.observe(2, '11');
    expect(c.done).toBe(false);
    c.observe(0, '2');
    await expect(waiting).resolves.toBe(true);
    expect(c.done).toBe(true);
  });

  it('a compacted gap or a record past the mark counts; it gives up after the timeout or on abort', async () => {
    const c = new CatchUp(new Map([[0, { low: '0', high: '100' }]]));
    await expect(c.wait(20)).resolves.toBe(false);
    const abort = new AbortController();
    const waiting = c.wait(10_000, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBe(false);
    c.observe(0, '105');
    await expect(c.wait(10_000)).resolves.toBe(true);
    await expect(new CatchUp(new Map()).wait(1)).resolves.toBe(true);
  });
});
