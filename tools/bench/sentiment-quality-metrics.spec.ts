import { evaluate } from '@tuneline/finetune';
import type { SentimentAlert } from '@tuneline/sentiment';
import { entityAlertOf, labelMetrics, matchSurges, median, recallBy, surgeOrdinals, type EntityAlert, type SurgeWindow } from './sentiment-quality-metrics';

const LABELS = ['negative', 'neutral', 'positive'];

describe('labelMetrics', () => {
  // negative: 2 of 3 found, 1 neutral called negative → P 2/3, R 2/3.
  // neutral: 1 of 2 found, 3 called neutral → P 1/3, R 1/2, F1 0.4.
  // positive: 4 of 5 found, none wrongly → P 1, R 0.8, F1 8/9.
  const gold = ['negative', 'negative', 'negative', 'neutral', 'neutral', 'positive', 'positive', 'positive', 'positive', 'positive'];
  const predicted = ['negative', 'neutral', 'negative', 'neutral', 'negative', 'positive', 'positive', 'neutral', 'positive', 'positive'];

  it('gives accuracy, per-class P/R/F1 and macro-F1 as computed by hand', () => {
    const m = labelMetrics(gold, predicted, LABELS);
    expect(m.count).toBe(10);
    expect(m.accuracy).toBeCloseTo(0.7, 12);
    expect(m.perClass['negative']).toEqual({ precision: expect.closeTo(2 / 3, 12), recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(2 / 3, 12), support: 3 });
    expect(m.perClass['neutral']).toEqual({ precision: expect.closeTo(1 / 3, 12), recall: 0.5, f1: expect.closeTo(0.4, 12), support: 2 });
    expect(m.perClass['positive']).toEqual({ precision: 1, recall: 0.8, f1: expect.closeTo(8 / 9, 12), support: 5 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.4 + 8 / 9) / 3, 12);
    expect(m.confusion).toEqual([[2, 1, 0], [1, 1, 0], [0, 1, 4]]);
  });

  it('averages macro-F1 over the labels present in gold (a never-seen label does not count as 0)', () => {
    const m = labelMetrics(['negative', 'neutral'], ['negative', 'positive'], LABELS);
    expect(m.perClass['positive']).toMatchObject({ precision: 0, recall: 0, support: 0 });
    expect(m.macroF1).toBe(0.5);
  });

  it('agrees with libs/finetune evaluate on the argmax of probabilities', () => {
    const P = new Float64Array([0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.2, 0.5, 0.3, 0.4, 0.35, 0.25]);
    const targets = Int32Array.from([0, 2, 2, 1]);
    const ref = evaluate(P, 4, LABELS, targets);
    const m = labelMetrics(['negative', 'positive', 'positive', 'neutral'], ['negative', 'positive', 'neutral', 'negative'], LABELS);
    expect(m.accuracy).toBe(ref.accuracy);
    expect(m.macroF1).toBe(ref.macroF1);
  });

  it('refuses mismatched lengths, unknown labels and empty input, naming the field', () => {
    expect(() => labelMetrics([], [], LABELS)).toThrow(/gold: no rows/);
    expect(() => labelMetrics(['negative'], [], LABELS)).toThrow(/predicted: 0 labels for 1/);
    expect(() => labelMetrics(['bad'], ['negative'], LABELS)).toThrow(/gold\[0\]: "bad"/);
    expect(() => labelMetrics(['negative'], ['bad'], LABELS)).toThrow(/predicted\[0\]: "bad"/);
    expect(() => labelMetrics(['a'], ['a'], ['a', 'a'])).toThrow(RangeError);
  });
});

