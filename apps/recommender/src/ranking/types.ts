/**
 * The service's own request and answer shapes, shared by both transports (HTTP and gRPC map
 * to and from these only) and produced by the engine adapter over libs/recommend's
 * Recommender, so a change in the library's shapes touches one file.
 */
import type { UserEventType } from '@tuneline/events';

/** An item described in the request: ranked from its own text, never added to the catalog (its embedding is remembered in a bounded LRU). */
export interface InlineItem {
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly genres: readonly string[];
  /** Epoch milliseconds. */
  readonly createdAt?: number;
}

/** A candidate: a catalog item by id, or an inline item. */
export interface CandidateInput {
  readonly itemId: string;
  readonly inline?: InlineItem;
}

export interface RankCall {
  readonly userId: string;
  readonly candidates: readonly CandidateInput[];
  /** Items to return; undefined = every ranked candidate (up to the server's maximum). */
  readonly k?: number;
  readonly signal?: AbortSignal;
}

export interface RecommendCall {
  readonly userId: string;
  /** Items to return; undefined = the default k. */
  readonly k?: number;
  readonly signal?: AbortSignal;
}

export interface Reason {
  /** Feature name, or `rule:<name>` for a business rule. */
  readonly name: string;
  /** Signed contribution to the score. */
  readonly value: number;
}

export interface RankedEntry {
  readonly itemId: string;
  readonly score: number;
  /** 1-based. */
  readonly rank: number;
  readonly title: string;
  /** Largest |contribution| first. */
  readonly reasons: readonly Reason[];
}

/** A business rule that changed the list, explained. */
export interface RuleNote {
  readonly rule: string;
  readonly explanation: string;
  /** Items removed, moved or rescored. */
  readonly affected: number;
}

export interface ModelRef {
  readonly name: string;
  readonly version: string;
}

export interface RankAnswer {
  readonly items: readonly RankedEntry[];
  /** Id-only candidates the catalog does not know, in request order. */
  readonly unknownItemIds: readonly string[];
  readonly duplicatesMerged: number;
  readonly coldStart: boolean;
  readonly rules: readonly RuleNote[];
  readonly model: ModelRef;
}

export interface RecommendAnswer {
  readonly items: readonly RankedEntry[];
  readonly coldStart: boolean;
  readonly rules: readonly RuleNote[];
  readonly model: ModelRef;
}

export interface FeedbackCall {
  readonly userId: string;
  readonly itemId: string;
  readonly type: UserEventType;
  /** Rating of a `rate` event, 0.5..5; absent otherwise. */
  readonly value?: number;
  /** When it happened; absent = now. */
  readonly occurredAt?: Date;
}

export interface FeedbackAnswer {
  /** False when an identical event was recorded recently (a retry): not published again. */
  readonly recorded: boolean;
}

/** What the service needs from the model side (the adapter over libs/recommend's Recommender). */
export interface RankingEngine {
  rank(call: RankCall): Promise<RankAnswer>;
  recommend(call: RecommendCall & { readonly k: number }): Promise<RecommendAnswer>;
}
