/**
 * tuneline.recommend.v1 messages to and from the service's plain shapes. A candidate with
 * only item_id is a catalog item; any of text, title, tags, genres or created_at makes it an
 * inline item (text is its description). Rank's `limit` is the k (0 = all).
 */
import type { UserEventType } from '@tuneline/events';
import { ValidationError } from '@tuneline/platform';
import { recommendV1 } from '@tuneline/proto';
import type { CandidateInput, FeedbackCall, RankAnswer, RankCall, RankedEntry, RecommendAnswer, RecommendCall, RuleNote } from '../ranking/types';

const TYPES_IN: Partial<Record<recommendV1.FeedbackType, UserEventType>> = {
  [recommendV1.FeedbackType.FEEDBACK_TYPE_CLICK]: 'click',
  [recommendV1.FeedbackType.FEEDBACK_TYPE_LIKE]: 'like',
  [recommendV1.FeedbackType.FEEDBACK_TYPE_SKIP]: 'skip',
  [recommendV1.FeedbackType.FEEDBACK_TYPE_PURCHASE]: 'purchase',
  [recommendV1.FeedbackType.FEEDBACK_TYPE_VIEW]: 'view',
  [recommendV1.FeedbackType.FEEDBACK_TYPE_RATE]: 'rate',
};

export function candidateOf(c: recommendV1.CandidateItem): CandidateInput {
  const inline = c.text !== '' || c.title !== '' || c.tags.length > 0 || c.genres.length > 0 || c.createdAt !== undefined;
  if (!inline) return { itemId: c.itemId };
  return {
    itemId: c.itemId,
    inline: { title: c.title, description: c.text, tags: c.tags, genres: c.genres, ...(c.createdAt ? { createdAt: c.createdAt.getTime() } : {}) },
  };
}

export function rankCallOf(req: recommendV1.RankRequest, signal?: AbortSignal): RankCall {
  return { userId: req.userId, candidates: req.candidates.map(candidateOf), ...(req.limit > 0 ? { k: req.limit } : {}), ...(signal ? { signal } : {}) };
}

export function recommendCallOf(req: recommendV1.RecommendRequest, signal?: AbortSignal): RecommendCall {
  return { userId: req.userId, ...(req.k > 0 ? { k: req.k } : {}), ...(signal ? { signal } : {}) };
}

export function feedbackCallOf(req: recommendV1.RecordFeedbackRequest): FeedbackCall {
  const type = TYPES_IN[req.type];
  if (!type) throw new ValidationError(`type must be one of ${Object.keys(TYPES_IN).map((t) => recommendV1.feedbackTypeToJSON(Number(t))).join(', ')}`, { field: 'type' });
  return {
    userId: req.userId,
    itemId: req.itemId,
    type,
    // proto3 has no "unset" double: 0 is no value (never a valid rating).
    ...(req.value !== 0 ? { value: req.value } : {}),
    ...(req.occurredAt ? { occurredAt: req.occurredAt } : {}),
  };
}

const rankedItemOf = (e: RankedEntry): recommendV1.RankedItem => ({ itemId: e.itemId, score: e.score, rank: e.rank, title: e.title, reasons: e.reasons.map((r) => ({ name: r.name, value: r.value })) });
const ruleOf = (r: RuleNote): recommendV1.RuleApplication => ({ rule: r.rule, explanation: r.explanation, itemIds: [], affected: r.affected });

export function rankResponseOf(a: RankAnswer): recommendV1.RankResponse {
  return {
    items: a.items.map(rankedItemOf),
    modelVersion: a.model.version,
    unknownItemIds: [...a.unknownItemIds],
    duplicatesMerged: a.duplicatesMerged,
    coldStart: a.coldStart,
    rules: a.rules.map(ruleOf),
    model: { name: a.model.name, version: a.model.version },
  };
}

export function recommendResponseOf(a: RecommendAnswer): recommendV1.RecommendResponse {
  return {
    items: a.items.map(rankedItemOf),
    coldStart: a.coldStart,
    rules: a.rules.map(ruleOf),
    model: { name: a.model.name, version: a.model.version },
    candidatesConsidered: 0,
  };
}
