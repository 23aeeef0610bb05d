/**
 * Stage 2, "windows": sentiment.window-events → sentiment.alerts, exactly once. One
 * AlertEngine per input partition is the partition's state: createTransactionalStage
 * snapshots it to the compacted changelog (sentiment.window-state, same partition) in the
 * transaction that writes the alerts and commits the offsets, and restores it from there
 * on (re)assignment, so a restart or a rebalance continues where the last commit left off
 * (ADR 0014). Alert ids are deterministic on top of that, so a downstream can dedupe.
 */
import { createTransactionalStage, type ConsumerTuning, type EventsLogger, type StageMetrics, type StageRecord, type TransactionalStage } from '@tuneline/events';
import { AlertEngine, parseAlertEngineSnapshot, type AlertingOptions, type WindowEvent } from '@tuneline/sentiment';
import type { Kafka } from 'kafkajs';
import type { EngineStatsSource } from '../metrics';
import type { SentimentTopics } from './sentiment-topics';

/** The alerts the events fire, in order, as sentiment.alerts records. */
export function alertRecords(engine: Pick<AlertEngine, 'process'>, events: readonly WindowEvent[], topic: SentimentTopics['alerts'], now: () => Date = () => new Date()): StageRecord[] {
  const records: StageRecord[] = [];
  for (const event of events) {
    for (const alert of engine.process(event)) records.push({ topic, value: { ...alert, raisedAt: now().toISOString() } });
  }
  return records;
}

export interface WindowsStageOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly transactionalIdPrefix: string;
  readonly topics: SentimentTopics;
  readonly alerting: AlertingOptions;
  readonly maxBatchRecords: number;
  readonly logger: EventsLogger;
  readonly metrics: StageMetrics;
  readonly consumer?: ConsumerTuning;
}

export interface WindowsStage extends EngineStatsSource {
  readonly stage: TransactionalStage;
}

export function createWindowsStage(o: WindowsStageOptions): WindowsStage {
  // The engine of each partition this member has (had) state for; metrics read the owned ones.
  const engines = new Map<number, AlertEngine>();
  const keep = (partition: number, engine: AlertEngine) => (engines.set(partition, engine), engine);
  const stage = createTransactionalStage<SentimentTopics['windowEvents'], AlertEngine>({
    kafka: o.kafka,
    groupId: o.groupId,
    input: o.topics.windowEvents,
    transactionalIdPrefix: o.transactionalIdPrefix,
    fromBeginning: true,
    maxBatchRecords: o.maxBatchRecords,
    logger: o.logger,
    metrics: o.metrics,
    ...(o.consumer ? { consumer: o.consumer } : {}),
    state: {
      changelog: o.topics.windowState,
      init: (partition) => keep(partition, new AlertEngine(o.alerting)),
      serialize: (engine) => JSON.stringify(engine.snapshot()),
      deserialize: (text, partition) => {
        const snapshot = parseAlertEngineSnapshot(text);
        try {
          return keep(partition, new AlertEngine(o.alerting, snapshot));
        } catch (err) {
          // The state was built with another window shape (SENTIMENT_WINDOW_MS / SENTIMENT_HOP_MS
          // changed): it cannot be carried over. Start empty; the next commit replaces the snapshot.
          if (!(err instanceof RangeError) || !/windowMs|hopMs/.test(err.message)) throw err;
          o.logger.warn({ partition, err: err.message }, 'window state of another window shape; starting this partition with empty windows and baselines');
          return keep(partition, new AlertEngine(o.alerting));
        }
      },
    },
    process: async ({ events, state }) => ({ records: alertRecords(state, events.map((e) => e.value), o.topics.alerts) }),
  });
  return {
    stage,
    engineStats: () => {
      const total = { keys: 0, openWindows: 0, lateDropped: 0, evictedKeys: 0 };
      for (const partition of stage.assignedPartitions()) {
        const s = engines.get(partition)?.stats();
        if (!s) continue;
        total.keys += s.keys;
        total.openWindows += s.openWindows;
        total.lateDropped += s.lateDropped;
        total.evictedKeys += s.evictedKeys;
      }
      return total;
    },
  };
}
