import { DEFAULT_CANDIDATE_OPTIONS, generateCandidates, validateCandidateOptions, type CandidateOptions } from '../candidates/candidate-generator';
import { TextNeighbours } from '../candidates/text-neighbours';
import { checkCatalogItem } from '../catalog/check-item';
import type { ItemCatalog } from '../catalog/item-catalog';
import { isPositive, type CollaborativeModels } from '../collab/collaborative';
import { SequenceTransitions } from '../collab/sequence-transitions';
import type { CatalogItem, Interaction } from '../data/catalog-item';
import { FeatureExtractor, type UserSide } from '../features/feature-extractor';
import { COLD_BELOW, FEATURE_COUNT } from '../features/feature-names';
import type { ItemPopularity } from '../features/item-popularity';
import { applyEvent, checkInteraction, validateProfileOptions, type ProfileOptions } from '../profile/apply-event';
import { checkUserId, type ProfileStore } from '../profile/profile-store';
import { emptyProfile, isColdProfile, type UserProfile } from '../profile/user-profile';
import { topReasons, type Reason } from '../rank/explain';
import { seenIndices } from '../rank/offline-state';
import type { Ranker } from '../rank/ranker';
import { applyRules, type AppliedRule, type ScoredItem } from '../rules/apply-rules';
import { validateRules, type RulesConfig } from '../rules/rules-config';
import { CandidateLimitError, RecommendRequestError } from './errors';

/** Most candidates one Rank call may carry (the edge answers 413 / INVALID_ARGUMENT with it). */
export const MAX_CANDIDATES = 1000;
/** Most items one response may return. */
export const MAX_K = 100;
export const DEFAULT_K = 10;
/** Reasons per returned item. */
export const REASONS_PER_ITEM = 3;

/** A Rank candidate: a catalog id, or an inline item (upserted into the catalog, so it is embedded once). */
export type RankCandidate = string | CatalogItem;

export interface RankRequest {
  readonly userId: string;
  readonly candidates: readonly RankCandidate[];
  /** Items to return, 1..MAX_K; default min(DEFAULT_K, distinct candidates). */
  readonly k?: number;
}

export interface RecommendRequest {
  readonly userId: string;
  /** Items to return, 1..MAX_K; default DEFAULT_K. */
  readonly k?: number;
}

export interface RankedItem {
  readonly itemId: string;
  readonly score: number;
  /** 1-based. */
  readonly rank: number;
  /** The features (and boosts) that moved this item's score most, named. */
  readonly reasons: readonly Reason[];
}

export interface RankResponse {
  readonly items: readonly RankedItem[];
  /** Candidate ids the catalog does not know (reported per item; the rest are ranked). */
  readonly unknown: readonly string[];
  /** Candidates dropped as repeats of an earlier one (same id). */
  readonly duplicatesMerged: number;
  /** The user had no events: popularity, trend and the request's candidates carry the ranking. */
  readonly coldStart: boolean;
  /** The ranking head version that scored. */
  readonly modelVersion: string;
  /** Business rules that changed this response. */
  readonly rules: readonly AppliedRule[];
}

export interface RecommenderLimits {
  readonly maxCandidates: number;
  readonly maxK: number;
}

export interface RecommenderOptions {
  readonly catalog: ItemCatalog;
  readonly profiles: ProfileStore;
  readonly ranker: Ranker;
  readonly collaborative: CollaborativeModels;
  readonly popularity: ItemPopularity;
  readonly textNeighbours?: TextNeighbours;
  readonly candidates?: Partial<CandidateOptions>;
  readonly rules?: Partial<RulesConfig>;
  readonly profile?: ProfileOptions;
  readonly limits?: Partial<RecommenderLimits>;
  /** Epoch ms "now" for the features (default Date.now). */
  readonly clock?: () => number;
}

function checkK(k: unknown, max: number, fallback: number): number {
  if (k === undefined) return fallback;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > max) throw new RecommendRequestError('k', `must be an integer in 1..${max}, got ${String(k)}`);
  return k;
}

