/**
 * The RankingEngine over libs/recommend's Recommender: maps the service's call shapes to the
 * facade's and its answers back (with the served head's name), and its
 * errors to the platform's (a CandidateLimitError is 413, naming the limit).
 */
import { ValidationError } from '@tuneline/platform';
import { CandidateLimitError, RecommendRequestError, type RankCandidate, type RankResponse, type Recommender } from '@tuneline/recommend';
import type { RankAnswer, RankCall, RankedEntry, RankingEngine, RecommendAnswer, RecommendCall } from './types';

export interface RecommenderEngineOptions {
  readonly recommender: Pick<Recommender, 'rank' | 'recommend'>;
  /** Name of the served ranking head (the facade reports its version). */
  readonly modelName: string;
  /** Largest k: what "all candidates" (no k) is capped at. */
  readonly maxK: number;
}

/** The facade's refusals as the platform's ValidationError (same field, 413 for the candidate limit). */
export function toPlatformError(err: unknown): unknown {
  if (err instanceof CandidateLimitError) return new ValidationError(`candidates: ${err.got} sent; the limit is ${err.limit} per request`, { field: 'candidates', kind: 'too-large', cause: err });
  if (err instanceof RecommendRequestError) return new ValidationError(err.message, { field: err.field, cause: err });
  return err;
}

export class RecommenderEngine implements RankingEngine {
  constructor(private readonly o: RecommenderEngineOptions) {}

  async rank(call: RankCall): Promise<RankAnswer> {
    // Inline items are scored without entering the catalog; one whose id the catalog knows is ranked as the catalog item.
    const candidates: RankCandidate[] = call.candidates.map((c) => (c.inline ? { id: c.itemId, ...c.inline } : c.itemId));
    // No k: every ranked candidate, up to the maximum (the facade's own default would be 10).
    const k = call.k ?? Math.max(1, Math.min(this.o.maxK, new Set(call.candidates.map((c) => c.itemId)).size));
    const res = await this.o.recommender.rank({ userId: call.userId, candidates, k }).catch((err: unknown) => {
      throw toPlatformError(err);
    });
    return { ...this.common(res), unknownItemIds: res.unknown, duplicatesMerged: res.duplicatesMerged };
  }

  async recommend(call: RecommendCall & { readonly k: number }): Promise<RecommendAnswer> {
    const res = await this.o.recommender.recommend({ userId: call.userId, k: call.k }).catch((err: unknown) => {
      throw toPlatformError(err);
    });
    return this.common(res);
  }

  private common(res: RankResponse): RecommendAnswer {
    const items: RankedEntry[] = res.items.map((i) => ({ itemId: i.itemId, score: i.score, rank: i.rank, title: i.title, reasons: i.reasons }));
    return {
      items,
      coldStart: res.coldStart,
      rules: res.rules.map((r) => ({ rule: r.rule, explanation: r.detail, affected: r.affected })),
      model: { name: this.o.modelName, version: res.modelVersion },
    };
  }
}
