import { abandonAfterMs, settlesWithin } from './stop-budget';

describe('abandonAfterMs', () => {
  it('keeps a quarter of the budget, at most 1 s, for closing after the work in flight is abandoned', () => {
    expect([0, 2, 400, 3_000, 30_000].map(abandonAfterMs)).toEqual([0, 2, 300, 2_250, 29_000]);
  });

  it('refuses a negative or non-finite timeout, naming it', () => {
    expect(() => abandonAfterMs(-1)).toThrow(new RangeError('timeoutMs: expected a number >= 0, got -1'));
    expect(() => abandonAfterMs(Number.POSITIVE_INFINITY)).toThrow(/timeoutMs/);
  });
});

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is true when the work resolves or rejects in time, false when it is still running at the deadline', async () => {
    const rejected = settlesWithin(Promise.reject(new Error('failed')), 100);
    const hung = settlesWithin(new Promise(() => undefined), 100);
    const late = settlesWithin(new Promise((resolve) => setTimeout(resolve, 150)), 100);
    await jest.advanceTimersByTimeAsync(100);
    expect(await Promise.all([rejected, hung, late])).toEqual([true, false, false]);
  });
});
