/**
 * Stage 1, "score": news.raw → sentiment.scored + sentiment.window-events, exactly once.
 * Each chunk of one input partition (≤ SENTIMENT_STAGE_MAX_BATCH records) is one model run
 * (sentiment probabilities and sentence embeddings together), then topics by embedding
 * similarity, entities from the record and the watch-list, and one window event per window
 * key; the outputs and the input offsets commit in one transaction (createTransactionalStage).
 * Records that fail news.raw's schema are dead-lettered with their reason by the stage, in
 * the same transaction, and the rest of the chunk goes on.
 */
import {
  createTransactionalStage,
  type ConsumerTuning,
  type EventsLogger,
  type NewsRawValue,
  type StageMetrics,
  type StageRecord,
  type TransactionalStage,
} from '@tuneline/events';
import { modelText, newsItemFromRecord, scoreItems, windowEventsOf, type EntityMatcher, type ScoredItem } from '@tuneline/sentiment';
import type { Kafka } from 'kafkajs';
import type { SentimentModel } from '../scoring/sentiment-model';
import type { SentimentTopics } from './sentiment-topics';

export interface ScoreDeps {
  readonly model: Pick<SentimentModel, 'run'>;
  readonly matcher: EntityMatcher;
  /** Characters of title + ". " + body sent to the model. */
  readonly maxTextChars: number;
  readonly topics: Pick<SentimentTopics, 'scored' | 'windowEvents'>;
  /** Wall clock for scoredAt (a seam for tests). */
  readonly now?: () => Date;
}

/** One chunk's items → the records to commit: per item its scored record, then its window events. */
export async function scoreRecords(values: readonly NewsRawValue[], deps: ScoreDeps, signal?: AbortSignal): Promise<{ scored: ScoredItem[]; records: StageRecord[] }> {
  if (values.length === 0) return { scored: [], records: [] };
  const items = values.map((v) => newsItemFromRecord(v));
  const run = await deps.model.run(
    items.map((item) => modelText(item, deps.maxTextChars)),
    signal ? { signal } : {},
  );
  const scored = scoreItems(items, { model: run.model, version: run.version, rows: run.rows, labels: run.labels, embeddings: run.embeddings }, { matcher: deps.matcher, topics: run.topics });
  const scoredAt = (deps.now?.() ?? new Date()).toISOString();
  const records: StageRecord[] = [];
  for (const item of scored) {
    records.push({ topic: deps.topics.scored, value: { ...item, scoredAt } });
    for (const event of windowEventsOf(item)) records.push({ topic: deps.topics.windowEvents, value: event });
  }
  return { scored, records };
}

export interface ScoreStageOptions extends ScoreDeps {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly transactionalIdPrefix: string;
  readonly topics: SentimentTopics;
  readonly maxBatchRecords: number;
  readonly logger: EventsLogger;
  readonly metrics: StageMetrics;
  readonly consumer?: ConsumerTuning;
}

export function createScoreStage(o: ScoreStageOptions): TransactionalStage {
  return createTransactionalStage({
    kafka: o.kafka,
    groupId: o.groupId,
    input: o.topics.newsRaw,
    transactionalIdPrefix: o.transactionalIdPrefix,
    // A new group scores what news.raw still holds: the stage is a pipeline, not a live view.
    fromBeginning: true,
    maxBatchRecords: o.maxBatchRecords,
    logger: o.logger,
    metrics: o.metrics,
    ...(o.consumer ? { consumer: o.consumer } : {}),
    process: async ({ events, signal }) => ({ records: (await scoreRecords(events.map((e) => e.value), o, signal)).records }),
  });
}
