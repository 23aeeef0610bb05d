import type { TextNeighbours } from '../candidates/text-neighbours';
import type { CoOccurrence } from '../collab/co-occurrence';
import type { CatalogItem } from '../data/catalog-item';
import type { UserProfile } from '../profile/user-profile';
import { COLD_BELOW, FEATURE_COUNT } from './feature-names';
import type { ItemPopularity } from './item-popularity';

/** The catalog as features read it: items by index and the embedding matrix. */
export interface FeatureCatalog {
  readonly size: number;
  readonly dim: number;
  readonly revision: number;
  itemAt(index: number): CatalogItem;
  indexOf(id: string): number;
  embeddings(): { readonly data: Float32Array; readonly rows: number; readonly dim: number };
}

/** A collaborative model scoring a history of item indices over (a prefix of) the catalog: EaseScorer fits. */
export interface HistoryScorer {
  /** Items it knows: indices 0..itemCount-1 (the catalog when it was fitted; the catalog only grows). */
  readonly itemCount: number;
  scoreHistory(items: Int32Array): Float32Array;
}

export interface FeatureSources {
  readonly catalog: FeatureCatalog;
  readonly popularity: ItemPopularity;
  readonly cooc?: CoOccurrence;
  readonly ease?: HistoryScorer;
  readonly textNeighbours?: TextNeighbours;
  /** Where the trend is read (default `popularity`); an offline replay passes counters swept up to each user's time. */
  readonly trend?: Pick<ItemPopularity, 'trendOf'>;
}

const YEAR_MS = 365.25 * 86_400_000;
/** Latest liked items whose text neighbours feed textKnn. */
export const RECENT_LIKED = 50;

/** Item-side data derived from the catalog once per catalog revision. */
interface ItemSide {
  readonly revision: number;
  readonly size: number;
  /** Genre and tag names per item (tags lower-cased, leading 5). */
  readonly genres: readonly (readonly string[])[];
  readonly tags: readonly (readonly string[])[];
  /** Release as a fractional year; NaN when unknown. */
  readonly year: Float64Array;
}

/** A user's side of the features, computed once per request. */
export interface UserSide {
  readonly profile: UserProfile;
  readonly now: number;
  /** Liked (weight > 0) history as catalog indices, for the collaborative scores. */
  readonly liked: Int32Array;
  /** Whole-catalog scores (undefined when the source or the history is missing) and log2(1 + rank) by them. */
  readonly ease: Float32Array | undefined;
  readonly easeRank: Float32Array | undefined;
  readonly text: Float32Array | undefined;
  readonly textRank: Float32Array | undefined;
  readonly textKnn: Float32Array | undefined;
  readonly cooc: Float32Array | undefined;
}

/**
 * Builds the feature rows (FEATURE_NAMES order) of (user, item) pairs. `rows(user, items)`
 * fills one row per item index; scoring the whole catalog is `rows(user, all)`, vectorised
 * over typed arrays (one profile·embedding product per item, one collaborative pass).
 */
export class FeatureExtractor {
  private side: ItemSide | undefined;

  constructor(readonly sources: FeatureSources) {}

  /** Precomputes what `rows` needs about the user; `now` is the time features are read at (epoch ms). */
  user(profile: UserProfile, now: number): UserSide {
    const { catalog } = this.sources;
    const liked: number[] = [];
    for (const s of profile.seen) {
      if (!(s.weight > 0)) continue;
      const i = catalog.indexOf(s.itemId);
      if (i >= 0) liked.push(i);
    }
    const likedIdx = Int32Array.from(liked);
    let norm = 0;
    for (let d = 0; d < profile.embedding.length; d++) norm += (profile.embedding[d] as number) ** 2;
    const text = norm > 0 ? cosines(profile.embedding, 1 / Math.sqrt(norm), catalog.embeddings()) : undefined;
    const ease = this.easeScores(likedIdx);
    const cooc = this.sources.cooc && likedIdx.length ? this.sources.cooc.scoreHistory(likedIdx, catalog.size) : undefined;
    const recent = likedIdx.subarray(Math.max(0, likedIdx.length - RECENT_LIKED));
    const textKnn = this.sources.textNeighbours && recent.length ? this.sources.textNeighbours.maxSimilarity(recent, catalog.size) : undefined;
    return { profile, now, liked: likedIdx, ease, easeRank: ease && logRanks(ease), text, textRank: text && logRanks(text), textKnn, cooc };
  }

  /** EASE over the catalog; items newer than the EASE model score 0. */
  private easeScores(liked: Int32Array): Float32Array | undefined {
    const model = this.sources.ease;
    if (!model) return undefined;
    const n = this.sources.catalog.size;
    const known = liked.filter((i) => i < model.itemCount);
    if (known.length === 0) return undefined;
    const s = model.scoreHistory(known);
    if (s.length === n) return s;
    const out = new Float32Array(n);
    out.set(s.subarray(0, Math.min(n, s.length)));
    return out;
  }

