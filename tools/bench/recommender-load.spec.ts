import { createRng } from '../replay/prng';
import { mergeBenchPart } from './bench-json';
import { RECOMMENDER_FLAT_KEYS, RECOMMENDER_SPEED_KEYS } from './recommender-options';
import { BodyCycler, rankBodies, recommendBodies, recommenderLoadOptions, sampleDistinct, speedFlat } from './recommender-load-plan';

describe('recommender load: bodies', () => {
  const seed = (n: number) => createRng(n).next;
  const items = Array.from({ length: 50 }, (_, i) => `m${i}`);

  it('draws distinct candidates, the same ones for the same seed', () => {
    const a = sampleDistinct(items, 20, seed(7));
    expect(new Set(a).size).toBe(20);
    expect(a.every((id) => items.includes(id))).toBe(true);
    expect(sampleDistinct(items, 20, seed(7))).toEqual(a);
    expect(sampleDistinct(items, 20, seed(8))).not.toEqual(a);
    expect(() => sampleDistinct(items, 51, seed(1))).toThrow(RangeError);
  });

  it('builds Rank and Recommend bodies cycling the users', () => {
    const bodies = rankBodies(['u1', 'u2'], items, 3, 10, 5).map((b) => JSON.parse(b) as { userId: string; candidates: string[]; k: number });
    expect(bodies.map((b) => b.userId)).toEqual(['u1', 'u2', 'u1']);
    expect(bodies.every((b) => b.candidates.length === 10 && b.k === 5)).toBe(true);
    expect(recommendBodies(['u1'], 2, 10)).toEqual(['{"userId":"u1","k":10}', '{"userId":"u1","k":10}']);
    const c = new BodyCycler(['a', 'b']);
    expect([c.next(), c.next(), c.next()]).toEqual(['a', 'b', 'a']);
  });
});

describe('recommender load: options and keys', () => {
  it('parses the flags with the issue\'s defaults (32 callers, 100 candidates, k 10) on the sample', () => {
    const o = recommenderLoadOptions(['--data', 'samples'], process.cwd());
    expect(o).toMatchObject({ samples: true, connections: 32, candidates: 100, k: 10, reps: 3 });
    expect(() => recommenderLoadOptions(['--data', '/nonexistent'], process.cwd())).toThrow(/movies.csv not found/);
    expect(() => recommenderLoadOptions(['--data', 'samples', '--reps', '2'], process.cwd())).toThrow(/odd/);
  });

  it('maps the median runs to exactly the speed keys, which recommender.json accepts', () => {
    const flat = speedFlat({ perSec: 812.345, p50Ms: 38.26, p99Ms: 90.04, completed: 1, seconds: 1 }, { perSec: 401.04, p50Ms: 70, p99Ms: 150.06, completed: 1, seconds: 1 });
    expect(Object.keys(flat).sort()).toEqual([...RECOMMENDER_SPEED_KEYS].sort());
    expect(flat).toEqual({ rankRequestsPerSec: 812.3, rankP50Ms: 38.3, rankP99Ms: 90, recommendRequestsPerSec: 401, recommendP99Ms: 150.1 });
    expect(mergeBenchPart({ easeNdcg10: 0.14 }, { part: 'load', command: 'c', date: 'd', machine: 'm', flat }, RECOMMENDER_FLAT_KEYS)).toMatchObject({ easeNdcg10: 0.14, ...flat });
  });
});
