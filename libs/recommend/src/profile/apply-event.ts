import { INTERACTION_TYPES, type CatalogItem, type Interaction, type InteractionType } from '../data/catalog-item';
import type { SeenItem, UserProfile } from './user-profile';

/**
 * How much one event says about taste. A rating says it best when far from the middle:
 * `rate` weighs value − 3 (5★ → 2, as a like; 3★ → 0: seen, no taste; 1★ → −2),
 * MovieLens's 0.5–5 scale. Implicit events are positive and grow with commitment.
 */
export const EVENT_WEIGHTS: Readonly<Record<Exclude<InteractionType, 'rate'>, number>> = { view: 0.5, click: 1, like: 2, purchase: 3 };
export const RATING_MIDPOINT = 3;

export function eventWeight(event: Pick<Interaction, 'type' | 'value'>): number {
  if (event.type === 'rate') return (event.value as number) - RATING_MIDPOINT;
  return EVENT_WEIGHTS[event.type];
}

/** The slice of ItemCatalog a profile update reads. */
export interface ItemLookup {
  readonly dim: number;
  indexOf(id: string): number;
  itemAt(index: number): CatalogItem;
  embeddingAt(index: number): Float32Array;
}

export interface ProfileOptions {
  /** Half-life of a contribution, days. Default 365 (chosen on the validation split, README). */
  readonly halfLifeDays?: number;
  /** Most seen items kept (oldest dropped). Default 2000. */
  readonly maxSeen?: number;
  /** Most tag affinities kept (weakest dropped). Default 64. */
  readonly maxTags?: number;
  /** Leading tags of an item that count towards tag affinity. Default 5. */
  readonly tagsPerItem?: number;
}

export const DEFAULT_PROFILE_OPTIONS: Required<ProfileOptions> = { halfLifeDays: 365, maxSeen: 2000, maxTags: 64, tagsPerItem: 5 };

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

