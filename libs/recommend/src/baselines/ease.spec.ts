import type { Interaction } from '../data/catalog-item';
import { IdIndex } from '../data/id-index';
import { loadMovieLens } from '../data/movielens';
import { buildUserItemMatrix } from '../data/user-item-matrix';
import { sampleMovieLensFiles } from '../samples';
import { EaseScorer } from './ease';

const v = (userId: string, itemId: string): Interaction => ({ userId, itemId, type: 'view', ts: 0 });

/** Textbook EASE with plain arrays and Gauss-Jordan: B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹. */
function naiveEaseB(x: number[][], lambda: number): number[][] {
  const n = x[0]?.length ?? 0;
  const a = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: n }, (_, j) => x.reduce((s, row) => s + (row[i] as number) * (row[j] as number), 0) + (i === j ? lambda : 0)),
    ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  ]);
  for (let c = 0; c < n; c++) {
    const p = a[c] as number[];
    const d = p[c] as number;
    for (let j = 0; j < 2 * n; j++) p[j] = (p[j] as number) / d;
    for (let r = 0; r < n; r++) if (r !== c) {
      const f = (a[r] as number[])[c] as number;
      for (let j = 0; j < 2 * n; j++) (a[r] as number[])[j] = ((a[r] as number[])[j] as number) - f * (p[j] as number);
    }
  }
  const inv = a.map((row) => row.slice(n));
  return inv.map((row, i) => row.map((pij, j) => (i === j ? 0 : -pij / ((inv[j] as number[])[j] as number))));
}

describe('EaseScorer', () => {
  // users × items a b c d e (e has no user): u1 a b; u2 a b c; u3 c d; u4 a d; u5 b
  const items = IdIndex.of(['a', 'b', 'c', 'd', 'e']);
  const pairs = [['u1', 'a'], ['u1', 'b'], ['u2', 'a'], ['u2', 'b'], ['u2', 'c'], ['u3', 'c'], ['u3', 'd'], ['u4', 'a'], ['u4', 'd'], ['u5', 'b']];
  const { matrix } = buildUserItemMatrix(pairs.map(([u, i]) => v(u as string, i as string)), items);
  const dense: number[][] = ['u1', 'u2', 'u3', 'u4', 'u5'].map((u) => items.ids.map((i) => (pairs.some(([pu, pi]) => pu === u && pi === i) ? 1 : 0)));

  it.each(['items', 'users'] as const)('%s solver scores x·B of the textbook formula', (solver) => {
    const lambda = 2;
    const b = naiveEaseB(dense, lambda);
    const ease = EaseScorer.fit(matrix, { lambda, solver });
    expect(ease.solver).toBe(solver);
    expect(ease.size).toBe(solver === 'items' ? 4 : 5); // item e has no user: left out of the Gram matrix
    dense.forEach((x, u) => {
      const expected = items.ids.map((_, j) => x.reduce((s, xi, i) => s + xi * ((b[i] as number[])[j] as number), 0));
      const got = ease.scoreUser(`u${u + 1}`);
      expected.forEach((e, j) => expect(got[j]).toBeCloseTo(e, 5));
    });
    // an arbitrary history, repeats counted once, including the user-less item
    const h = ease.scoreHistory(Int32Array.from([3, 0, 3, 4]));
    const x = [1, 0, 0, 1, 1];
    items.ids.forEach((_, j) => expect(h[j]).toBeCloseTo(x.reduce((s, xi, i) => s + xi * ((b[i] as number[])[j] as number), 0), 5));
  });

  it('auto takes the smaller side and both solvers agree on the sample', () => {
    const { catalog, ratings } = loadMovieLens(sampleMovieLensFiles());
    const sample = buildUserItemMatrix(ratings, IdIndex.of(catalog.map((i) => i.id))).matrix;
    const byItems = EaseScorer.fit(sample, { lambda: 20, solver: 'items' });
    const byUsers = EaseScorer.fit(sample, { lambda: 20, solver: 'users' });
    expect(EaseScorer.fit(sample, { lambda: 20 }).solver).toBe(byItems.size <= byUsers.size ? 'items' : 'users');
    for (const u of sample.users.ids) {
      const a = byItems.scoreUser(u);
      const b = byUsers.scoreUser(u);
      let worst = 0;
      for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs((a[j] as number) - (b[j] as number)));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('rejects a bad lambda or solver', () => {
    expect(() => EaseScorer.fit(matrix, { lambda: 0 })).toThrow(/lambda must be a finite number > 0/);
    expect(() => EaseScorer.fit(matrix, { lambda: 1, solver: 'gpu' as 'auto' })).toThrow(/solver must be auto, items or users/);
    expect(() => EaseScorer.fit(matrix, { lambda: 1 }).scoreHistory(Int32Array.from([5]))).toThrow(RangeError);
  });
});