  /** Feature rows for `items` (catalog indices), row-major [items.length × FEATURE_COUNT]. */
  rows(user: UserSide, items: Int32Array, out: Float32Array = new Float32Array(items.length * FEATURE_COUNT)): Float32Array {
    if (out.length < items.length * FEATURE_COUNT) throw new RangeError(`out holds ${out.length} values, need ${items.length * FEATURE_COUNT}`);
    const side = this.itemSide();
    const { popularity } = this.sources;
    const { profile, now, ease, easeRank, text, textRank, textKnn, cooc } = user;
    const ga = profile.genreAffinity;
    const ta = profile.tagAffinity;
    const hasTags = Object.keys(ta).length > 0;
    const ry = profile.releaseYear;
    const yearScale = 1 / Math.sqrt((ry.weight > 0 ? ry.variance : 0) + 4);
    const nowYear = 1970 + now / YEAR_MS;
    const worst = Math.log2(1 + side.size);
    for (let r = 0; r < items.length; r++) {
      const i = items[r] as number;
      if (!(i >= 0 && i < side.size)) throw new RangeError(`items[${r}] = ${i} is not a catalog index`);
      let o = r * FEATURE_COUNT;
      out[o++] = ease ? (ease[i] as number) : 0;
      out[o++] = easeRank ? (easeRank[i] as number) : worst;
      out[o++] = cooc ? (cooc[i] as number) : 0;
      out[o++] = text ? (text[i] as number) : 0;
      out[o++] = textRank ? (textRank[i] as number) : worst;
      out[o++] = textKnn ? (textKnn[i] as number) : 0;
      out[o++] = meanOf(side.genres[i] as readonly string[], ga);
      out[o++] = hasTags ? meanOf(side.tags[i] as readonly string[], ta) : 0;
      const count = popularity.countOf(i);
      out[o++] = Math.log1p(count);
      out[o++] = Math.log1p((this.sources.trend ?? popularity).trendOf(i, now));
      out[o++] = popularity.meanRatingOf(i);
      const year = side.year[i] as number;
      out[o++] = Number.isNaN(year) ? 0 : Math.min(60, Math.max(-2, nowYear - year));
      out[o++] = Number.isNaN(year) || !(ry.weight > 0) ? 0 : Math.min(10, Math.abs(year - ry.mean) * yearScale);
      out[o] = count < COLD_BELOW ? 1 : 0;
    }
    return out;
  }

  /** Every catalog item's row, in index order. */
  allRows(user: UserSide, out?: Float32Array): Float32Array {
    const n = this.sources.catalog.size;
    return this.rows(user, allIndices(n), out ?? new Float32Array(n * FEATURE_COUNT));
  }

  private itemSide(): ItemSide {
    const c = this.sources.catalog;
    if (this.side && this.side.revision === c.revision && this.side.size === c.size) return this.side;
    const genres: string[][] = [];
    const tags: string[][] = [];
    const year = new Float64Array(c.size);
    for (let i = 0; i < c.size; i++) {
      const item = c.itemAt(i);
      genres.push([...item.genres]);
      tags.push(item.tags.slice(0, 5).map((t) => t.toLowerCase()));
      year[i] = item.createdAt === undefined ? NaN : 1970 + item.createdAt / YEAR_MS;
    }
    this.side = { revision: c.revision, size: c.size, genres, tags, year };
    return this.side;
  }
}

let identity: Int32Array = new Int32Array(0);
function allIndices(n: number): Int32Array {
  if (identity.length < n) identity = Int32Array.from({ length: Math.max(n, identity.length * 2) }, (_, i) => i);
  return identity.subarray(0, n);
}

/** Cosine of `v` (scaled by `scale` to unit length) with every row of a unit-row matrix. */
function cosines(v: Float32Array, scale: number, m: { readonly data: Float32Array; readonly rows: number; readonly dim: number }): Float32Array {
  const out = new Float32Array(m.rows);
  const { data, dim } = m;
  for (let i = 0; i < m.rows; i++) {
    const base = i * dim;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let d = 0;
    for (; d + 3 < dim; d += 4) {
      s0 += (v[d] as number) * (data[base + d] as number);
      s1 += (v[d + 1] as number) * (data[base + d + 1] as number);
      s2 += (v[d + 2] as number) * (data[base + d + 2] as number);
      s3 += (v[d + 3] as number) * (data[base + d + 3] as number);
    }
    for (; d < dim; d++) s0 += (v[d] as number) * (data[base + d] as number);
    out[i] = (s0 + s1 + s2 + s3) * scale;
  }
  return out;
}

/** log2(1 + rank) of every score (rank 0 = highest; ties by index). */
function logRanks(scores: Float32Array): Float32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const out = new Float32Array(scores.length);
  for (let r = 0; r < order.length; r++) out[order[r] as number] = Math.log2(1 + r);
  return out;
}

function meanOf(keys: readonly string[], affinity: Readonly<Record<string, number>>): number {
  if (keys.length === 0) return 0;
  let s = 0;
  for (const k of keys) s += affinity[k] ?? 0;
  return s / keys.length;
}
