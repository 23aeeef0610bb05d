/**
 * Stage 2, "windows": sentiment.window-events → sentiment.alerts, exactly once. One
 * AlertEngine per input partition is the partition's state: createTransactionalStage
 * snapshots it to the compacted changelog (sentiment.window-state, same partition) in the
 * transaction that writes the alerts and commits the offsets, and restores it from there
 * on (re)assignment, so a restart or a rebalance continues where the last commit left off
 * (ADR 0014). Alert ids are deterministic on top of that, so a downstream can dedupe.
 */
import { createTransactionalStage, type ConsumerTuning, type EventsLogger, type StageMetrics, type StageRecord, type TransactionalStage } from '@tuneline/events';
import type { AlertEngine, AlertingOptions, WindowEvent } from '@tuneline/sentiment';
import type { Kafka } from 'kafkajs';
import type { EngineStatsSource } from '../metrics';
import type { SentimentTopics } from './sentiment-topics';
import { PartitionEngines, windowsStateOptions } from './windows-stage-state';

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
  // The engines held are those of the stage's assigned partitions (read only once it runs).
  const engines: PartitionEngines = new PartitionEngines((): number[] => stage.assignedPartitions());
  const stage: TransactionalStage = createTransactionalStage<SentimentTopics['windowEvents'], AlertEngine>({
    kafka: o.kafka,
    groupId: o.groupId,
    input: o.topics.windowEvents,
    transactionalIdPrefix: o.transactionalIdPrefix,
    fromBeginning: true,
    maxBatchRecords: o.maxBatchRecords,
    logger: o.logger,
    metrics: o.metrics,
    ...(o.consumer ? { consumer: o.consumer } : {}),
    state: windowsStateOptions({ changelog: o.topics.windowState, alerting: o.alerting, logger: o.logger }, engines),
    process: async ({ events, state }) => ({ records: alertRecords(state, events.map((e) => e.value), o.topics.alerts) }),
  });
  return { stage, engineStats: () => engines.totals() };
}