describe('matchSurges', () => {
  const S = 1000;
  const surges: SurgeWindow[] = [
    { entity: 'A', startMs: 1000 * S, endMs: 2800 * S },
    { entity: 'B', startMs: 5000 * S, endMs: 6000 * S },
    { entity: 'A', startMs: 10_000 * S, endMs: 11_000 * S },
  ];
  const alert = (alertId: string, entity: string, from: number, to: number, trigger: number): EntityAlert =>
    ({ alertId, entity, windowStartMs: from * S, windowEndMs: to * S, triggerMs: trigger * S });

  it('counts a surge detected when an alert of its entity overlaps it; an alert true when it overlaps a surge of its entity', () => {
    const m = matchSurges(surges, [
      alert('a1', 'A', 900, 1800, 1300), // first surge of A, 300 s after its start
      alert('a2', 'A', 1800, 2700, 2000), // same surge again: matched, but not the first
      alert('a3', 'B', 0, 900, 500), // B, hours before its surge: false
      alert('a4', 'A', 4800, 5700, 5100), // during B's surge, but about A: false
      alert('a5', 'A', 2700, 3600, 3000), // window still overlaps A's first surge by 100 s: matched
    ]);
    expect(m).toMatchObject({ surges: 3, detected: 1, alerts: 5, matchedAlerts: 3, recall: 1 / 3, precision: 0.6, delayMedianSec: 300 });
    expect(m.perSurge.map((o) => [o.alerts, o.delaySec])).toEqual([[3, 300], [0, null], [0, null]]);
    expect(m.falseAlerts.map((a) => a.alertId)).toEqual(['a3', 'a4']);
  });

  it('treats windows as half-open: a window ending at the surge start does not overlap it', () => {
    const m = matchSurges(surges.slice(0, 1), [alert('x', 'A', 100, 1000, 900)]);
    expect(m).toMatchObject({ detected: 0, matchedAlerts: 0, precision: 0, delayMedianSec: null });
  });

  it('reports a negative delay when the overlapping window fired on an item before the surge began', () => {
    expect(matchSurges(surges.slice(0, 1), [alert('x', 'A', 900, 1800, 950)]).delayMedianSec).toBe(-50);
  });

  it('median delay over detected surges only', () => {
    const m = matchSurges(surges, [alert('1', 'A', 900, 1800, 1100), alert('2', 'B', 4500, 5400, 5400), alert('3', 'A', 10_800, 11_700, 11_000)]);
    expect(m.perSurge.map((o) => o.delaySec)).toEqual([100, 400, 1000]);
    expect(m.delayMedianSec).toBe(400);
    expect(m.recall).toBe(1);
    expect(m.precision).toBe(1);
  });

  it('no alerts: recall 0, precision 1 (no false alert given); no surges: recall 0', () => {
    expect(matchSurges(surges, [])).toMatchObject({ recall: 0, precision: 1, delayMedianSec: null });
    expect(matchSurges([], [alert('x', 'A', 0, 900, 10)])).toMatchObject({ recall: 0, precision: 0 });
  });

  it('refuses empty or reversed windows, naming the item', () => {
    expect(() => matchSurges([{ entity: 'A', startMs: 5, endMs: 5 }], [])).toThrow(/surges\[0\]/);
    expect(() => matchSurges(surges, [alert('x', 'A', 9, 3, 4)])).toThrow(/alerts\[0\]/);
    expect(() => matchSurges(surges, [{ ...alert('x', 'A', 0, 900, 1), triggerMs: Number.NaN }])).toThrow(/alerts\[0\]\.triggerMs/);
  });
});

describe('recall breakdowns', () => {
  const S = 1000;
  const surges: SurgeWindow[] = [
    { entity: 'B', startMs: 9000 * S, endMs: 9600 * S },
    { entity: 'A', startMs: 1000 * S, endMs: 2200 * S },
    { entity: 'A', startMs: 5000 * S, endMs: 7400 * S },
    { entity: 'B', startMs: 500 * S, endMs: 1700 * S },
  ];
  const m = matchSurges(surges, [{ alertId: 'x', entity: 'A', windowStartMs: 900 * S, windowEndMs: 1800 * S, triggerMs: 1100 * S },
    { alertId: 'y', entity: 'B', windowStartMs: 9000 * S, windowEndMs: 9900 * S, triggerMs: 9100 * S }]);

  it('numbers each entity\'s surges by start time, whatever the input order', () => {
    expect(surgeOrdinals(m.perSurge)).toEqual([2, 1, 2, 1]);
  });

  it('counts surges and detected ones per group', () => {
    const ord = surgeOrdinals(m.perSurge);
    expect(recallBy(m.perSurge, (_, i) => `#${ord[i]}`)).toEqual({ '#1': { surges: 2, detected: 1 }, '#2': { surges: 2, detected: 1 } });
    expect(recallBy(m.perSurge, (o) => ((o.surge.endMs - o.surge.startMs) / 60_000 >= 30 ? 'long' : 'short')))
      .toEqual({ short: { surges: 3, detected: 2 }, long: { surges: 1, detected: 0 } }); // 10, 20, 20 min vs 40 min
  });
});

describe('entityAlertOf', () => {
  const base = {
    alertId: 'id-1', kind: 'entity', name: 'Acme', key: 'entity:Acme', windowStart: '2025-01-06T10:00:00.000Z', windowEnd: '2025-01-06T10:15:00.000Z',
    eventTime: '2025-01-06T10:07:30.000Z',
  } as unknown as SentimentAlert;

  it('reads the window and the trigger time from the ISO fields', () => {
    expect(entityAlertOf(base)).toEqual({ alertId: 'id-1', entity: 'Acme', windowStartMs: Date.UTC(2025, 0, 6, 10), windowEndMs: Date.UTC(2025, 0, 6, 10, 15), triggerMs: Date.UTC(2025, 0, 6, 10, 7, 30) });
  });

  it('refuses topic alerts and bad times', () => {
    expect(() => entityAlertOf({ ...base, kind: 'topic' })).toThrow(/kind is topic/);
    expect(() => entityAlertOf({ ...base, eventTime: 'soon' })).toThrow(/eventTime/);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(() => median([])).toThrow(RangeError);
  });
});
