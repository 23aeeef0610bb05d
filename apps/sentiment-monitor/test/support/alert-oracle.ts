/**
 * The alerts the sample "should" raise, computed in process from what the score stage wrote:
 * each sentiment.scored item's window events (windowEventsOf), one AlertEngine per window key,
 * fed that key's events in event-time order (ties by item id) from a single source. No
 * Kafka, no partitions, no interleaving: what the pipeline's alert ids must equal however its
 * stages were interrupted, rebalanced or raced.
 */
import { AlertEngine, windowEventsOf, type AlertingOptions, type ScoredItem, type SentimentAlert, type WindowEvent } from '@tuneline/sentiment';

export function oracleAlertIds(scored: readonly ScoredItem[], options: AlertingOptions): string[] {
  return oracleAlerts(scored, options).map((a) => a.alertId).sort();
}

/** The oracle's alerts themselves (key, window, figures), in key order then event order. */
export function oracleAlerts(scored: readonly ScoredItem[], options: AlertingOptions): SentimentAlert[] {
  const byKey = new Map<string, WindowEvent[]>();
  for (const item of scored) {
    for (const event of windowEventsOf(item, '')) {
      const events = byKey.get(event.key);
      if (events) events.push(event);
      else byKey.set(event.key, [event]);
    }
  }
  const alerts: SentimentAlert[] = [];
  for (const events of byKey.values()) {
    const engine = new AlertEngine(options);
    const ordered = [...events].sort((a, b) => a.eventTimeMs - b.eventTimeMs || a.itemId.localeCompare(b.itemId));
    for (const event of ordered) alerts.push(...engine.process(event));
  }
  return alerts;
}
