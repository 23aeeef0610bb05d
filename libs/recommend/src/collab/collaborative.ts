import { EaseScorer } from '../baselines/ease';
import type { Interaction } from '../data/catalog-item';
import type { IdIndex } from '../data/id-index';
import { buildUserItemMatrix } from '../data/user-item-matrix';
import type { HistoryScorer } from '../features/feature-extractor';
import { eventWeight } from '../profile/apply-event';
import { CoOccurrence, type CoOccurrenceOptions } from './co-occurrence';

/** λ of the EASE feature: the best of the validation grid on MovieLens small (README of this lib). */
export const DEFAULT_EASE_LAMBDA = 100;

export interface CollaborativeOptions {
  readonly easeLambda?: number;
  /** false: no EASE (the `ease` features are then 0), co-occurrence only. Default true. */
  readonly ease?: boolean;
  readonly coOccurrence?: CoOccurrenceOptions;
}

export interface CollaborativeModels {
  /** Updated online by Recommender.recordEvent. */
  readonly cooc: CoOccurrence;
  /** Fitted in batch; items added to the catalog later score 0 until the next fit. */
  readonly ease?: HistoryScorer;
}

/** A user liked an item when the event's weight is positive: ratings above 3, every implicit event. */
export function isPositive(x: Interaction): boolean {
  return eventWeight(x) > 0;
}

/** EaseScorer as a HistoryScorer over the first `itemCount` catalog indices. */
export function easeHistoryScorer(ease: EaseScorer, itemCount: number): HistoryScorer {
  return { itemCount, scoreHistory: (items) => ease.scoreHistory(items) };
}

/**
 * Fits both collaborative models on the positive interactions over the catalog numbering
 * `items` (the catalog's ids in index order): EASE on the binary user × item matrix (the
 * bench's EASE baseline, same λ search), co-occurrence by replaying them in time order.
 */
export function fitCollaborative(interactions: readonly Interaction[], items: IdIndex, options: CollaborativeOptions = {}): CollaborativeModels {
  const positives = interactions.filter(isPositive);
  const cooc = CoOccurrence.fitFromInteractions(positives, items, { ...options.coOccurrence, minValue: -Infinity });
  if (options.ease === false) return { cooc };
  const matrix = buildUserItemMatrix(positives, items).matrix;
  const ease = EaseScorer.fit(matrix, { lambda: options.easeLambda ?? DEFAULT_EASE_LAMBDA });
  return { cooc, ease: easeHistoryScorer(ease, items.size) };
}
