import { EaseScorer } from '../baselines/ease';
import { IdIndex } from '../data/id-index';
import type { Interaction } from '../data/catalog-item';
import { buildUserItemMatrix } from '../data/user-item-matrix';
import { loadMovieLens } from '../data/movielens';
import { sampleMovieLensFiles } from '../samples';
import { WeightedEase } from './weighted-ease';

describe('WeightedEase', () => {
  const { catalog, ratings } = loadMovieLens(sampleMovieLensFiles());
  const items = IdIndex.of(catalog.map((i) => i.id));
  const positives = ratings.filter((x: Interaction) => (x.value ?? 0) >= 3.5);

  it('scores a unit-weight history exactly as the EASE baseline', () => {
    const ease = EaseScorer.fit(buildUserItemMatrix(positives, items).matrix, { lambda: 20 });
    const weighted = WeightedEase.fit(positives, items, 20);
    const history = Int32Array.of(0, 3, 7, 12);
    const a = ease.scoreHistory(history);
    const b = weighted.scoreHistory(history);
    a.forEach((x, i) => expect(b[i]).toBeCloseTo(x, 4));
    expect(weighted.itemCount).toBe(items.size);
  });

  it('is linear in the weights: score(w·x) = Σ w_h · score(e_h) off the history', () => {
    const weighted = WeightedEase.fit(positives, items, 20);
    const both = weighted.scoreHistory([1, 5], [0.25, 2]);
    const one = weighted.scoreHistory([1]);
    const five = weighted.scoreHistory([5]);
    for (let j = 0; j < items.size; j++) if (j !== 1 && j !== 5) expect(both[j]).toBeCloseTo(0.25 * (one[j] as number) + 2 * (five[j] as number), 4);
    expect(() => weighted.scoreHistory([items.size])).toThrow(/outside/);
    expect(() => WeightedEase.fit(positives, items, 0)).toThrow(/lambda/);
  });
});
