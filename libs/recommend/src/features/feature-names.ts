/**
 * The ranking head's inputs, in column order. Every one is computed from data the service
 * has at request time (the profile, the catalog, online counters, the collaborative
 * models): nothing about the future.
 * - ease: EASE score of the item for the user's liked history (each liked item weighted by
 *   recency, DEFAULT_EASE_HALF_LIFE_DAYS) over the user's best score on an
 *   item they have not liked (0 when no EASE model was fitted or the item is newer than it):
 *   scale-free, so a head trained on a shorter log reads it the same on a longer one;
 * - easeRank / textRank: log2(1 + the item's rank) in the whole catalog by ease / textCosine
 *   (rank = items scoring strictly higher, the user's own included; ties share a rank),
 *   comparable across users where raw scores are not;
 * - sequence: what users like next after the user's latest likes (SequenceTransitions), over the
 *   user's best such score on an unliked item;
 * - textKnn: the item's highest embedding similarity to one of the user's latest liked items
 *   (0 when it is not among their nearest neighbours): "more like that one";
 * - cooc: item-kNN score from online co-occurrence, Σ over liked history of cosine(h, item), over
 *   the user's best such score;
 * - textCosine: cosine of the profile embedding and the item embedding;
 * - genreAffinity / tagAffinity: the profile's mean affinity over the item's genres / leading tags;
 * - logPopularity: log(1 + events on the item) − log(1 + the catalog's most); logTrend: the same
 *   for the decayed event count at `now` (relative, so they do not drift as the log grows);
 * - meanRating: the item's mean rating shrunk to the global mean;
 * - ageYears: years from the item's release to `now` (clamped to [−2, 60]; 0 when unknown);
 * - yearDistance: |release year − the user's mean liked year| / √(variance + 4), capped at 10;
 * - isCold: 1 when the item has fewer than 5 events (text must carry it).
 */
export const FEATURE_NAMES = [
  'ease', 'easeRank', 'cooc', 'sequence', 'textCosine', 'textRank', 'textKnn', 'genreAffinity', 'tagAffinity', 'logPopularity', 'logTrend', 'meanRating', 'ageYears', 'yearDistance', 'isCold',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

export const FEATURE_COUNT = FEATURE_NAMES.length;

/** Items with fewer events than this are cold (the cold-item threshold). */
export const COLD_BELOW = 5;
