import { AlertEngine } from './alert-engine';
import { alertIdOf } from './alert-id';
import { alertingOptions } from './options';
import { ALERT_ENGINE_SNAPSHOT_VERSION, parseAlertEngineSnapshot } from './snapshot';
import { alertSnapshotErrorCode } from './snapshot-errors';
import { MAX_SOURCES } from './source-clocks';
import { ev, feed, MIN, steady, T0, WINDOW } from './spec-streams';

const ACME = 'entity:Acme';
/** The defaults on 15-minute windows: the figures below were worked out for the spec streams' WINDOW. */
const O15 = alertingOptions({ windowMs: WINDOW });

describe('AlertEngine', () => {
  it('a surge fires exactly one alert with the expected figures', () => {
    const engine = new AlertEngine(O15);
    // Six windows of 10 items, 2 negative: the share baseline is 0.2 with no spread, the count baseline 2.
    expect(feed(engine, steady(ACME, 0, 5, [3, 7]))).toEqual([]);
    // Window 6: four neutral items, then only negatives (more negative each).
    const surge = Array.from({ length: 20 }, (_, i) =>
      ev(ACME, T0 + 6 * WINDOW + i * 30_000, i >= 4, { negativeProb: i >= 4 ? 0.6 + i / 100 : 0.05 }),
    );
    const alerts = feed(engine, surge);
    expect(alerts).toHaveLength(1);
    const [a] = alerts;
    // The 13th item (9 of 13 negative) is the first whose z reaches 3 (the 12th: 2.97):
    // z = ((9 − ½)/13 − 0.2) / √(m(1 − m)/13), m = (0.2 + 9/13)/2.
    const m = (0.2 + 9 / 13) / 2;
    const se = Math.sqrt((m * (1 - m)) / 13);
    expect(a).toMatchObject({
      kind: 'entity',
      name: 'Acme',
      key: ACME,
      rule: 'negative-share',
      severity: 'warning',
      totalCount: 13,
      negativeCount: 9,
      windowStart: new Date(T0 + 6 * WINDOW).toISOString(),
      windowEnd: new Date(T0 + 7 * WINDOW).toISOString(),
      triggerItemId: surge[12].itemId,
      eventTime: new Date(surge[12].eventTimeMs).toISOString(),
      modelVersion: 'financial-sentiment@1',
      alertId: alertIdOf(ACME, T0 + 6 * WINDOW, WINDOW),
    });
    expect(a.negativeShare).toBeCloseTo(9 / 13, 12);
    expect(a.baselineNegativeShare).toBeCloseTo(0.2, 12);
    expect(a.baselineStd).toBeCloseTo(se, 12);
    expect(a.zScore).toBeCloseTo((8.5 / 13 - 0.2) / se, 9);
    expect(a.zScore).toBeGreaterThan(3);
    expect(a.surgeRatio).toBeCloseTo(9 / 13 / 0.2, 9);
    // Count 9 against a steady 2: (9 − ½ − 2) / √((2 + 9)/2).
    expect(a.volumeZScore).toBeCloseTo(6.5 / Math.sqrt(5.5), 9);
    expect(a.topHeadlines.map((h) => h.id)).toEqual([12, 11, 10, 9, 8].map((i) => surge[i].itemId));
    expect(engine.stats().alertsRaised).toBe(1);
  });

  it('a steady stream fires none, also while the key is new', () => {
    const engine = new AlertEngine(O15);
    const events = [...steady(ACME, 0, 60, [0, 4, 8]), ...steady('topic:rates', 0, 60, [1, 5], 9)].sort(
      (a, b) => a.eventTimeMs - b.eventTimeMs,
    );
    expect(feed(engine, events)).toEqual([]);
    expect(engine.stats()).toMatchObject({ keys: 2, lateDropped: 0 });
  });

  it('below minVolume none fires; the item that reaches it does', () => {
    const engine = new AlertEngine(O15);
    feed(engine, steady(ACME, 0, 5, [3, 7]));
    // 7 items, all negative: far out, but below minVolume 8.
    expect(feed(engine, steady(ACME, 6, 6, [0, 1, 2, 3, 4, 5, 6], 7))).toEqual([]);
    // The eighth: z = (7.5/8 − 0.2) / √(0.6·0.4/8) = 4.26.
    const [a, ...rest] = feed(engine, [ev(ACME, T0 + 6 * WINDOW + 7 * MIN, true)]);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ negativeCount: 8, totalCount: 8, severity: 'warning' });
    expect(a.zScore).toBeCloseTo((7.5 / 8 - 0.2) / Math.sqrt(0.24 / 8), 9);
  });

  it('below minNegative none fires; the negative that reaches it does', () => {
    const engine = new AlertEngine(alertingOptions({ windowMs: WINDOW, minNegative: 6 }));
    feed(engine, steady(ACME, 0, 5, [], 10)); // baseline share 0
    // 8 items, 5 negative: z = 3.43, but below minNegative 6 ...
    expect(feed(engine, steady(ACME, 6, 6, [0, 1, 2, 3, 4], 8))).toEqual([]);
    // ... the sixth negative fires.
    const [a, ...rest] = feed(engine, [ev(ACME, T0 + 6 * WINDOW + 8 * MIN, true)]);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ negativeCount: 6, totalCount: 9, rule: 'negative-share', baselineNegativeShare: 0 });
  });

  describe('cooldown', () => {
    // Two all-negative windows of 14 items in a row after a calm baseline; α small so the
    // first surge does not teach the baseline enough to hide the second.
    const ALL = Array.from({ length: 14 }, (_, i) => i);
    const stream = () => [...steady(ACME, 0, 5, [3, 7]), ...steady(ACME, 6, 7, ALL, 14)];

    it('without cooldown each window fires at most once, by the first rule that fires', () => {
      const engine = new AlertEngine(alertingOptions({ windowMs: WINDOW, cooldownMs: 0, ewmaAlpha: 0.05 }));
      const events = stream();
      const alerts = feed(engine, events);
      expect(alerts.map((a) => [a.windowStart, a.rule])).toEqual([
        [new Date(T0 + 6 * WINDOW).toISOString(), 'negative-share'],
        [new Date(T0 + 7 * WINDOW).toISOString(), 'negative-share'],
      ]);
      expect(alerts.map((a) => a.alertId)).toEqual([alertIdOf(ACME, T0 + 6 * WINDOW, WINDOW), alertIdOf(ACME, T0 + 7 * WINDOW, WINDOW)]);
      // Window 7's alert comes with its 8th item (minVolume).
      expect(alerts[1].triggerItemId).toBe(events[60 + 14 + 7].itemId);
    });

    it('a window whose share is usual but whose count surges raises one negative-volume alert, same id formula', () => {
      const engine = new AlertEngine(O15);
      feed(engine, steady(ACME, 0, 5, [0, 1, 2, 3, 4])); // share 0.5, 5 negatives a window
      const busy = Array.from({ length: 40 }, (_, i) => ev(ACME, T0 + 6 * WINDOW + i * 20_000, i % 2 === 0));
      const alerts = feed(engine, busy);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ rule: 'negative-volume', alertId: alertIdOf(ACME, T0 + 6 * WINDOW, WINDOW) });
      expect(alerts[0].zScore).toBeLessThan(3);
      expect(alerts[0].volumeZScore).toBeGreaterThanOrEqual(3);
    });

    it('an alert silences its key for cooldownMs of event time, then it may fire again', () => {
      const engine = new AlertEngine(alertingOptions({ windowMs: WINDOW, cooldownMs: 20 * MIN, ewmaAlpha: 0.05 }));
      const events = stream();
      const alerts = feed(engine, events);
      // Window 6 fires at its 8th item (6 × 15 + 7 min); window 7 is silent until 20 minutes
      // later (7 × 15 + 12 min), then fires for that item.
      expect(alerts.map((a) => [a.windowStart, a.rule, a.triggerItemId])).toEqual([
        [new Date(T0 + 6 * WINDOW).toISOString(), 'negative-share', events[60 + 7].itemId],
        [new Date(T0 + 7 * WINDOW).toISOString(), 'negative-share', events[60 + 14 + 12].itemId],
      ]);
      // With the default hour, the second surge stays silent.
      expect(feed(new AlertEngine(alertingOptions({ windowMs: WINDOW, ewmaAlpha: 0.05 })), stream())).toHaveLength(1);
    });
  });

  it('a surge does not poison the baselines: its alerted window is not learned, the window after it only up to the alerting level', () => {
    const engine = new AlertEngine(O15);
    feed(engine, steady(ACME, 0, 5, [3, 7])); // share 0.2, 2 negatives a window
    // Two surge windows of 20 items, 16 negative: the first alerts, the second is in cooldown.
    const surge = [6, 7].flatMap((w) => Array.from({ length: 20 }, (_, i) => ev(ACME, T0 + w * WINDOW + i * 40_000, i >= 4)));
    expect(feed(engine, surge)).toHaveLength(1);
    feed(engine, steady(ACME, 8, 8, [3, 7])); // closes (and folds) windows 6 and 7
    const key = engine.snapshot().keys.find((k) => k.key === ACME);
    // Learned as they came, the two windows would leave a count mean of 7.0 (σ 6.7) and a share
    // mean of 0.42: the key's next surge would have to be far larger to alert. Window 7 counts
    // as 2 + 3 × √2 = 6.2 negatives and a share of 0.2 + 3 × 0.09 = 0.47 at most.
    expect(key?.baselines).toHaveLength(1);
    expect(key?.baselines[0]?.volume.mean).toBeCloseTo(2 + 0.2 * 3 * Math.sqrt(2), 9);
    expect(key?.baselines[0]?.share.mean).toBeCloseTo(0.2 + 0.2 * 3 * Math.sqrt((0.2 * 0.8) / 20), 9);
  });

  it('late events within allowedLateness count; beyond it they are dropped and counted', () => {
    const engine = new AlertEngine(O15);
    feed(engine, steady(ACME, 0, 5, [3, 7]));
    // Window 6 gets 7 negatives (below minVolume), then the key moves into window 7.
    feed(engine, steady(ACME, 6, 6, [0, 1, 2, 3, 4, 5, 6], 7));
    expect(feed(engine, [ev(ACME, T0 + 7 * WINDOW + MIN, false)])).toEqual([]); // watermark: window 7 + 1 min − 2 min
    // A late negative for window 6, still open: it counts and completes the surge.
    const late = ev(ACME, T0 + 7 * WINDOW - 30_000, true);
    const [a] = feed(engine, [late]);
    expect(a).toMatchObject({ windowStart: new Date(T0 + 6 * WINDOW).toISOString(), totalCount: 8, negativeCount: 8, triggerItemId: late.itemId });
    // The key reaches window 7 + 3 min: window 6 closed (its end + 2 min passed) → dropped.
    feed(engine, [ev(ACME, T0 + 7 * WINDOW + 3 * MIN, false)]);
    const before = engine.stats();
    expect(feed(engine, [ev(ACME, T0 + 7 * WINDOW - 10_000, true)])).toEqual([]);
    expect(engine.stats().lateDropped).toBe(before.lateDropped + 1);
    expect(before.lateDropped).toBe(0);
    expect(engine.snapshot().keys[0].windows.map((w) => [w.start, w.total])).toEqual([[T0 + 7 * WINDOW, 2]]);
  });

  describe('sources', () => {
    const at = (m: number) => T0 + m * MIN;

    it('an item is late only when it is older than its own source allows: a source far ahead does not make a slower one late', () => {
      const engine = new AlertEngine(O15);
      // Source 1 starts; source 0 runs 25 minutes ahead, then source 1 catches up; twice.
      feed(engine, [ev(ACME, at(0), false, { source: '1' })]);
      for (const [from, to] of [[0, 25], [25, 50]]) {
        feed(engine, Array.from({ length: to - from }, (_, i) => ev(ACME, at(from + i), false, { source: '0' })));
        expect(engine.stats().watermarkMs).toBeLessThan(at(from));
        feed(engine, Array.from({ length: to - from }, (_, i) => ev(ACME, at(from + i), false, { source: '1' })));
      }
      expect(engine.stats()).toMatchObject({ lateDropped: 0, sources: 2, watermarkMs: at(49 - 2) });
      // Within a source, more than allowedLatenessMs behind its newest item is late once the window closed.
      feed(engine, [ev(ACME, at(60), false, { source: '0' }), ev(ACME, at(60), false, { source: '1' })]);
      expect(feed(engine, [ev(ACME, at(44), true, { source: '0' })])).toEqual([]);
      expect(engine.stats().lateDropped).toBe(1);
    });

    it('windows close on the slowest active source; a source idle for sourceIdleMs stops holding them open, and its old items are then late', () => {
      const engine = new AlertEngine(alertingOptions({ windowMs: WINDOW, sourceIdleMs: 30 * MIN }));
      feed(engine, [ev(ACME, at(0), false, { source: '0' }), ev(ACME, at(1), false, { source: '1' })]);
      // Source 0 goes on alone: source 1 holds the watermark at its 1 minute − 2 ...
      feed(engine, Array.from({ length: 30 }, (_, m) => ev(ACME, at(2 + m), false, { source: '0' })));
      expect(engine.stats().watermarkMs).toBe(at(-1));
      // ... until it is more than 30 minutes behind: then only source 0 counts, and the
      // windows [0, 15) and [15, 30) close.
      // (The partition clock is a source's second newest time: 32 once 33 arrived.)
      feed(engine, [ev(ACME, at(32), false, { source: '0' })]);
      expect(engine.stats()).toMatchObject({ watermarkMs: at(-1), openWindows: 3 });
      feed(engine, [ev(ACME, at(33), false, { source: '0' })]);
      expect(engine.stats()).toMatchObject({ watermarkMs: at(31), openWindows: 1 });
      feed(engine, [ev(ACME, at(40), false, { source: '0' })]);
      expect(engine.stats()).toMatchObject({ watermarkMs: at(38), openWindows: 1 });
      // Source 1 comes back with an item of the closed first window: late. A current one counts.
      expect(feed(engine, [ev(ACME, at(5), true, { source: '1' })])).toEqual([]);
      expect(engine.stats().lateDropped).toBe(1);
      feed(engine, [ev(ACME, at(39), true, { source: '1' })]);
      expect(engine.stats().lateDropped).toBe(1);
      expect(engine.snapshot().keys[0].windows).toEqual([expect.objectContaining({ start: at(30), negative: 1 })]);
    });

    it('a new engine waits sourceIdleMs for sources it has not seen yet', () => {
      const engine = new AlertEngine(alertingOptions({ windowMs: WINDOW, sourceIdleMs: 30 * MIN }));
      feed(engine, Array.from({ length: 25 }, (_, m) => ev(ACME, at(m), false, { source: '0' })));
      expect(engine.stats().watermarkMs).toBe(at(-30)); // the first event − sourceIdleMs, not 24 − 2
      // A source first heard from now, whose items start 20 minutes before the first event seen
      // (its partition's first chunk came later), is not dropped as late.
      feed(engine, [ev(ACME, at(-20), true, { source: '4' }), ev(ACME, at(0), true, { source: '4' })]);
      expect(engine.stats()).toMatchObject({ lateDropped: 0, sources: 2 });
    });

    // The score stage refuses items far in the future (SENTIMENT_MAX_FUTURE_MS); should one
    // get through anyway, it must not stop the partition.
    it('one item far in the future in one of two sources neither idles the other nor evicts other keys', () => {
      const engine = new AlertEngine(alertingOptions({ windowMs: WINDOW, idleKeyTtlMs: 60 * MIN }));
      const calm = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) => ['0', '1'].map((source) => ev(ACME, at(from + i), false, { source }))).flat();
      feed(engine, calm(0, 40));
      feed(engine, [ev('entity:Other', Date.UTC(9999, 0, 1), true, { source: '1' })]);
      feed(engine, calm(40, 80));
      expect(engine.stats()).toMatchObject({ keys: 2, evictedKeys: 0, lateDropped: 0, watermarkMs: at(79 - 2) });
      expect(engine.snapshot().keys.map((k) => k.key)).toEqual(['entity:Other', ACME]);
    });

    it('keeps at most MAX_SOURCES sources, forgetting the one furthest behind', () => {
      const engine = new AlertEngine(O15);
      feed(engine, Array.from({ length: MAX_SOURCES + 1 }, (_, i) => ev(ACME, at(i), false, { source: `s${i}` })));
      const sources = engine.snapshot().sources.map((c) => c.source);
      expect(sources).toHaveLength(MAX_SOURCES);
      expect(sources).not.toContain('s0');
      expect(sources).toContain(`s${MAX_SOURCES}`);
    });
  });

  it('sliding windows: each event counts in window/hop windows; one surge fires once, for the oldest window', () => {
    const options = alertingOptions({ windowMs: 15 * MIN, hopMs: 5 * MIN });
    const engine = new AlertEngine(options);
    engine.process(ev(ACME, T0 + 7 * MIN, false));
    expect(engine.stats().openWindows).toBe(3);
    expect(engine.snapshot().keys[0].windows.map((w) => w.start)).toEqual([T0 - 5 * MIN, T0, T0 + 5 * MIN]);
    feed(engine, steady(ACME, 1, 8, [3, 7]));
    const surge = Array.from({ length: 10 }, (_, i) => ev(ACME, T0 + 9 * WINDOW + 20 * 1000 * i, true));
    const alerts = feed(engine, surge);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      windowStart: new Date(T0 + 9 * WINDOW - 10 * MIN).toISOString(),
      windowEnd: new Date(T0 + 9 * WINDOW + 5 * MIN).toISOString(),
      alertId: alertIdOf(ACME, T0 + 9 * WINDOW - 10 * MIN, 15 * MIN),
    });
    // Without cooldown the two younger windows holding the same surge fire too, each once per rule.
    const eager = new AlertEngine(alertingOptions({ windowMs: 15 * MIN, hopMs: 5 * MIN, cooldownMs: 0 }));
    feed(eager, steady(ACME, 1, 8, [3, 7]));
    const starts = feed(eager, surge.map((e) => ({ ...e }))).map((a) => a.windowStart);
    expect(starts).toEqual([-10, -5, 0].map((m) => new Date(T0 + 9 * WINDOW + m * MIN).toISOString()));
  });

  it('sliding windows: each phase is a tumbling grid with its own baselines, so a surge split by one grid is whole in the other', () => {
    // 30-minute windows over a calm key (10 items per 15 minutes, 2 negative), plus 16
    // negatives from 7 minutes into quarter 25: the grid on the half hours splits them 8 / 8
    // (28 items, 12 negative: z 2.4, volume z 2.7), the grid offset by 15 minutes has all 16.
    const surge = Array.from({ length: 16 }, (_, i) => ev(ACME, T0 + 25 * WINDOW + (7 + i) * MIN, true));
    const stream = () => [...steady(ACME, 0, 29, [3, 7]), ...surge].sort((a, b) => a.eventTimeMs - b.eventTimeMs).map((e) => ({ ...e }));
    expect(feed(new AlertEngine(alertingOptions({ windowMs: 2 * WINDOW })), stream())).toEqual([]);
    const engine = new AlertEngine(alertingOptions({ windowMs: 2 * WINDOW, hopMs: WINDOW }));
    const alerts = feed(engine, stream());
    expect(alerts.map((a) => [a.windowStart, a.alertId])).toEqual([[new Date(T0 + 25 * WINDOW).toISOString(), alertIdOf(ACME, T0 + 25 * WINDOW, 2 * WINDOW)]]);
    // Closed by the end: 14 windows of phase 0 (from T0) and 15 of phase 1 (from T0 − 15 min),
    // the alerted one teaching nothing; each phase's baseline holds its own windows only.
    const [phase0, phase1] = engine.snapshot().keys[0].baselines;
    expect(phase0.volume.count).toBe(14);
    expect(phase1.volume.count).toBe(14);
    expect(phase1.share.mean).toBeCloseTo(0.2, 12); // phase 1 saw the surge whole, alerted, learnt nothing of it
    expect(phase0.share.mean).toBeGreaterThan(0.21); // phase 0 learnt its two halves (capped at the alerting level)
  });

  it('keys are evicted oldest-first beyond maxKeys and after idleKeyTtl, and counted', () => {
    const engine = new AlertEngine(alertingOptions({ windowMs: WINDOW, maxKeys: 2, idleKeyTtlMs: 60 * MIN }));
    feed(engine, [ev('entity:A', T0, false), ev('entity:B', T0 + MIN, false), ev('entity:A', T0 + 2 * MIN, false)]);
    feed(engine, [ev('entity:C', T0 + 3 * MIN, false)]); // B is the least recently updated
    expect(engine.snapshot().keys.map((k) => k.key)).toEqual(['entity:A', 'entity:C']);
    expect(engine.stats()).toMatchObject({ keys: 2, evictedKeys: 1, openWindows: 2 });
    // An hour later C is updated twice (the partition clock moves with a source's second
    // newest item, so one stray item cannot move it); A (idle since T0 + 2 min) goes.
    feed(engine, [ev('entity:C', T0 + 63 * MIN, false)]);
    expect(engine.stats()).toMatchObject({ keys: 2, evictedKeys: 1 });
    feed(engine, [ev('entity:C', T0 + 63 * MIN, false)]);
    expect(engine.snapshot().keys.map((k) => k.key)).toEqual(['entity:C']);
    expect(engine.stats()).toMatchObject({ keys: 1, evictedKeys: 2 });
  });

  it('rejects a malformed event with a TypeError naming the field', () => {
    const engine = new AlertEngine(O15);
    expect(() => engine.process({ ...ev(ACME, T0, true), key: 'entity:Other' })).toThrow(/^event\.key: /);
    expect(() => engine.process({ ...ev(ACME, T0, true), eventTimeMs: 1.5 })).toThrow(/^event\.eventTimeMs: /);
    expect(() => engine.process({ ...ev(ACME, T0, true), negativeProb: 2 })).toThrow(/^event\.negativeProb: /);
    expect(() => engine.process({ ...ev(ACME, T0, true), sentiment: 'bad' as never })).toThrow(TypeError);
    expect(engine.stats().keys).toBe(0);
  });

  it('rejects invalid options with a RangeError naming the field', () => {
    expect(() => new AlertEngine({ ...O15, hopMs: 7 * MIN })).toThrow(/^hopMs: /);
  });

  describe('snapshots', () => {
    /** One alerting stream run whole, and a second engine stopped after its 63rd event. */
    function runInterrupted() {
      const events = [...steady(ACME, 0, 5, [3, 7]), ...steady(ACME, 6, 6, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])];
      const whole = new AlertEngine(O15);
      const expected = feed(whole, events);
      expect(expected).toHaveLength(1);
      const first = new AlertEngine(O15);
      feed(first, events.slice(0, 63));
      return { events, whole, expected, first };
    }

    it('restores to an engine that continues exactly where the first one was', () => {
      const { events, whole, expected, first } = runInterrupted();
      const restored = new AlertEngine(O15, JSON.parse(JSON.stringify(first.snapshot())));
      expect(restored.stats()).toEqual(first.stats());
      expect(feed(restored, events.slice(63))).toEqual(expected);
      expect(restored.snapshot()).toEqual(whole.snapshot());
    });

    it('snapshot() leaves the engine unchanged and shares no state', () => {
      const engine = new AlertEngine(O15);
      feed(engine, steady(ACME, 0, 1, [3]));
      const a = engine.snapshot();
      (a.keys[0].windows[0].headlines as unknown[]).length = 0;
      expect(engine.snapshot()).not.toEqual(a);
      expect(engine.snapshot()).toEqual(engine.snapshot());
      expect(a.version).toBe(ALERT_ENGINE_SNAPSHOT_VERSION);
    });

    it('rejects an unknown version, another window shape and a corrupt snapshot clearly, each with its code', () => {
      const engine = new AlertEngine(O15);
      feed(engine, steady(ACME, 0, 1, [3]));
      const snap = engine.snapshot();
      const thrown = (f: () => unknown): unknown => {
        try {
          f();
        } catch (err) {
          return err;
        }
        throw new Error('did not throw');
      };
      const version = thrown(() => new AlertEngine(O15, { ...snap, version: 4 } as never));
      expect(version).toEqual(new RangeError('snapshot.version: unsupported AlertEngine snapshot version 4 (this build reads 3, and 1 and 2 by migration)'));
      expect(version).toBeInstanceOf(RangeError);
      expect(alertSnapshotErrorCode(version)).toBe('SNAPSHOT_VERSION');
      const shape = thrown(() => new AlertEngine(alertingOptions({ windowMs: 5 * MIN }), snap));
      expect(shape).toBeInstanceOf(RangeError);
      expect((shape as Error).message).toMatch(/^snapshot\.windowMs: .*start from an empty engine/);
      expect(alertSnapshotErrorCode(shape)).toBe('SNAPSHOT_WINDOW_SHAPE');
      const corrupt = JSON.parse(JSON.stringify(snap));
      corrupt.keys[0].windows[0].negative = 99;
      const invalid = thrown(() => new AlertEngine(O15, corrupt));
      expect(invalid).toBeInstanceOf(TypeError);
      expect((invalid as Error).message).toMatch(/^snapshot\.keys\.0\.windows\.0\.negative: /);
      expect(alertSnapshotErrorCode(invalid)).toBe('SNAPSHOT_INVALID');
      // A malformed hopMs is malformed, not a window-shape change.
      expect(alertSnapshotErrorCode(thrown(() => new AlertEngine(O15, { ...snap, hopMs: 'x' } as never)))).toBe('SNAPSHOT_INVALID');
      expect(alertSnapshotErrorCode(thrown(() => parseAlertEngineSnapshot('{')))).toBe('SNAPSHOT_INVALID');
      expect((thrown(() => new AlertEngine(O15, { ...snap, clockMs: null })) as Error).message).toMatch(/^snapshot\.clockMs: /);
      const phases = { ...snap, keys: [{ ...snap.keys[0], baselines: [] }] };
      expect((thrown(() => new AlertEngine(O15, phases)) as Error).message).toMatch(/^snapshot\.keys\.0\.baselines: expected one per window phase/);
      // Baselines are indexed by window phase: a start off the hop grid is refused on restore, not on the first fold.
      const offGrid = thrown(() => new AlertEngine(O15, { ...snap, keys: [{ ...snap.keys[0], nextFoldStart: snap.keys[0].nextFoldStart + 1, windows: [] }] }));
      expect((offGrid as Error).message).toMatch(/^snapshot\.keys\.0\.nextFoldStart: .* not a multiple of hopMs/);
      expect(alertSnapshotErrorCode(offGrid)).toBe('SNAPSHOT_INVALID');
      expect(alertSnapshotErrorCode(new RangeError('hopMs: bad'))).toBeUndefined();
    });

    it('reads a version 1 snapshot: its clock becomes source "", the windows keep their first alerted rule', () => {
      const v1 = {
        version: 1,
        windowMs: WINDOW,
        hopMs: WINDOW,
        clockMs: T0 + 6 * WINDOW + 5 * MIN,
        lateDropped: 2,
        evictedKeys: 1,
        alertsRaised: 1,
        keys: [
          {
            key: ACME,
            maxEventMs: T0 + 6 * WINDOW + 5 * MIN,
            touchedAtMs: T0 + 6 * WINDOW + 5 * MIN,
            nextFoldStart: T0 + 6 * WINDOW,
            cooldownUntilMs: T0 + 7 * WINDOW,
            share: { mean: 0.2, variance: 0, count: 6 },
            volume: { mean: 2, variance: 0, count: 6 },
            windows: [{ start: T0 + 6 * WINDOW, total: 9, negative: 8, headlines: [], alerted: ['negative-share', 'negative-volume'] }],
          },
        ],
      };
      const engine = new AlertEngine(O15, v1 as never);
      const snap = engine.snapshot();
      expect(snap).toMatchObject({
        version: ALERT_ENGINE_SNAPSHOT_VERSION,
        startMs: v1.clockMs,
        clockMs: v1.clockMs,
        watermarkMs: null,
        sources: [{ source: '', newestMs: v1.clockMs, confirmedMs: v1.clockMs }],
        lateDropped: 2,
        evictedKeys: 1,
        alertsRaised: 1,
      });
      expect(snap.keys[0]).toMatchObject({
        key: ACME,
        baselines: [{ share: v1.keys[0].share, volume: v1.keys[0].volume }],
        windows: [{ start: T0 + 6 * WINDOW, total: 9, alerted: 'negative-share' }],
      });
      expect(parseAlertEngineSnapshot(JSON.stringify(v1)).keys[0].windows[0].alerted).toBe('negative-share');
      // It carries on: the window that alerted stays silent; items of the new sources count.
      expect(feed(engine, [ev(ACME, T0 + 6 * WINDOW + 6 * MIN, true, { source: '3' })])).toEqual([]);
      expect(engine.stats()).toMatchObject({ lateDropped: 2, sources: 2, openWindows: 1 });
      expect(engine.snapshot().keys[0].windows[0]).toMatchObject({ total: 10, negative: 9 });
    });

    it('reads a version 2 snapshot: every window phase starts from the key\'s one baseline pair', () => {
      const sliding = alertingOptions({ windowMs: 2 * WINDOW, hopMs: WINDOW });
      const engine = new AlertEngine(sliding);
      feed(engine, steady(ACME, 0, 7, [3, 7]));
      const v3 = engine.snapshot();
      const share = { mean: 0.2, variance: 0.01, count: 7 };
      const volume = { mean: 2, variance: 0.5, count: 7 };
      const v2 = {
        ...v3,
        version: 2,
        keys: v3.keys.map((k) => ({ key: k.key, maxEventMs: k.maxEventMs, touchedAtMs: k.touchedAtMs, nextFoldStart: k.nextFoldStart, cooldownUntilMs: k.cooldownUntilMs, share, volume, windows: k.windows })),
      };
      const restored = new AlertEngine(sliding, JSON.parse(JSON.stringify(v2)));
      expect(restored.snapshot().keys[0].baselines).toEqual([{ share, volume }, { share, volume }]);
      expect(restored.snapshot().version).toBe(ALERT_ENGINE_SNAPSHOT_VERSION);
    });

    it('a version 2 snapshot of tumbling windows restored mid-stream continues exactly as an uninterrupted run', () => {
      const { events, whole, expected, first } = runInterrupted();
      const v3 = first.snapshot();
      expect(v3.keys[0].baselines[0].share.count).toBeGreaterThanOrEqual(O15.minBaselineWindows);
      const v2 = {
        ...v3,
        version: 2,
        keys: v3.keys.map(({ baselines, ...k }) => ({ ...k, share: baselines[0].share, volume: baselines[0].volume })),
      };
      const restored = new AlertEngine(O15, JSON.parse(JSON.stringify(v2)));
      expect(feed(restored, events.slice(63))).toEqual(expected);
      expect(restored.snapshot()).toEqual(whole.snapshot());
    });

    it('a smaller maxKeys on restore drops the least recently updated keys', () => {
      const engine = new AlertEngine(O15);
      feed(engine, [ev('entity:A', T0, false), ev('entity:B', T0 + 1, false), ev('entity:C', T0 + 2, false)]);
      const small = new AlertEngine(alertingOptions({ windowMs: WINDOW, maxKeys: 2 }), engine.snapshot());
      expect(small.snapshot().keys.map((k) => k.key)).toEqual(['entity:B', 'entity:C']);
      expect(small.stats()).toMatchObject({ evictedKeys: 1, openWindows: 2 });
    });
  });
});
