import { rankingCardOf } from './ranking-card';

describe('rankingCardOf', () => {
  const member = (auc: number, ndcg: number, ease: number) => ({ validationAuc: auc, validationNdcg10: ndcg, easeOrderNdcg10: ease, bestEpoch: 20 });

  it('turns a ranking head\'s card into event metrics: the ensemble members\' mean held-out figures', () => {
    const card = { name: 'recommend-ranker', version: '2', task: 'ranking', interactions: 516, report: { rows: 1991, members: [member(0.9, 0.6, 0.5), member(0.8, 0.4, 0.3)] } };
    const parsed = rankingCardOf(card);
    expect(parsed).toMatchObject({ name: 'recommend-ranker', version: '2', task: 'ranking' });
    expect(parsed?.metrics['validationAuc']).toBeCloseTo(0.85);
    expect(parsed?.metrics['validationNdcg10']).toBeCloseTo(0.5);
    expect(parsed?.metrics['easeOrderNdcg10']).toBeCloseTo(0.4);
    expect(parsed?.metrics).toMatchObject({ rows: 1991, interactions: 516 });
  });

  it('is undefined for a classifier\'s card or a card without the training report', () => {
    expect(rankingCardOf({ name: 'm', version: '1', task: 'classification', metrics: { validation: { accuracy: 1, macroF1: 1 } } })).toBeUndefined();
    expect(rankingCardOf({ name: 'm', version: '1', task: 'ranking' })).toBeUndefined();
    expect(rankingCardOf(undefined)).toBeUndefined();
  });
});
