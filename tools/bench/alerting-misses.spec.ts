import { alertingOptions } from '@tuneline/sentiment';
import type { StreamTruth } from '../replay/truth';
import { diagnoseMisses } from './alerting-misses';
import type { ReplayedItem } from './sentiment-alert-replay';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 6, 8);

describe('diagnoseMisses', () => {
  it('follows a missed surge through the windows of its key: items, predicted negatives, baselines, largest z', () => {
    // Acme: 12 items per 30 minutes, one negative in six, for 4 hours; at 10:05-10:20 six more
    // items the generator made negative, of which the model called two negative: too few.
    const calm: ReplayedItem[] = Array.from({ length: 96 }, (_, i) => ({
      id: `c${i}`, eventTimeMs: T0 + i * 2.5 * MIN, entities: ['Acme'], topic: 'earnings', sentiment: i % 6 === 0 ? 'negative' : 'neutral',
    }));
    const start = T0 + 125 * MIN;
    const surge: ReplayedItem[] = Array.from({ length: 6 }, (_, i) => ({
      id: `s${i}`, eventTimeMs: start + i * 2.5 * MIN + 1000, entities: ['Acme'], topic: 'earnings', sentiment: i < 2 ? 'negative' : 'neutral',
    }));
    const items = [...calm, ...surge].sort((a, b) => a.eventTimeMs - b.eventTimeMs);
    const s = { entity: 'Acme', key: 'entity:Acme', start: new Date(start).toISOString(), end: new Date(start + 15 * MIN).toISOString(), startMs: start, endMs: start + 15 * MIN, items: 6, negatives: 6 };
    const truth: StreamTruth = {
      version: 1, generator: 'spec', seed: 1, start: new Date(T0).toISOString(), end: new Date(T0 + 4 * 60 * MIN).toISOString(),
      items: items.length, surges: [s], steady: [], spikes: [], entities: {},
    } as unknown as StreamTruth;
    const d = diagnoseMisses(items, truth, alertingOptions());
    expect(d).toMatchObject({ detected: 0, surges: 1, lateDropped: 0 });
    expect(d.misses).toHaveLength(1);
    const [miss] = d.misses;
    expect(miss).toMatchObject({ items: 12, predictedNegatives: 3 });
    // 10:05-10:20 lies in the 10:00 window: its 12 calm items and the 6 injected ones, 12 of them inside the surge.
    expect(miss.windows.map((w) => [new Date(w.start).toISOString().slice(11, 16), w.items, w.inSurge, w.negatives])).toEqual([['10:00', 18, 12, 4]]);
    expect(miss.windows[0].shareMu).toBeCloseTo(1 / 6, 1);
    expect(miss.windows[0].maxZ).toBeLessThan(3);
    expect(miss.windows[0].inCooldown).toBe(0);
  });
});
