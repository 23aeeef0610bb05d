/**
 * The service's own metrics, on the process registry (/metrics): items scored, alerts
 * raised and dead letters (counted when their transaction commits, so a retried chunk is
 * never counted twice), stage aborts (counted as each attempt aborts: a chunk retried three
 * times counts three), consumer lag per stage and partition, and the alert
 * engines' keys, open windows and late events, read from the engines at scrape time.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StageMetrics } from '@tuneline/events';

/** What /metrics reads from the windowing stage's engines at scrape time (partitions this replica owns). */
export interface EngineStatsSource {
  engineStats(): { keys: number; openWindows: number; lateDropped: number; evictedKeys: number };
}

/** What /metrics reads from the serving side at scrape time. */
export interface ServingStatsSource {
  hubStats(): { held: number; subscribers: number; closedSlow: number };
  viewStats(): { entities: number; buckets: number };
}

export interface SentimentMetrics {
  /** Hooks for a stage: `stage` is `score` or `windows`. */
  stage(stage: 'score' | 'windows'): StageMetrics;
  /** A feed record that did not decode or failed the schema. */
  feedRejected(feed: 'alerts' | 'scored'): void;
  watchEngines(source: EngineStatsSource): void;
  watchServing(source: ServingStatsSource): void;
}

export function createSentimentMetrics(registry: Registry): SentimentMetrics {
  const registers = [registry];
  const itemsScored = new Counter({ name: 'tuneline_sentiment_items_scored_total', help: 'news.raw items scored and committed to sentiment.scored', registers });
  const alertsRaised = new Counter({ name: 'tuneline_sentiment_alerts_raised_total', help: 'Alerts committed to sentiment.alerts by this replica\'s windowing stage', registers });
  const deadLettered = new Counter({ name: 'tuneline_sentiment_dead_letters_total', help: 'Input records dead-lettered, by stage', labelNames: ['stage'], registers });
  const aborted = new Counter({ name: 'tuneline_sentiment_stage_aborts_total', help: 'Aborted stage transactions, by stage and error code', labelNames: ['stage', 'code'], registers });
  const restored = new Counter({ name: 'tuneline_sentiment_stage_restores_total', help: 'Partition states rebuilt, by stage and source', labelNames: ['stage', 'source'], registers });
  const lag = new Gauge({ name: 'tuneline_sentiment_stage_lag', help: 'Records between a stage\'s position and the input partition\'s end', labelNames: ['stage', 'partition'], registers });
  const feedRejected = new Counter({ name: 'tuneline_sentiment_feed_rejected_total', help: 'Per-replica feed records skipped (undecodable or schema-invalid)', labelNames: ['feed'], registers });

  let engines: EngineStatsSource | undefined;
  const engineGauge = (name: string, help: string, pick: (s: ReturnType<EngineStatsSource['engineStats']>) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (engines) this.set(pick(engines.engineStats()));
      },
    });
  engineGauge('tuneline_sentiment_engine_keys', 'Window keys held by the alert engines of the partitions this replica owns', (s) => s.keys);
  engineGauge('tuneline_sentiment_engine_open_windows', 'Windows not yet folded into their baselines', (s) => s.openWindows);
  // Cumulative per partition (restored with the engine's snapshot), so a gauge, not a counter of this process.
  engineGauge('tuneline_sentiment_late_events_dropped', 'Window events that arrived after all their windows had closed (owned partitions, since the partition began)', (s) => s.lateDropped);
  engineGauge('tuneline_sentiment_engine_evicted_keys', 'Keys dropped for idleness or the key limit (owned partitions, since the partition began)', (s) => s.evictedKeys);

  let serving: ServingStatsSource | undefined;
  const servingGauge = (name: string, help: string, read: (s: ServingStatsSource) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (serving) this.set(read(serving));
      },
    });
  servingGauge('tuneline_sentiment_alert_subscribers', 'Open alert streams (gRPC and SSE)', (s) => s.hubStats().subscribers);
  servingGauge('tuneline_sentiment_alerts_held', 'Alerts held for resuming streams', (s) => s.hubStats().held);
  servingGauge('tuneline_sentiment_alert_streams_closed_slow', 'Alert streams closed for falling behind', (s) => s.hubStats().closedSlow);
  servingGauge('tuneline_sentiment_view_entities', 'Entities GetEntitySentiment holds counts for', (s) => s.viewStats().entities);

  return {
    stage: (stage) => ({
      onCommitted: (info) => {
        if (stage === 'score') itemsScored.inc(info.records - info.deadLetters);
        else alertsRaised.inc(info.outputs);
      },
      onAborted: (info) => aborted.inc({ stage, code: info.code }),
      onDeadLettered: () => deadLettered.inc({ stage }),
      onRestored: (info) => restored.inc({ stage, source: info.source }),
      onLag: (info) => lag.set({ stage, partition: String(info.partition) }, info.lag),
      // A revoked or stopped partition is no longer this replica's to report.
      onReleased: (info) => lag.remove({ stage, partition: String(info.partition) }),
    }),
    feedRejected: (feed) => feedRejected.inc({ feed }),
    watchEngines: (source) => {
      engines = source;
    },
    watchServing: (source) => {
      serving = source;
    },
  };
}
