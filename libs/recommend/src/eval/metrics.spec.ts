import { hitRateAtK, hitsAtK, ndcgAtK, recallAtK, sortedHas } from './metrics';

const I = (...xs: number[]) => Int32Array.from(xs);

describe('ranking metrics (hand-computed)', () => {
  // ranked 5, 2, 9, 1; relevant {1, 2, 7}: hits at ranks 2 and 4
  const ranked = I(5, 2, 9, 1);
  const relevant = I(1, 2, 7);

  it('NDCG@4 = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/log2 4) = 0.498189…', () => {
    expect(ndcgAtK(ranked, relevant, 4)).toBeCloseTo(0.49818925746641285, 12);
  });

  it('NDCG@2 counts only rank 2 against an ideal of two hits', () => {
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(0.38685280723454163, 12);
  });

  it('HR@k is 1 from the first hit on, 0 before', () => {
    expect(hitRateAtK(ranked, relevant, 1)).toBe(0);
    expect(hitRateAtK(ranked, relevant, 2)).toBe(1);
    expect(ndcgAtK(ranked, relevant, 1)).toBe(0);
  });

  it('Recall@k divides by all relevant items', () => {
    expect(recallAtK(ranked, relevant, 4)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, relevant, 20)).toBeCloseTo(2 / 3, 12); // a short list: the missing tail misses
    expect(hitsAtK(ranked, relevant, 3)).toBe(1);
  });

  it('a perfect ranking scores 1 and an empty relevant set 0', () => {
    expect(ndcgAtK(I(7, 1, 2, 0), relevant, 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK(I(7, 1, 2, 0), relevant, 2)).toBeCloseTo(1, 12);
    expect(recallAtK(ranked, I(), 5)).toBe(0);
    expect(ndcgAtK(ranked, I(), 5)).toBe(0);
  });

  it('binary search finds members only', () => {
    expect([0, 1, 2, 3, 7, 8].map((x) => sortedHas(relevant, x))).toEqual([false, true, true, false, true, false]);
  });

  it('rejects a k below 1', () => {
    expect(() => ndcgAtK(ranked, relevant, 0)).toThrow(/k must be a whole number >= 1/);
    expect(() => hitRateAtK(ranked, relevant, 1.5)).toThrow(RangeError);
  });
});