/**
 * The recommender both transports call: Rank (score given candidates), Recommend (retrieve
 * from the whole catalog, then rank) and RecordEvent (profile + online counters). Profiles
 * live in the ProfileStore (shared by replicas with Redis); co-occurrence and popularity
 * counters in this process (each replica counts the events it sees).
 */
export class Recommender {
  private readonly extractor: FeatureExtractor;
  private readonly candidateOptions: CandidateOptions;
  private readonly rules: RulesConfig;
  private readonly limits: RecommenderLimits;
  private readonly profileOptions: Required<ProfileOptions>;
  private readonly clock: () => number;
  private readonly sequence: SequenceTransitions;

  constructor(private readonly o: RecommenderOptions) {
    if (!o?.catalog || !o.profiles || !o.ranker || !o.collaborative?.cooc || !o.popularity) {
      throw new TypeError('catalog, profiles, ranker, collaborative (cooc) and popularity are required');
    }
    this.candidateOptions = validateCandidateOptions({ ...DEFAULT_CANDIDATE_OPTIONS, ...o.candidates });
    this.rules = validateRules(o.rules);
    this.profileOptions = validateProfileOptions(o.profile);
    this.limits = { maxCandidates: MAX_CANDIDATES, maxK: MAX_K, ...o.limits };
    for (const [k, v] of Object.entries(this.limits)) if (!Number.isInteger(v) || v < 1) throw new RangeError(`limits.${k} must be a positive integer`);
    this.clock = o.clock ?? Date.now;
    this.sequence = o.collaborative.sequence ?? new SequenceTransitions();
    this.extractor = new FeatureExtractor({
      catalog: o.catalog, popularity: o.popularity, cooc: o.collaborative.cooc, sequence: this.sequence, ...(o.collaborative.ease ? { ease: o.collaborative.ease } : {}),
      textNeighbours: o.textNeighbours ?? new TextNeighbours(o.catalog),
    });
  }

  get catalog(): ItemCatalog {
    return this.o.catalog;
  }

  /** Ranks the request's candidates for the user; unknown ids and repeats are reported, never fatal. */
  async rank(request: RankRequest): Promise<RankResponse> {
    if (typeof request !== 'object' || request === null) throw new RecommendRequestError('request', 'must be an object');
    this.checkUser(request.userId);
    const { candidates } = request;
    if (!Array.isArray(candidates)) throw new RecommendRequestError('candidates', 'must be an array of item ids or items');
    if (candidates.length > this.limits.maxCandidates) throw new CandidateLimitError(this.limits.maxCandidates, candidates.length);
    const ids: string[] = [];
    const inline: CatalogItem[] = [];
    const seenIds = new Set<string>();
    candidates.forEach((c, i) => {
      let id: string;
      if (typeof c === 'string') {
        if (c === '') throw new RecommendRequestError(`candidates[${i}]`, 'an item id must be non-empty');
        id = c;
      } else {
        try {
          checkCatalogItem(c, `candidates[${i}]`);
        } catch (err) {
          throw new RecommendRequestError(`candidates[${i}]`, (err as Error).message);
        }
        id = c.id;
        if (!seenIds.has(id)) inline.push(c);
      }
      if (!seenIds.has(id)) ids.push(id);
      seenIds.add(id);
    });
    const k = checkK(request.k, this.limits.maxK, Math.max(1, Math.min(DEFAULT_K, ids.length)));
    if (inline.length) await this.o.catalog.upsertMany(inline);
    const known: number[] = [];
    const unknown: string[] = [];
    for (const id of ids) {
      const i = this.o.catalog.indexOf(id);
      if (i >= 0) known.push(i);
      else unknown.push(id);
    }
    const { profile, user } = await this.userSide(request.userId);
    const ranked = await this.score(user, Int32Array.from(known), k);
    return { ...ranked, unknown, duplicatesMerged: candidates.length - ids.length, coldStart: isColdProfile(profile) };
  }

