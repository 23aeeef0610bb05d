import { ModelFormatError } from '../errors';
import { predictionsOf } from './classifier';

const rows = (...r: number[][]) => r.map((x) => new Float32Array(x));

describe('predictionsOf', () => {
  it('names each column by its label and takes the best one (first on a tie)', () => {
    const [a, b] = predictionsOf(rows([0.1, 0.7, 0.2], [0.4, 0.4, 0.2]), ['card', 'refund', 'pin']);
    expect(a).toMatchObject({ label: 'refund', labels: ['refund'], scores: { card: expect.closeTo(0.1), refund: expect.closeTo(0.7), pin: expect.closeTo(0.2) } });
    expect(b).toMatchObject({ label: 'card', labels: ['card'] });
  });

  it('the same row under reordered labels names a different best label', () => {
    expect(predictionsOf(rows([0.8, 0.2]), ['card', 'refund'])[0]?.label).toBe('card');
    expect(predictionsOf(rows([0.8, 0.2]), ['refund', 'card'])[0]?.label).toBe('refund');
  });

  it('multi-label: every label at or above the threshold', () => {
    const [p] = predictionsOf(rows([0.9, 0.5, 0.1]), ['a', 'b', 'c'], { multilabel: true, threshold: 0.5 });
    expect(p).toMatchObject({ label: 'a', labels: ['a', 'b'] });
  });

  it('refuses rows whose width is not the number of labels (labels of another version)', () => {
    expect(() => predictionsOf(rows([0.5, 0.5, 0]), ['a', 'b'])).toThrow(ModelFormatError);
    expect(() => predictionsOf(rows([1]), [])).toThrow(ModelFormatError);
  });
});
