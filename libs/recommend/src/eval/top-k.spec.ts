import { seededRandom } from '../testing/synthetic-ratings';
import { topK } from './top-k';

describe('topK', () => {
  it('returns the best k, best first, ties to the lower index', () => {
    const s = Float32Array.from([0.5, 2, 2, -1, 7, 0.5]);
    expect([...topK(s, 3)]).toEqual([4, 1, 2]);
    expect([...topK(s, 10)]).toEqual([4, 1, 2, 0, 5, 3]);
    expect([...topK(s, 0)]).toEqual([]);
  });

  it('skips the excluded indices and never writes the scores', () => {
    const s = Float32Array.from([9, 8, 7, 6, 5]);
    expect([...topK(s, 2, Int32Array.from([0, 2]))]).toEqual([1, 3]);
    expect([...s]).toEqual([9, 8, 7, 6, 5]);
  });

  it('agrees with a full sort on random scores', () => {
    const rand = seededRandom(3);
    const s = Float32Array.from({ length: 500 }, () => Math.round(rand() * 50)); // many ties
    const exclude = Int32Array.from([3, 10, 11, 400]);
    const expected = [...s.keys()].filter((i) => !exclude.includes(i)).sort((a, b) => (s[b] as number) - (s[a] as number) || a - b).slice(0, 25);
    expect([...topK(s, 25, exclude)]).toEqual(expected);
  });

  it('rejects NaN scores and a bad k', () => {
    expect(() => topK(Float32Array.from([1, Number.NaN]), 1)).toThrow(/scores\[1\] is NaN/);
    expect(() => topK(new Float32Array(2), -1)).toThrow(RangeError);
  });
});
