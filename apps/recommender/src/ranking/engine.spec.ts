import { CandidateLimitError, RecommendRequestError, type RankRequest, type RankResponse } from '@tuneline/recommend';
import { RecommenderEngine, toPlatformError } from './engine';

const TITLES: Record<string, string> = { a: 'Alpha', b: 'Beta', c: 'Gamma' };
const response = (items: string[]): RankResponse => ({
  items: items.map((itemId, i) => ({ itemId, title: TITLES[itemId] ?? '', score: 1 - i, rank: i + 1, reasons: [{ name: 'textCosine', value: 0.4 }] })),
  unknown: ['ghost'],
  duplicatesMerged: 1,
  coldStart: false,
  modelVersion: '3',
  rules: [{ rule: 'filterSeen', detail: 'items the user already interacted with are left out', affected: 2 }],
});

describe('RecommenderEngine', () => {
  const calls: RankRequest[] = [];
  const engine = new RecommenderEngine({
    recommender: {
      rank: async (r) => (calls.push(r), response(['a', 'b'])),
      recommend: async () => response(['c']),
    },
    modelName: 'recommend-ranker',
    maxK: 3,
  });

  it('maps calls and answers: ids and inline items (the facade ranks a known id as the catalog item), no k = every distinct candidate up to the max, titles, rules, the model name', async () => {
    const answer = await engine.rank({ userId: 'u', candidates: [{ itemId: 'a' }, { itemId: 'a' }, { itemId: 'n', inline: { title: 'New', description: 'd', tags: ['t'], genres: [] } }] });
    expect(calls[0]).toEqual({ userId: 'u', candidates: ['a', 'a', { id: 'n', title: 'New', description: 'd', tags: ['t'], genres: [] }], k: 2 });
    expect(answer).toEqual({
      items: [
        { itemId: 'a', score: 1, rank: 1, title: 'Alpha', reasons: [{ name: 'textCosine', value: 0.4 }] },
        { itemId: 'b', score: 0, rank: 2, title: 'Beta', reasons: [{ name: 'textCosine', value: 0.4 }] },
      ],
      unknownItemIds: ['ghost'],
      duplicatesMerged: 1,
      coldStart: false,
      rules: [{ rule: 'filterSeen', explanation: 'items the user already interacted with are left out', affected: 2 }],
      model: { name: 'recommend-ranker', version: '3' },
    });
    await engine.rank({ userId: 'u', candidates: ['1', '2', '3', '4', '5'].map((itemId) => ({ itemId })) });
    expect(calls[1]?.k).toBe(3);
    await engine.rank({ userId: 'u', candidates: [{ itemId: 'a' }], k: 1 });
    expect(calls[2]?.k).toBe(1);
    expect((await engine.recommend({ userId: 'u', k: 1 })).items.map((i) => i.itemId)).toEqual(['c']);
  });

  it("turns the facade's refusals into the platform's: the candidate limit is 413, a bad field 400 naming it", () => {
    expect(toPlatformError(new CandidateLimitError(1000, 1200))).toMatchObject({ code: 'INVALID_ARGUMENT', httpStatus: 413, field: 'candidates', message: 'candidates: 1200 sent; the limit is 1000 per request' });
    expect(toPlatformError(new RecommendRequestError('candidates[2]', 'has no text to embed'))).toMatchObject({ code: 'INVALID_ARGUMENT', httpStatus: 400, field: 'candidates[2]', message: 'candidates[2]: has no text to embed' });
    const other = new Error('boom');
    expect(toPlatformError(other)).toBe(other);
  });
});
