import fc from 'fast-check';
import type { WindowEvent } from '../types';
import { AlertEngine } from './alert-engine';
import { alertIdOf } from './alert-id';
import { alertingOptions, type AlertingOptions } from './options';
import { ev, MIN, T0 } from './spec-streams';

// Sources (news.raw partitions) are each in order, but reach the engine at their own paces.
// A scenario: three keys over twelve 10-minute windows, 9-12 items a window, calm (≤ 2
// negatives) except one clear surge window per key (all negative but one); items spread over
// the sources at random; each source's events in time order up to 50 s of jitter (less than
// the 1-minute lateness).
const WIN = 10 * MIN;
const WINDOWS = 12;
const KEYS = ['entity:A', 'entity:B', 'topic:rates'];

const base = {
  windowMs: WIN,
  allowedLatenessMs: MIN,
  minVolume: 6,
  minNegative: 4,
  zThreshold: 3,
  criticalZ: 5,
  minBaselineWindows: 2,
  cooldownMs: 30 * MIN,
};

interface Scenario {
  /** Per source, in the order that source delivers them. */
  readonly bySource: readonly (readonly WindowEvent[])[];
  /** The ids the surges must raise, one per key with a surge. */
  readonly expected: readonly string[];
}

const keyPlanArb = fc.record({
  surgeAt: fc.option(fc.integer({ min: 5, max: WINDOWS - 1 }), { freq: 4 }),
  windows: fc.array(fc.record({ count: fc.integer({ min: 9, max: 12 }), negatives: fc.integer({ min: 0, max: 2 }) }), {
    minLength: WINDOWS,
    maxLength: WINDOWS,
  }),
});

const scenarioArb = fc
  .record({
    sources: fc.integer({ min: 2, max: 6 }),
    plans: fc.array(keyPlanArb, { minLength: KEYS.length, maxLength: KEYS.length }),
    seeds: fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 400, maxLength: 400 }),
  })
  .map(({ sources, plans, seeds }): Scenario => {
    let r = 0;
    const rnd = (n: number) => seeds[r++ % seeds.length] % n;
    const all: { e: WindowEvent; source: number; order: number }[] = [];
    const expected: string[] = [];
    plans.forEach((plan, k) => {
      const key = KEYS[k];
      plan.windows.forEach((w, i) => {
        const surge = plan.surgeAt === i;
        const count = surge ? 12 : w.count;
        const neutralAt = rnd(count);
        for (let j = 0; j < count; j++) {
          const t = T0 + i * WIN + Math.floor(((j + 0.5) * WIN) / count);
          const negative = surge ? j !== neutralAt : j < w.negatives;
          const source = rnd(sources);
          const e = ev(key, t, negative, { itemId: `${key}-${i}-${j}`, source: String(source) });
          all.push({ e, source, order: t + rnd(50_000) });
        }
      });
      if (plan.surgeAt !== null) expected.push(alertIdOf(key, T0 + plan.surgeAt * WIN, WIN));
    });
    const bySource = Array.from({ length: sources }, (_, s) =>
      all
        .filter((x) => x.source === s)
        .sort((a, b) => a.order - b.order)
        .map((x) => x.e),
    );
    return { bySource, expected: expected.sort() };
  });

/** Any merge of the sources that keeps each one's order: `picks` says whose turn it is. */
function interleave(bySource: Scenario['bySource'], picks: readonly number[]): WindowEvent[] {
  const next = bySource.map(() => 0);
  const out: WindowEvent[] = [];
  for (const p of picks) {
    const s = p % bySource.length;
    if (next[s] < bySource[s].length) out.push(bySource[s][next[s]++]);
  }
  bySource.forEach((events, s) => out.push(...events.slice(next[s])));
  return out;
}

/**
 * As the windows stage sees a replayed backlog: rounds in which every source delivers one
 * chunk, in a drawn order. A chunk is the source's next `sliceMs` of event time (a chunk of
 * a busy partition covers about as much event time as any other's), so two sources are at
 * most about two chunks apart.
 */
function chunked(bySource: Scenario['bySource'], sliceMs: number, orders: readonly (readonly number[])[]): WindowEvent[] {
  const next = bySource.map(() => 0);
  const out: WindowEvent[] = [];
  for (let round = 0; next.some((n, s) => n < bySource[s].length); round++) {
    const until = T0 + (round + 1) * sliceMs;
    for (const s of orders[round % orders.length]) {
      const events = bySource[s] ?? [];
      while (next[s] < events.length && events[next[s]].eventTimeMs < until) out.push(events[next[s]++]);
    }
  }
  return out;
}

function run(options: AlertingOptions, events: readonly WindowEvent[]) {
  const engine = new AlertEngine(options);
  const alerts = events.flatMap((e) => engine.process(e));
  return { alerts, ids: alerts.map((a) => a.alertId).sort(), stats: engine.stats() };
}

describe('AlertEngine under interleaved sources', () => {
  let surges = 0;
  afterAll(() => {
    // The scenarios must actually contain surges, or the properties prove little.
    expect(surges).toBeGreaterThan(60);
  });

  it('any interleaving of per-source-ordered events raises the same alert ids, one per clear surge, and drops nothing', () => {
    // Unbounded skew: no source may count as idle within the run (sourceIdleMs ≥ its span).
    const options = alertingOptions({ ...base, sourceIdleMs: (WINDOWS + 1) * WIN });
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(5), { maxLength: 600 }), (scenario, picks) => {
        const r = run(options, interleave(scenario.bySource, picks));
        expect(r.ids).toEqual(scenario.expected);
        expect(r.stats.lateDropped).toBe(0);
        surges += scenario.expected.length;
      }),
      { numRuns: 40 },
    );
  });

  it('sources skewed by up to a chunk (a replayed backlog): nothing late, same ids, baselines learnt as the windows close', () => {
    // Chunks of up to 12 minutes: sources up to ~24 minutes apart, inside sourceIdleMs.
    const options = alertingOptions({ ...base, sourceIdleMs: 30 * MIN });
    const orderArb = fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 12 }), fc.array(orderArb, { minLength: 1, maxLength: 20 }), (scenario, sliceMin, orders) => {
        const r = run(options, chunked(scenario.bySource, sliceMin * MIN, orders));
        expect(r.stats.lateDropped).toBe(0);
        expect(r.ids).toEqual(scenario.expected);
        // Windows closed and taught the share baseline (calm shares ≤ 0.25) instead of the prior 0.25.
        for (const a of r.alerts) expect(a.baselineNegativeShare).toBeLessThan(0.25);
        expect(r.stats.openWindows).toBeLessThan(KEYS.length * 4);
        surges += scenario.expected.length;
      }),
      { numRuns: 40 },
    );
  });
});