  /** Retrieves candidates from the whole catalog (collaborative, text, trending; popular for a cold start) and ranks them. */
  async recommend(request: RecommendRequest): Promise<RankResponse> {
    if (typeof request !== 'object' || request === null) throw new RecommendRequestError('request', 'must be an object');
    this.checkUser(request.userId);
    const k = checkK(request.k, this.limits.maxK, DEFAULT_K);
    const { profile, user } = await this.userSide(request.userId);
    const exclude = seenIndices(profile, this.o.catalog);
    const { items } = generateCandidates(user, this.o.popularity, this.o.catalog.size, exclude, this.candidateOptions);
    const ranked = await this.score(user, items, k);
    return { ...ranked, unknown: [], duplicatesMerged: 0, coldStart: isColdProfile(profile) };
  }

  /**
   * Records one event: the user's profile (through the store, atomically), then this
   * process's co-occurrence and popularity counters. Malformed events throw TypeError /
   * RangeError naming the field (the caller dead-letters them).
   */
  async recordEvent(event: Interaction): Promise<UserProfile> {
    const { profile, before } = await this.updateProfile(event);
    this.observeEvent(event, before);
    return profile;
  }

  /** The profile half of recordEvent; returns the profile before and after. */
  async updateProfile(event: Interaction): Promise<{ profile: UserProfile; before: UserProfile | undefined }> {
    checkInteraction(event);
    let before: UserProfile | undefined;
    const profile = await this.o.profiles.update(event.userId, (current) => {
      before = current;
      return applyEvent(current ?? emptyProfile(event.userId, this.o.catalog.dim), event, this.o.catalog, this.profileOptions);
    });
    return { profile, before };
  }

  /**
   * The counters half of recordEvent: popularity, and co-occurrence and sequence transitions
   * from the user's earlier liked items (`before`: their profile before this event) when the
   * event is a new like.
   */
  observeEvent(event: Interaction, before: UserProfile | undefined): void {
    checkInteraction(event);
    const index = this.o.catalog.indexOf(event.itemId);
    if (index < 0) return;
    this.o.popularity.record(index, event);
    if (!isPositive(event)) return;
    const earlier = (before?.seen ?? []).filter((s) => s.weight > 0);
    if (earlier.some((s) => s.itemId === event.itemId)) return;
    const previous = earlier.map((s) => this.o.catalog.indexOf(s.itemId)).filter((i) => i >= 0);
    this.o.collaborative.cooc.add(index, previous);
    this.sequence.add(index, previous);
  }

  private checkUser(userId: unknown): asserts userId is string {
    try {
      checkUserId(userId);
    } catch {
      throw new RecommendRequestError('userId', 'must be a non-empty string');
    }
  }

  private async userSide(userId: string): Promise<{ profile: UserProfile; user: UserSide }> {
    const profile = (await this.o.profiles.get(userId)) ?? emptyProfile(userId, this.o.catalog.dim);
    return { profile, user: this.extractor.user(profile, this.clock()) };
  }

  private async score(user: UserSide, items: Int32Array, k: number): Promise<Pick<RankResponse, 'items' | 'modelVersion' | 'rules'>> {
    const catalog = this.o.catalog;
    if (items.length === 0) return { items: [], modelVersion: 'none', rules: [] };
    const rows = this.extractor.rows(user, items);
    const { scores, version, head } = await this.o.ranker.score(rows, items.length);
    const scored: ScoredItem[] = Array.from(items, (index, r) => ({ index, score: scores[r] as number, reasons: [] }));
    const rowOf = new Map<number, number>(Array.from(items, (index, r) => [index, r]));
    const seen = new Set(seenIndices(user.profile, catalog));
    const popularity = this.o.popularity;
    const { items: top, applied } = applyRules(scored, this.rules, {
      seen, itemAt: (i) => catalog.itemAt(i), embeddingAt: (i) => catalog.embeddingAt(i), countOf: (i) => popularity.countOf(i), coldBelow: COLD_BELOW, now: user.now,
    }, k);
    return {
      modelVersion: version,
      rules: applied,
      items: top.map((x, r) => {
        const at = rowOf.get(x.index) as number;
        const reasons = topReasons(head, rows.subarray(at * FEATURE_COUNT, (at + 1) * FEATURE_COUNT), REASONS_PER_ITEM);
        return { itemId: catalog.ids[x.index] as string, score: Math.round(x.score * 1e6) / 1e6, rank: r + 1, reasons: [...reasons, ...x.reasons] };
      }),
    };
  }
}
