import { planSurges, type SurgePlanOptions } from './surge-plan';

const MIN = 60_000;
const HOUR = 60 * MIN;
const BASE: SurgePlanOptions = {
  entities: ['A', 'B', 'C'], surgesPerEntity: 4, streamMs: 24 * HOUR, warmupMs: 2 * HOUR, surgeMinMs: 20 * MIN, surgeMaxMs: 40 * MIN, restMs: 2 * HOUR, seed: 7,
};

describe('planSurges', () => {
  it('gives each entity its surges, in time order, after the warm-up, inside the stream, in whole minutes', () => {
    const plan = planSurges(BASE);
    expect(plan).toHaveLength(12);
    for (const e of BASE.entities) expect(plan.filter((s) => s.entity === e)).toHaveLength(4);
    for (const s of plan) {
      expect(s.offsetMs).toBeGreaterThanOrEqual(BASE.warmupMs);
      expect(s.offsetMs + s.durationMs).toBeLessThanOrEqual(BASE.streamMs);
      expect(s.durationMs).toBeGreaterThanOrEqual(20 * MIN);
      expect(s.durationMs).toBeLessThanOrEqual(40 * MIN);
      expect(s.offsetMs % MIN).toBe(0);
      expect(s.durationMs % MIN).toBe(0);
    }
    expect(plan.map((s) => s.offsetMs)).toEqual([...plan.map((s) => s.offsetMs)].sort((a, b) => a - b));
  });

  it('keeps two surges of one entity at least restMs apart', () => {
    const plan = planSurges({ ...BASE, seed: 123 });
    for (const e of BASE.entities) {
      const mine = plan.filter((s) => s.entity === e);
      for (let i = 1; i < mine.length; i++) {
        const prev = mine[i - 1] as { offsetMs: number; durationMs: number };
        expect((mine[i] as { offsetMs: number }).offsetMs - (prev.offsetMs + prev.durationMs)).toBeGreaterThanOrEqual(BASE.restMs);
      }
    }
  });

  it('is fixed by the seed, and another seed moves the surges', () => {
    expect(planSurges(BASE)).toEqual(planSurges(BASE));
    expect(planSurges({ ...BASE, seed: 8 })).not.toEqual(planSurges(BASE));
  });

  it('refuses a plan that cannot fit, naming the field', () => {
    expect(() => planSurges({ ...BASE, surgesPerEntity: 10 })).toThrow(/surgesPerEntity: 10 slots of 132 min/);
    expect(() => planSurges({ ...BASE, entities: [] })).toThrow(/entities/);
    expect(() => planSurges({ ...BASE, entities: ['A', 'A'] })).toThrow(/entities: names must be distinct/);
    expect(() => planSurges({ ...BASE, surgeMaxMs: 10 * MIN })).toThrow(/surgeMaxMs/);
    expect(() => planSurges({ ...BASE, restMs: 90_500 })).toThrow(/restMs/);
    expect(() => planSurges({ ...BASE, warmupMs: 24 * HOUR })).toThrow(/warmupMs/);
  });
});
