import { AlertEngine } from './alert-engine';
import { alertIdOf } from './alert-id';
import { alertingOptions, DEFAULT_ALERTING_OPTIONS } from './options';
import { ALERT_ENGINE_SNAPSHOT_VERSION } from './snapshot';
import { ev, feed, MIN, steady, T0, WINDOW } from './spec-streams';

const ACME = 'entity:Acme';

describe('AlertEngine', () => {
  it('a surge fires exactly one alert with the expected figures', () => {
    const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
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
      alertId: alertIdOf(ACME, T0 + 6 * WINDOW, WINDOW, 'negative-share'),
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
    const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
    const events = [...steady(ACME, 0, 60, [0, 4, 8]), ...steady('topic:rates', 0, 60, [1, 5], 9)].sort(
      (a, b) => a.eventTimeMs - b.eventTimeMs,
    );
    expect(feed(engine, events)).toEqual([]);
    expect(engine.stats()).toMatchObject({ keys: 2, lateDropped: 0 });
  });

  it('below minVolume none fires; the item that reaches it does', () => {
    const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
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
    const engine = new AlertEngine(alertingOptions({ minNegative: 6 }));
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

    it('without cooldown each (window, rule) fires at most once', () => {
      const engine = new AlertEngine(alertingOptions({ cooldownMs: 0, ewmaAlpha: 0.05 }));
      const events = stream();
      const alerts = feed(engine, events);
      expect(alerts.map((a) => [a.windowStart, a.rule])).toEqual([
        [new Date(T0 + 6 * WINDOW).toISOString(), 'negative-share'],
        [new Date(T0 + 6 * WINDOW).toISOString(), 'negative-volume'],
        [new Date(T0 + 7 * WINDOW).toISOString(), 'negative-share'],
        [new Date(T0 + 7 * WINDOW).toISOString(), 'negative-volume'],
      ]);
      expect(new Set(alerts.map((a) => a.alertId)).size).toBe(4);
      // Window 7's share alert comes with its 8th item (minVolume).
      expect(alerts[2].triggerItemId).toBe(events[60 + 14 + 7].itemId);
    });

    it('an alert silences its key for cooldownMs of event time, then it may fire again', () => {
      const engine = new AlertEngine(alertingOptions({ cooldownMs: 20 * MIN, ewmaAlpha: 0.05 }));
      const events = stream();
      const alerts = feed(engine, events);
      // Window 6 fires at its 8th item (6 × 15 + 7 min); window 7 is silent until 20 minutes
      // later (7 × 15 + 12 min), then fires for that item.
      expect(alerts.map((a) => [a.windowStart, a.rule, a.triggerItemId])).toEqual([
        [new Date(T0 + 6 * WINDOW).toISOString(), 'negative-share', events[60 + 7].itemId],
        [new Date(T0 + 7 * WINDOW).toISOString(), 'negative-share', events[60 + 14 + 12].itemId],
      ]);
      // With the default hour, the second surge stays silent.
      expect(feed(new AlertEngine(alertingOptions({ ewmaAlpha: 0.05 })), stream())).toHaveLength(1);
    });
  });

  it('late events within allowedLateness count; beyond it they are dropped and counted', () => {
    const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
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

  it('lateness is per key: another key far ahead does not make this key’s events late', () => {
    const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
    feed(engine, [ev('entity:Other', T0 + 10 * WINDOW, false), ev(ACME, T0, false)]);
    expect(engine.stats()).toMatchObject({ lateDropped: 0, openWindows: 2, watermarkMs: T0 + 10 * WINDOW - 2 * MIN });
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
      alertId: alertIdOf(ACME, T0 + 9 * WINDOW - 10 * MIN, 15 * MIN, 'negative-share'),
    });
    // Without cooldown the two younger windows holding the same surge fire too, each once per rule.
    const eager = new AlertEngine(alertingOptions({ windowMs: 15 * MIN, hopMs: 5 * MIN, cooldownMs: 0 }));
    feed(eager, steady(ACME, 1, 8, [3, 7]));
    const starts = feed(eager, surge.map((e) => ({ ...e }))).filter((a) => a.rule === 'negative-share').map((a) => a.windowStart);
    expect(starts).toEqual([-10, -5, 0].map((m) => new Date(T0 + 9 * WINDOW + m * MIN).toISOString()));
  });

  it('keys are evicted oldest-first beyond maxKeys and after idleKeyTtl, and counted', () => {
    const engine = new AlertEngine(alertingOptions({ maxKeys: 2, idleKeyTtlMs: 60 * MIN }));
    feed(engine, [ev('entity:A', T0, false), ev('entity:B', T0 + MIN, false), ev('entity:A', T0 + 2 * MIN, false)]);
    feed(engine, [ev('entity:C', T0 + 3 * MIN, false)]); // B is the least recently updated
    expect(engine.snapshot().keys.map((k) => k.key)).toEqual(['entity:A', 'entity:C']);
    expect(engine.stats()).toMatchObject({ keys: 2, evictedKeys: 1, openWindows: 2 });
    // An hour later C is updated; A (idle since T0 + 2 min) goes.
    feed(engine, [ev('entity:C', T0 + 63 * MIN, false)]);
    expect(engine.snapshot().keys.map((k) => k.key)).toEqual(['entity:C']);
    expect(engine.stats()).toMatchObject({ keys: 1, evictedKeys: 2 });
  });

  it('rejects a malformed event with a TypeError naming the field', () => {
    const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
    expect(() => engine.process({ ...ev(ACME, T0, true), key: 'entity:Other' })).toThrow(/^event\.key: /);
    expect(() => engine.process({ ...ev(ACME, T0, true), eventTimeMs: 1.5 })).toThrow(/^event\.eventTimeMs: /);
    expect(() => engine.process({ ...ev(ACME, T0, true), negativeProb: 2 })).toThrow(/^event\.negativeProb: /);
    expect(() => engine.process({ ...ev(ACME, T0, true), sentiment: 'bad' as never })).toThrow(TypeError);
    expect(engine.stats().keys).toBe(0);
  });

  it('rejects invalid options with a RangeError naming the field', () => {
    expect(() => new AlertEngine({ ...DEFAULT_ALERTING_OPTIONS, hopMs: 7 * MIN })).toThrow(/^hopMs: /);
  });

  describe('snapshots', () => {
    it('restores to an engine that continues exactly where the first one was', () => {
      const events = [...steady(ACME, 0, 5, [3, 7]), ...steady(ACME, 6, 6, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])];
      const whole = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
      const expected = feed(whole, events);
      expect(expected).toHaveLength(1);
      const first = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
      feed(first, events.slice(0, 63));
      const restored = new AlertEngine(DEFAULT_ALERTING_OPTIONS, JSON.parse(JSON.stringify(first.snapshot())));
      expect(restored.stats()).toEqual(first.stats());
      expect(feed(restored, events.slice(63))).toEqual(expected);
      expect(restored.snapshot()).toEqual(whole.snapshot());
    });

    it('snapshot() leaves the engine unchanged and shares no state', () => {
      const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
      feed(engine, steady(ACME, 0, 1, [3]));
      const a = engine.snapshot();
      (a.keys[0].windows[0].headlines as unknown[]).length = 0;
      expect(engine.snapshot()).not.toEqual(a);
      expect(engine.snapshot()).toEqual(engine.snapshot());
      expect(a.version).toBe(ALERT_ENGINE_SNAPSHOT_VERSION);
    });

    it('rejects an unknown version, another window shape and a corrupt snapshot clearly', () => {
      const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
      feed(engine, steady(ACME, 0, 1, [3]));
      const snap = engine.snapshot();
      expect(() => new AlertEngine(DEFAULT_ALERTING_OPTIONS, { ...snap, version: 2 } as never)).toThrow(
        new RangeError('snapshot.version: unsupported AlertEngine snapshot version 2 (this build reads 1)'),
      );
      expect(() => new AlertEngine(alertingOptions({ windowMs: 5 * MIN }), snap)).toThrow(/^snapshot\.windowMs: .*start from an empty engine/);
      const corrupt = JSON.parse(JSON.stringify(snap));
      corrupt.keys[0].windows[0].negative = 99;
      expect(() => new AlertEngine(DEFAULT_ALERTING_OPTIONS, corrupt)).toThrow(/^snapshot\.keys\.0\.windows\.0\.negative: /);
    });

    it('a smaller maxKeys on restore drops the least recently updated keys', () => {
      const engine = new AlertEngine(DEFAULT_ALERTING_OPTIONS);
      feed(engine, [ev('entity:A', T0, false), ev('entity:B', T0 + 1, false), ev('entity:C', T0 + 2, false)]);
      const small = new AlertEngine(alertingOptions({ maxKeys: 2 }), engine.snapshot());
      expect(small.snapshot().keys.map((k) => k.key)).toEqual(['entity:B', 'entity:C']);
      expect(small.stats()).toMatchObject({ evictedKeys: 1, openWindows: 2 });
    });
  });
});
