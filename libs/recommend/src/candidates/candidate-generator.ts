import { topK } from '../eval/top-k';
import type { UserSide } from '../features/feature-extractor';
import type { ItemPopularity } from '../features/item-popularity';

/** Where a candidate came from (several sources may propose one item). */
export type CandidateSource = 'collaborative' | 'cooccurrence' | 'sequence' | 'text' | 'textKnn' | 'trending' | 'popular';

/**
 * How many items each source proposes (before merging; 0 turns a source off). Measured on
 * the MovieLens validation split (README): the collaborative top 200 holds most of what the
 * head can promote; text, text-neighbour and trending lists add the items behaviour misses.
 * `popular` only serves users with no usable history (a cold start).
 */
export interface CandidateOptions {
  readonly collaborative: number;
  readonly cooccurrence: number;
  readonly sequence: number;
  readonly text: number;
  readonly textKnn: number;
  readonly trending: number;
  readonly popular: number;
}

export const DEFAULT_CANDIDATE_OPTIONS: CandidateOptions = { collaborative: 200, cooccurrence: 50, sequence: 100, text: 50, textKnn: 50, trending: 30, popular: 100 };

export interface Candidates {
  /** Catalog indices, ascending, none excluded. */
  readonly items: Int32Array;
  /** The sources of each candidate, by catalog index. */
  readonly sources: ReadonlyMap<number, readonly CandidateSource[]>;
}

export function validateCandidateOptions(o: Partial<CandidateOptions> = {}): CandidateOptions {
  const out = { ...DEFAULT_CANDIDATE_OPTIONS, ...o };
  for (const [k, v] of Object.entries(out)) if (!Number.isInteger(v) || v < 0) throw new RangeError(`${k} must be an integer >= 0, got ${String(v)}`);
  return out;
}

/**
 * Retrieval over the whole catalog for one user: the top items of each source, merged.
 * `exclude` (ascending catalog indices: what the user has seen) never comes back. The
 * scans are exact: every score array covers the catalog (UserSide computed them).
 */
export function generateCandidates(user: UserSide, popularity: Pick<ItemPopularity, 'countOf'>, nItems: number,
  exclude: Int32Array, options: CandidateOptions = DEFAULT_CANDIDATE_OPTIONS): Candidates {
  const sources = new Map<number, CandidateSource[]>();
  const take = (scores: Float32Array | undefined, k: number, source: CandidateSource) => {
    if (!scores || k === 0) return;
    for (const i of topK(scores, k, exclude)) {
      const list = sources.get(i);
      if (list) list.push(source);
      else sources.set(i, [source]);
    }
  };
  take(user.ease, options.collaborative, 'collaborative');
  take(user.cooc, options.cooccurrence, 'cooccurrence');
  take(user.sequence, options.sequence, 'sequence');
  take(user.text, options.text, 'text');
  take(user.textKnn, options.textKnn, 'textKnn');
  take(user.trend.length === nItems ? user.trend : undefined, options.trending, 'trending');
  if (user.liked.length === 0) {
    const counts = new Float32Array(nItems);
    for (let i = 0; i < nItems; i++) counts[i] = popularity.countOf(i);
    take(counts, options.popular, 'popular');
  }
  return { items: Int32Array.from([...sources.keys()].sort((a, b) => a - b)), sources };
}
