import type { InteractionType } from '../data/catalog-item';

/** One item the user did something with; the latest interaction per item is kept. */
export interface SeenItem {
  readonly itemId: string;
  /** The event's weight (EVENT_WEIGHTS); for repeats, the latest event's. */
  readonly weight: number;
  /** Epoch ms of the latest interaction. */
  readonly ts: number;
}

/**
 * What the recommender knows about a user, built online from their events by `applyEvent`
 * (pure: every call returns a new profile). Plain data, so a store can serialise it.
 *
 * Means are time-decayed and weighted: at each event every earlier contribution is
 * multiplied by 2^(−Δt / halfLife), then the event adds `weight × value`; a mean is the
 * sum over the decayed total |weight|. Negative weights (a 1-star rating) pull away.
 */
export interface UserProfile {
  readonly userId: string;
  /** Decayed weighted mean of the interacted items' (unit) embeddings; all zeros before any known item. */
  readonly embedding: Float32Array;
  /** Decayed total |weight| behind `embedding` (and the affinities). */
  readonly weight: number;
  /** Decayed weighted mean per genre of the interacted items: in [−max|w|, max|w|], > 0 means drawn to it. */
  readonly genreAffinity: Readonly<Record<string, number>>;
  /** As genreAffinity, over the items' leading tags; the `maxTags` strongest kept. */
  readonly tagAffinity: Readonly<Record<string, number>>;
  /** Decayed weighted mean and variance of the release year of the items the user liked (weight > 0). */
  readonly releaseYear: { readonly mean: number; readonly variance: number; readonly weight: number };
  /** Events per type, undecayed. */
  readonly counts: Readonly<Record<InteractionType, number>>;
  /** Latest event time (epoch ms); 0 before any. */
  readonly lastEventMs: number;
  /** Items interacted with, oldest first, at most `maxSeen` (the oldest dropped first). */
  readonly seen: readonly SeenItem[];
}

export function emptyProfile(userId: string, dim: number): UserProfile {
  if (typeof userId !== 'string' || userId === '') throw new TypeError('userId must be a non-empty string');
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${String(dim)}`);
  return {
    userId,
    embedding: new Float32Array(dim),
    weight: 0,
    genreAffinity: {},
    tagAffinity: {},
    releaseYear: { mean: 0, variance: 0, weight: 0 },
    counts: { rate: 0, view: 0, click: 0, like: 0, purchase: 0 },
    lastEventMs: 0,
    seen: [],
  };
}

/** A cold-start user: no events at all (an unknown user is one). */
export function isColdProfile(profile: UserProfile): boolean {
  return profile.seen.length === 0;
}
