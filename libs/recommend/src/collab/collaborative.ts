import type { Interaction } from '../data/catalog-item';
import type { IdIndex } from '../data/id-index';
import type { HistoryScorer } from '../features/feature-extractor';
import { eventWeight } from '../profile/apply-event';
import { CoOccurrence, type CoOccurrenceOptions } from './co-occurrence';
import { SequenceTransitions, type SequenceOptions } from './sequence-transitions';
import { WeightedEase } from './weighted-ease';

/** λ of the EASE feature: the best of the validation grid on MovieLens small (README of this lib). */
export const DEFAULT_EASE_LAMBDA = 100;

export interface CollaborativeOptions {
  readonly easeLambda?: number;
  /** false: no EASE (the `ease` features are then 0), co-occurrence only. Default true. */
  readonly ease?: boolean;
  readonly coOccurrence?: CoOccurrenceOptions;
  readonly sequence?: SequenceOptions;
}

export interface CollaborativeModels {
  /** Updated online by Recommender.recordEvent. */
  readonly cooc: CoOccurrence;
  /** What users like next; updated online like `cooc` (a Recommender without one starts an empty one). */
  readonly sequence?: SequenceTransitions;
  /** Fitted in batch; items added to the catalog later score 0 until the next fit. */
  readonly ease?: HistoryScorer;
}

/** A user liked an item when the event's weight is positive: ratings above 3, every implicit event. */
export function isPositive(x: Interaction): boolean {
  return eventWeight(x) > 0;
}

/**
 * Fits both collaborative models on the positive interactions over the catalog numbering
 * `items` (the catalog's ids in index order): EASE on the binary user × item matrix (the
 * bench's EASE baseline, same λ; scored with recency weights, see FeatureExtractor),
 * co-occurrence and sequence transitions by replaying them in time order.
 */
export function fitCollaborative(interactions: readonly Interaction[], items: IdIndex, options: CollaborativeOptions = {}): CollaborativeModels {
  const positives = interactions.filter(isPositive);
  const cooc = CoOccurrence.fitFromInteractions(positives, items, { ...options.coOccurrence, minValue: -Infinity });
  const sequence = SequenceTransitions.fitFromInteractions(positives, items, () => true, options.sequence);
  if (options.ease === false) return { cooc, sequence };
  return { cooc, sequence, ease: WeightedEase.fit(positives, items, options.easeLambda ?? DEFAULT_EASE_LAMBDA) };
}
