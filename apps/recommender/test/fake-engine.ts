/** A RankingEngine for transport specs: ranks candidates in request order with fixed reasons, and records the calls. */
import type { RankAnswer, RankCall, RankingEngine, RecommendAnswer, RecommendCall } from '../src/ranking/types';

export interface FakeEngine extends RankingEngine {
  readonly rankCalls: RankCall[];
  readonly recommendCalls: (RecommendCall & { k: number })[];
}

export const FAKE_MODEL = { name: 'recommend-ranker', version: '1' } as const;

/** Known catalog ids for the fake: anything starting with `m-`. */
export function fakeRank(call: RankCall): RankAnswer {
  const seen = new Set<string>();
  const unknown: string[] = [];
  const ranked: string[] = [];
  let merged = 0;
  for (const c of call.candidates) {
    if (seen.has(c.itemId)) {
      merged++;
      continue;
    }
    seen.add(c.itemId);
    if (!c.inline && !c.itemId.startsWith('m-')) unknown.push(c.itemId);
    else ranked.push(c.itemId);
  }
  const items = ranked.slice(0, call.k ?? ranked.length).map((itemId, i) => ({
    itemId,
    score: 1 - i / 100,
    rank: i + 1,
    title: `Title ${itemId}`,
    reasons: [{ name: 'user_item_cosine', value: 0.5 }, { name: 'popularity', value: 0.1 }],
  }));
  return { items, unknownItemIds: unknown, duplicatesMerged: merged, coldStart: call.userId.startsWith('new'), rules: [{ rule: 'filterSeen', explanation: 'removed 1 seen item', affected: 1 }], model: FAKE_MODEL };
}

export function fakeEngine(overrides: Partial<RankingEngine> = {}): FakeEngine {
  const rankCalls: RankCall[] = [];
  const recommendCalls: (RecommendCall & { k: number })[] = [];
  return {
    rankCalls,
    recommendCalls,
    rank: async (call) => {
      rankCalls.push(call);
      return overrides.rank ? overrides.rank(call) : fakeRank(call);
    },
    recommend: async (call): Promise<RecommendAnswer> => {
      recommendCalls.push(call);
      if (overrides.recommend) return overrides.recommend(call);
      const items = Array.from({ length: call.k }, (_, i) => ({ itemId: `m-${i}`, score: 1 - i / 10, rank: i + 1, title: `T${i}`, reasons: [{ name: 'popularity', value: 0.3 }] }));
      return { items, coldStart: true, rules: [], model: FAKE_MODEL };
    },
  };
}
