import { VectorMatrix, normalise } from './cosine-search';

const v = (...xs: number[]) => Float32Array.from(xs);

describe('exact cosine search', () => {
  const matrix = new VectorMatrix([v(1, 0, 0), v(0, 1, 0), v(1, 1, 0), v(-1, 0, 0), v(0, 0, 0)], 3);

  it('ranks rows by cosine, independent of vector length', () => {
    const hits = matrix.search(v(10, 1, 0), 5);
    expect(hits.map((h) => h.index)).toEqual([0, 2, 1, 4, 3]);
    expect(hits[0]?.score).toBeCloseTo(10 / Math.sqrt(101), 6);
    expect(hits[1]?.score).toBeCloseTo(11 / Math.sqrt(2 * 101), 6);
    expect(hits[4]?.score).toBeCloseTo(-10 / Math.sqrt(101), 6);
  });

  it('applies k and minScore, and scores a zero vector 0', () => {
    expect(matrix.search(v(1, 0, 0), 2).map((h) => h.index)).toEqual([0, 2]);
    expect(matrix.search(v(1, 0, 0), 5, 0.5).map((h) => h.index)).toEqual([0, 2]);
    expect(matrix.search(v(0, 0, 1), 5).map((h) => h.score)).toEqual([0, 0, 0, 0, 0]);
  });

  it('scores a row against itself (or its opposite) within [-1, 1], never 1 + rounding', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    const rows = Array.from({ length: 40 }, () => Float32Array.from({ length: 384 }, next));
    const m = new VectorMatrix(rows, 384);
    for (const row of rows) {
      const [self] = m.search(row, 1);
      expect(self?.score).toBeLessThanOrEqual(1);
      expect(self?.score).toBeGreaterThan(1 - 1e-6);
      const [opposite] = m.search(row.map((v) => -v), 40).slice(-1);
      expect(opposite?.score).toBeGreaterThanOrEqual(-1);
    }
  });

  it('breaks ties by row order', () => {
    const m = new VectorMatrix([v(0, 1), v(1, 0), v(2, 0)], 2);
    expect(m.search(v(1, 0), 3).map((h) => h.index)).toEqual([1, 2, 0]);
  });

  it('rejects mismatched dimensions and a bad k', () => {
    expect(() => new VectorMatrix([v(1, 0), v(1, 0, 0)], 2)).toThrow(/vector 1 has 3 dimensions/);
    expect(() => matrix.search(v(1, 0), 1)).toThrow(/query has 2 dimensions/);
    expect(() => matrix.search(v(1, 0, 0), 0)).toThrow(/k: 0/);
  });

  it('normalises to unit length without touching the input', () => {
    const input = v(3, 4);
    expect([...normalise(input)]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect([...input]).toEqual([3, 4]);
  });
});
