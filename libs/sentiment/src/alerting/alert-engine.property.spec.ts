import fc from 'fast-check';
import type { SentimentAlert, WindowEvent } from '../types';
import { AlertEngine } from './alert-engine';
import { alertingOptions, type AlertingOptions } from './options';
import { ev, feed, MIN, T0 } from './spec-streams';

// Random streams over a few keys: out of order by up to 2 minutes (some beyond the 1 minute
// lateness), negatives in bursts often enough that the small thresholds below fire.
const KEYS = ['entity:A', 'entity:B', 'topic:rates', 'entity:C:D'];

const stepArb = fc.record({
  key: fc.constantFrom(...KEYS),
  source: fc.constantFrom('0', '1', '2'),
  dt: fc.integer({ min: -2 * MIN, max: 3 * MIN }),
  mood: fc.integer({ min: 0, max: 9 }),
  prob: fc.integer({ min: 0, max: 100 }),
});

const streamArb = fc.array(stepArb, { minLength: 20, maxLength: 400 }).map((steps) => {
  let t = T0;
  let burst = false;
  return steps.map((s, i): WindowEvent => {
    t = Math.max(T0, t + s.dt);
    if (s.mood === 0) burst = !burst;
    const negative = burst ? s.mood < 8 : s.mood < 3;
    return ev(s.key, t, negative, { itemId: `item-${i}`, negativeProb: s.prob / 100, title: `story ${i}`, source: s.source });
  });
});

const optionsArb = fc.record({
  hopMs: fc.constantFrom(10 * MIN, 5 * MIN, 2 * MIN),
  maxKeys: fc.constantFrom(2, 3, 100),
  cooldownMs: fc.constantFrom(0, 15 * MIN),
}).map((o) =>
  alertingOptions({
    windowMs: 10 * MIN,
    allowedLatenessMs: MIN,
    minVolume: 3,
    minNegative: 2,
    zThreshold: 1.5,
    criticalZ: 3,
    minBaselineWindows: 2,
    idleKeyTtlMs: 120 * MIN,
    topHeadlines: 3,
    ...o,
  }),
);

function run(options: AlertingOptions, events: readonly WindowEvent[]): { alerts: SentimentAlert[]; engine: AlertEngine } {
  const engine = new AlertEngine(options);
  return { alerts: feed(engine, events.map((e) => ({ ...e }))), engine };
}

describe('AlertEngine properties', () => {
  let alertsSeen = 0;
  afterAll(() => {
    // The streams must actually exercise the rules, or the properties prove little.
    expect(alertsSeen).toBeGreaterThan(50);
  });

  it('is deterministic: the same events give the same alerts, ids and state', () => {
    fc.assert(
      fc.property(optionsArb, streamArb, (options, events) => {
        const a = run(options, events);
        const b = run(options, events);
        expect(b.alerts).toEqual(a.alerts);
        expect(b.engine.snapshot()).toEqual(a.engine.snapshot());
        alertsSeen += a.alerts.length;
      }),
      { numRuns: 60 },
    );
  });

  it('snapshot → JSON → restore mid-stream gives what an uninterrupted run gives', () => {
    fc.assert(
      fc.property(optionsArb, streamArb, fc.double({ min: 0, max: 1, noNaN: true }), (options, events, at) => {
        const cut = Math.floor(at * events.length);
        const whole = run(options, events);
        const first = run(options, events.slice(0, cut));
        const text = JSON.stringify(first.engine.snapshot());
        const second = new AlertEngine(options, JSON.parse(text));
        const rest = feed(second, events.slice(cut));
        expect([...first.alerts, ...rest]).toEqual(whole.alerts);
        expect(second.snapshot()).toEqual(whole.engine.snapshot());
        expect(second.stats()).toEqual(whole.engine.stats());
        alertsSeen += whole.alerts.length;
      }),
      { numRuns: 60 },
    );
  });
});
