/** One catalog item, as the recommender sees it (MovieLens movie, sample item, `catalog.items` event). */
export interface CatalogItem {
  readonly id: string;
  readonly title: string;
  /** Free text; '' when the source has none (MovieLens movies.csv). */
  readonly description: string;
  /** Distinct, in the source's order of frequency (most applied first). */
  readonly tags: readonly string[];
  readonly genres: readonly string[];
  /** Epoch milliseconds; for MovieLens the 1 January of the release year in the title. */
  readonly createdAt?: number;
}

/** What users do with items; only `rate` carries a meaningful `value` (MovieLens: 0.5–5 stars). */
export const INTERACTION_TYPES = ['rate', 'view', 'click', 'like', 'purchase'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface Interaction {
  readonly userId: string;
  readonly itemId: string;
  readonly type: InteractionType;
  readonly value?: number;
  /** Epoch milliseconds. */
  readonly ts: number;
}
