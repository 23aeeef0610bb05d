import { DEFAULT_CANDIDATE_OPTIONS, generateCandidates, validateCandidateOptions, type CandidateOptions } from '../candidates/candidate-generator';
import { TextNeighbours } from '../candidates/text-neighbours';
import { checkCatalogItem } from '../catalog/check-item';
import { DEFAULT_INLINE_CACHE_ITEMS, InlineEmbeddings } from '../catalog/inline-embeddings';
import type { ItemCatalog } from '../catalog/item-catalog';
import { isPositive, type CollaborativeModels } from '../collab/collaborative';
import { SequenceTransitions } from '../collab/sequence-transitions';
import type { CatalogItem, Interaction } from '../data/catalog-item';
import { FeatureExtractor, type UserSide } from '../features/feature-extractor';
import { COLD_BELOW, FEATURE_COUNT } from '../features/feature-names';
import type { ItemPopularity } from '../features/item-popularity';
import { applyEvent, checkInteraction, validateProfileOptions, type ProfileOptions } from '../profile/apply-event';
import type { EventPosition } from '../profile/event-position';
import { checkEventTime, DEFAULT_MAX_FUTURE_MS } from '../profile/event-time';
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

/**
 * A Rank candidate: a catalog id, or an inline item, scored from its own text without entering
 * the catalog (an inline item whose id the catalog knows is ranked as the catalog item).
 */
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
  /** The catalog's title, or the inline item's. */
  readonly title: string;
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
  /** Epoch ms "now" for the features and the event-time check (default Date.now). */
  readonly clock?: () => number;
  /** Latest accepted event time, ms after `clock()` (default DEFAULT_MAX_FUTURE_MS): later is a RangeError. */
  readonly maxFutureMs?: number;
  /** Inline items' vectors remembered, by text (default DEFAULT_INLINE_CACHE_ITEMS; 0: none). */
  readonly inlineCacheItems?: number;
}

