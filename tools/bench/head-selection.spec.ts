import { argmaxLabels, bestCandidate, HEAD_CANDIDATES, selectHead, selectionParts, type CandidateScore } from './head-selection';
import { labelMetrics } from './sentiment-quality-metrics';

const score = (name: string, macroF1: number): CandidateScore =>
  ({ name, options: {}, selection: { ...labelMetrics(['a', 'b'], ['a', 'b'], ['a', 'b']), macroF1 }, epochsRun: 1, seconds: 0 });

describe('head selection', () => {
  it('picks the highest selection macro-F1; a tie keeps the earlier (simpler) candidate', () => {
    expect(bestCandidate([score('linear', 0.7), score('mlp', 0.72)]).name).toBe('mlp');
    expect(bestCandidate([score('linear', 0.72), score('mlp', 0.72)]).name).toBe('linear');
    expect(() => bestCandidate([])).toThrow(RangeError);
  });

  it('library defaults come first among the candidates', () => {
    expect(HEAD_CANDIDATES[0]).toEqual({ name: 'linear', options: {} });
  });

  it('trains each candidate on the fit part and scores it on a disjoint selection part', () => {
    // Two well-separated 2-d clusters: every candidate should classify the selection part perfectly.
    const n = 60;
    const gold = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'neg' : 'pos'));
    const X = new Float64Array(n * 2);
    gold.forEach((g, i) => X.set(g === 'neg' ? [1, 0.01 * (i % 5)] : [0.01 * (i % 7), 1], i * 2));
    const seen: string[] = [];
    const r = selectHead({ X, dim: 2, labels: ['neg', 'pos'], gold }, HEAD_CANDIDATES.slice(0, 2), { selectionFraction: 0.2, seed: 1, log: (m) => seen.push(m) });
    expect(r.selectionRows).toBe(12);
    expect(r.fitRows).toBe(48);
    expect(r.scores.map((s) => s.name)).toEqual(['linear', 'linear-balanced']);
    for (const s of r.scores) expect(s.selection).toMatchObject({ count: 12, accuracy: 1 });
    expect(r.best.name).toBe('linear');
    expect(seen).toHaveLength(2);
  });

  it('refuses a matrix of the wrong size and unknown labels', () => {
    expect(() => selectHead({ X: new Float64Array(3), dim: 2, labels: ['a', 'b'], gold: ['a', 'b'] }, HEAD_CANDIDATES, { selectionFraction: 0.2, seed: 1 })).toThrow(/X: expected 2×2/);
    expect(() => selectHead({ X: new Float64Array(4), dim: 2, labels: ['a', 'b'], gold: ['a', 'c'] }, HEAD_CANDIDATES, { selectionFraction: 0.2, seed: 1 })).toThrow(/gold\[1\]/);
  });
});

describe('selection parts and argmax', () => {
  it('splits the rows into disjoint fit, early-stopping and selection parts covering them all, each label in each part', () => {
    const gold = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 'neg' : 'pos'));
    const p = selectionParts(gold, 0.2, 3);
    expect(p.select).toHaveLength(20);
    expect(p.early).toHaveLength(12);
    expect(p.fit).toHaveLength(68);
    expect(new Set([...p.fit, ...p.early, ...p.select]).size).toBe(100);
    for (const part of [p.fit, p.early, p.select]) expect(new Set(part.map((i) => gold[i]))).toEqual(new Set(['neg', 'pos']));
    expect(selectionParts(gold, 0.2, 3)).toEqual(p);
  });

  it('argmaxLabels takes the largest logit of each row; ties keep the first label', () => {
    expect(argmaxLabels(Float64Array.from([0.1, 2, -1, 5, 0, 0, 1, 1, 1]), ['a', 'b', 'c'])).toEqual(['b', 'a', 'a']);
  });
});
