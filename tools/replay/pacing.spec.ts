import { paceRecords, parseRate } from './pacing';

/** A fake clock: sleep advances time; send takes `sendMs`. */
function fakeClock(sendMs = 0) {
  let t = 1_000;
  const sends: { at: number; batch: number[] }[] = [];
  return {
    sends,
    now: () => t,
    sleep: async (ms: number) => void (t += ms),
    send: async (batch: number[]) => {
      sends.push({ at: t, batch });
      t += sendMs;
    },
  };
}

const records = Array.from({ length: 10 }, (_, i) => i);

describe('paceRecords', () => {
  it('sends everything in batches without pacing', async () => {
    const c = fakeClock();
    const r = await paceRecords(records, { ...c, batchSize: 4 });
    expect(c.sends.map((s) => s.batch)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(r).toEqual({ sent: 10, elapsedMs: 0, aborted: false });
  });

  it('paces at the rate: record i goes out at start + i/rate', async () => {
    const c = fakeClock();
    const r = await paceRecords(records, { ...c, ratePerSec: 5 });
    expect(c.sends.map((s) => s.at - 1_000)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
    expect(r.sent).toBe(10);
  });

  it('catches up after a slow send by sending what is due in one batch', async () => {
    const c = fakeClock(700);
    await paceRecords(records, { ...c, ratePerSec: 5 });
    expect(c.sends[1]?.batch).toEqual([1, 2, 3]); // at 700 ms records 1..3 are due (4 is due at 800)
    expect(c.sends.flatMap((s) => s.batch)).toEqual(records);
  });

  it('stops on abort after the batch in flight', async () => {
    const c = fakeClock();
    const abort = new AbortController();
    const r = await paceRecords(records, { ...c, batchSize: 3, signal: abort.signal, onBatch: (n) => n >= 3 && abort.abort() });
    expect(r).toMatchObject({ sent: 3, aborted: true });
  });

  it('rejects a bad rate or batch size', async () => {
    await expect(paceRecords(records, { ...fakeClock(), ratePerSec: 0 })).rejects.toThrow(/^ratePerSec/);
    await expect(paceRecords(records, { ...fakeClock(), batchSize: 0 })).rejects.toThrow(/^batchSize/);
  });
});

describe('parseRate', () => {
  it.each([['20/s', 20], ['20', 20], ['2.5/s', 2.5], [' 7 / s ', 7]])('%j → %d', (text, rate) => expect(parseRate(text)).toBe(rate));
  it.each(['0', '-1/s', 'fast', '20/m'])('rejects %j', (text) => expect(() => parseRate(text)).toThrow(/^rate: /));
});