/** An inline item with its vector, scored at index `base + position` of one request. */
interface OutsideItem {
  readonly item: CatalogItem;
  readonly embedding: Float32Array;
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
  private readonly maxFutureMs: number;
  private readonly inline: InlineEmbeddings;

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
    this.maxFutureMs = o.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS;
    if (!Number.isInteger(this.maxFutureMs) || this.maxFutureMs < 0) throw new RangeError(`maxFutureMs must be an integer >= 0, got ${String(this.maxFutureMs)}`);
    this.inline = new InlineEmbeddings((texts) => o.catalog.embedDetached(texts), o.inlineCacheItems ?? DEFAULT_INLINE_CACHE_ITEMS);
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
    const inline = new Map<string, CatalogItem>();
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
        if (!seenIds.has(id)) inline.set(id, c);
      }
      if (!seenIds.has(id)) ids.push(id);
      seenIds.add(id);
    });
    const k = checkK(request.k, this.limits.maxK, Math.max(1, Math.min(DEFAULT_K, ids.length)));
    // The catalog (fed by catalog.items) is authoritative: a request never rewrites an item's text.
    const outsideItems = [...inline.values()].filter((c) => !this.o.catalog.has(c.id));
    const vectors = await this.inline.of(outsideItems);
    const outside = outsideItems.map((item, j) => ({ item, embedding: vectors[j] as Float32Array }));
    // Decided before the await: an inline id that catalog.items brought meanwhile stays outside (else it is ranked twice).
    const outsideIds = new Set(outsideItems.map((c) => c.id));
    const known: number[] = [];
    const unknown: string[] = [];
    for (const id of ids) {
      if (outsideIds.has(id)) continue;
      const i = this.o.catalog.indexOf(id);
      if (i >= 0) known.push(i);
      else if (!inline.has(id)) unknown.push(id);
    }
    const { profile, user } = await this.userSide(request.userId);
    const ranked = await this.score(user, Int32Array.from(known), k, outside);
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
  async recordEvent(event: Interaction, position?: EventPosition): Promise<UserProfile> {
    const { profile, before, applied } = await this.updateProfile(event, position);
    // A redelivered record was counted the first time too.
    if (applied) this.observeEvent(event, before);
    return profile;
  }

  /**
   * The profile half of recordEvent; returns the profile before and after. With the event's
   * log `position`, a record already applied (a redelivery) changes nothing: `applied` false.
   */
  async updateProfile(event: Interaction, position?: EventPosition): Promise<{ profile: UserProfile; before: UserProfile | undefined; applied: boolean }> {
    this.checkEvent(event);
    let before: UserProfile | undefined;
    const apply = (current: UserProfile | undefined) => {
      before = current;
      return applyEvent(current ?? emptyProfile(event.userId, this.o.catalog.dim), event, this.o.catalog, this.profileOptions);
    };
    if (!position) return { profile: await this.o.profiles.update(event.userId, apply), before, applied: true };
    const { profile, applied } = await this.o.profiles.updateOnce(event.userId, position, apply);
    return { profile, before: applied ? before : undefined, applied };
  }

  /**
   * The counters half of recordEvent: popularity, and co-occurrence and sequence transitions
   * from the user's earlier liked items (`before`: their profile before this event) when the
   * event is a new like.
   */
  observeEvent(event: Interaction, before: UserProfile | undefined): void {
    this.checkEvent(event);
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

  /** A usable interaction whose time is neither before 1970 nor past the future limit (RangeError naming it). */
  private checkEvent(event: Interaction): void {
    checkInteraction(event);
    checkEventTime(event.ts, this.clock(), this.maxFutureMs);
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

  /**
   * Scores catalog `items` and `outside` items (inline, not in the catalog) with the head, applies
   * the rules and explains the top `k`. Outside item j goes by index `base + j`, `base` being
   * the catalog's size now: a catalog upsert while the head runs cannot reach those indices.
   */
  private async score(user: UserSide, items: Int32Array, k: number, outside: readonly OutsideItem[] = []): Promise<Pick<RankResponse, 'items' | 'modelVersion' | 'rules'>> {
    const catalog = this.o.catalog;
    const n = items.length + outside.length;
    if (n === 0) return { items: [], modelVersion: 'none', rules: [] };
    const base = catalog.size;
    const all = new Int32Array(n);
    all.set(items);
    outside.forEach((_, j) => (all[items.length + j] = base + j));
    const rows = new Float32Array(n * FEATURE_COUNT);
    this.extractor.rows(user, items, rows);
    if (outside.length) rows.set(this.extractor.outsideRows(user, outside), items.length * FEATURE_COUNT);
    const { scores, version, head } = await this.o.ranker.score(rows, n);
    const scored: ScoredItem[] = Array.from(all, (index, r) => ({ index, score: scores[r] as number, reasons: [] }));
    const rowOf = new Map<number, number>(Array.from(all, (index, r) => [index, r]));
    const itemAt = (i: number): CatalogItem => (i >= base ? (outside[i - base] as OutsideItem).item : catalog.itemAt(i));
    const seen = new Set(seenIndices(user.profile, catalog));
    const seenIds = new Set(user.profile.seen.map((x) => x.itemId));
    outside.forEach((x, j) => seenIds.has(x.item.id) && seen.add(base + j));
    const popularity = this.o.popularity;
    const { items: top, applied } = applyRules(scored, this.rules, {
      seen,
      itemAt,
      embeddingAt: (i) => (i >= base ? (outside[i - base] as OutsideItem).embedding : catalog.embeddingAt(i)),
      countOf: (i) => (i >= base ? 0 : popularity.countOf(i)),
      coldBelow: COLD_BELOW,
      now: user.now,
    }, k);
    return {
      modelVersion: version,
      rules: applied,
      items: top.map((x, r) => {
        const at = rowOf.get(x.index) as number;
        const reasons = topReasons(head, rows.subarray(at * FEATURE_COUNT, (at + 1) * FEATURE_COUNT), REASONS_PER_ITEM);
        const item = itemAt(x.index);
        return { itemId: item.id, title: item.title, score: Math.round(x.score * 1e6) / 1e6, rank: r + 1, reasons: [...reasons, ...x.reasons] };
      }),
    };
  }
}
