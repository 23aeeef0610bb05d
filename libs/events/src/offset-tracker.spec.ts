import { OffsetTracker } from './offset-tracker';
import { Semaphore } from './semaphore';

describe('OffsetTracker', () => {
  it('only advances over a contiguous done prefix', () => {
    const tracker = new OffsetTracker(['10', '11', '12', '13']);
    expect(tracker.complete(1)).toBeUndefined();
    expect(tracker.complete(3)).toBeUndefined();
    expect(tracker.completedPrefix).toBe(0);
    expect(tracker.complete(0)).toBe('11');
    expect(tracker.completedPrefix).toBe(2);
    expect(tracker.complete(2)).toBe('13');
    expect(tracker.completedPrefix).toBe(4);
  });

  it('rejects indexes outside the batch', () => {
    expect(() => new OffsetTracker(['1']).complete(1)).toThrow(RangeError);
  });
});

describe('Semaphore', () => {
  it('lets at most N holders in, in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const order: number[] = [];
    const r1 = await semaphore.acquire();
    const r2 = await semaphore.acquire();
    const third = semaphore.acquire().then((release) => {
      order.push(3);
      return release;
    });
    const fourth = semaphore.acquire().then((release) => {
      order.push(4);
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    r1();
    r1(); // a second release of the same permit is ignored
    (await third)();
    r2();
    (await fourth)();
    expect(order).toEqual([3, 4]);
  });

  it('rejects a non-positive size', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
