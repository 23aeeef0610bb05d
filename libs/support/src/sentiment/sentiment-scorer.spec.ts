import { scoreSentiment, type SentimentScorer } from './sentiment-scorer';

describe('scoreSentiment', () => {
  it('returns the score when the scorer answers in time', async () => {
    expect(await scoreSentiment({ scoreNegative: async () => 0.9 }, 'awful', 100)).toEqual({ status: 'scored', negative: 0.9 });
  });

  it('is absent without a scorer', async () => {
    expect(await scoreSentiment(undefined, 'x', 100)).toEqual({ status: 'absent' });
  });

  it('times out and aborts the scorer\'s work', async () => {
    let aborted = false;
    const slow: SentimentScorer = {
      scoreNegative: (_t, signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          setTimeout(() => resolve(0.99), 1_000).unref();
        }),
    };
    expect(await scoreSentiment(slow, 'x', 10)).toEqual({ status: 'timeout' });
    expect(aborted).toBe(true);
  });

  it('reports a failing scorer or an out-of-range score as failed instead of throwing', async () => {
    const boom = new Error('sentiment service down');
    expect(await scoreSentiment({ scoreNegative: async () => Promise.reject(boom) }, 'x', 100)).toEqual({ status: 'failed', error: boom });
    const bad = await scoreSentiment({ scoreNegative: async () => 1.5 }, 'x', 100);
    expect(bad.status).toBe('failed');
    expect(await scoreSentiment({ scoreNegative: async () => Number.NaN }, 'x', 100)).toMatchObject({ status: 'failed' });
  });
});