export function validateProfileOptions(options: ProfileOptions = {}): Required<ProfileOptions> {
  const o = { ...DEFAULT_PROFILE_OPTIONS, ...options };
  if (!(o.halfLifeDays > 0)) throw new RangeError(`halfLifeDays must be > 0, got ${o.halfLifeDays}`);
  for (const k of ['maxSeen', 'maxTags', 'tagsPerItem'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${String(o[k])}`);
  }
  return o;
}

/** Throws TypeError/RangeError naming the field when `event` is not a usable interaction. */
export function checkInteraction(event: unknown, where = 'event'): asserts event is Interaction {
  if (typeof event !== 'object' || event === null) throw new TypeError(`${where} must be an object`);
  const e = event as Partial<Record<keyof Interaction, unknown>>;
  if (typeof e.userId !== 'string' || e.userId === '') throw new TypeError(`${where}.userId must be a non-empty string`);
  if (typeof e.itemId !== 'string' || e.itemId === '') throw new TypeError(`${where}.itemId must be a non-empty string`);
  if (!INTERACTION_TYPES.includes(e.type as InteractionType)) throw new TypeError(`${where}.type must be one of ${INTERACTION_TYPES.join(', ')}`);
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) throw new RangeError(`${where}.ts must be a time at or after 1970-01-01 (finite epoch milliseconds)`);
  if (e.type === 'rate' && !(typeof e.value === 'number' && e.value >= 0 && e.value <= 5)) throw new RangeError(`${where}.value must be a rating in [0, 5] for a rate event`);
}

function decayedMap(map: Readonly<Record<string, number>>, oldWeight: number, decay: number, newWeight: number,
  add: readonly string[], w: number, keep: number): Record<string, number> {
  const out: Record<string, number> = {};
  const scale = newWeight > 0 ? (oldWeight * decay) / newWeight : 0;
  for (const [k, v] of Object.entries(map)) out[k] = v * scale;
  if (newWeight > 0) for (const k of add) out[k] = (out[k] ?? 0) + w / newWeight;
  const keys = Object.keys(out);
  if (keys.length <= keep) return out;
  keys.sort((a, b) => Math.abs(out[b] as number) - Math.abs(out[a] as number) || (a < b ? -1 : 1));
  return Object.fromEntries(keys.slice(0, keep).map((k) => [k, out[k] as number]));
}

/**
 * The profile after `event` (a new object; `profile` is not changed). An event older than
 * the profile's latest counts as happening at the latest time with its weight decayed by
 * its age, so replaying out of order gives nearly the same profile. An item the catalog
 * does not know (yet) is still counted and seen, but moves no mean.
 */
export function applyEvent(profile: UserProfile, event: Interaction, catalog: ItemLookup, options: ProfileOptions = {}): UserProfile {
  checkInteraction(event);
  if (event.userId !== profile.userId) throw new TypeError(`event.userId ${event.userId} is not the profile's user ${profile.userId}`);
  const o = validateProfileOptions(options);
  const halfLife = o.halfLifeDays * DAY_MS;
  const now = Math.max(profile.lastEventMs, event.ts);
  const decay = profile.lastEventMs > 0 ? 2 ** (-(now - profile.lastEventMs) / halfLife) : 1;
  const w = eventWeight(event) * 2 ** (-(now - event.ts) / halfLife);
  const counts = { ...profile.counts, [event.type]: profile.counts[event.type] + 1 };
  const seen = nextSeen(profile.seen, { itemId: event.itemId, weight: eventWeight(event), ts: event.ts }, o.maxSeen);
  const index = catalog.indexOf(event.itemId);
  if (index < 0 || w === 0) {
    // Nothing to learn about taste, but earlier contributions still age.
    const weight = profile.weight * decay;
    return { ...profile, weight, counts, seen, lastEventMs: now,
      releaseYear: { ...profile.releaseYear, weight: profile.releaseYear.weight * decay } };
  }
  const item = catalog.itemAt(index);
  const vector = catalog.embeddingAt(index);
  const weight = profile.weight * decay + Math.abs(w);
  const embedding = new Float32Array(profile.embedding.length);
  const keepOld = (profile.weight * decay) / weight;
  const addNew = w / weight;
  for (let d = 0; d < embedding.length; d++) embedding[d] = (profile.embedding[d] as number) * keepOld + (vector[d] as number) * addNew;
  return {
    ...profile,
    embedding,
    weight,
    genreAffinity: decayedMap(profile.genreAffinity, profile.weight, decay, weight, item.genres, w, Number.MAX_SAFE_INTEGER),
    tagAffinity: decayedMap(profile.tagAffinity, profile.weight, decay, weight, item.tags.slice(0, o.tagsPerItem).map((t) => t.toLowerCase()), w, o.maxTags),
    releaseYear: nextReleaseYear(profile.releaseYear, decay, w, item.createdAt),
    counts,
    lastEventMs: now,
    seen,
  };
}

/** Welford's update, weighted and decayed: only liked items (w > 0) with a release date count. */
function nextReleaseYear(r: UserProfile['releaseYear'], decay: number, w: number, createdAt: number | undefined): UserProfile['releaseYear'] {
  const old = r.weight * decay;
  if (!(w > 0) || createdAt === undefined) return { ...r, weight: old };
  const year = 1970 + createdAt / YEAR_MS;
  const weight = old + w;
  const delta = year - r.mean;
  const mean = r.mean + (delta * w) / weight;
  const variance = (old * (r.variance + delta * (delta * w) / weight)) / weight;
  return { mean, variance, weight };
}

function nextSeen(seen: readonly SeenItem[], item: SeenItem, max: number): SeenItem[] {
  const at = seen.findIndex((s) => s.itemId === item.itemId);
  // A repeat moves the item to the end (most recent) unless the new event is older.
  if (at >= 0 && (seen[at] as SeenItem).ts > item.ts) return seen as SeenItem[];
  const out = at >= 0 ? [...seen.slice(0, at), ...seen.slice(at + 1), item] : [...seen, item];
  return out.length > max ? out.slice(out.length - max) : out;
}
