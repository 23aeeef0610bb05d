/**
 * Stage 1, "score": news.raw → sentiment.scored + sentiment.window-events, exactly once.
 * Each chunk of one input partition (≤ SENTIMENT_STAGE_MAX_BATCH records) is one model run
 * (sentiment probabilities and sentence embeddings together), then topics by embedding
 * similarity, entities from the record and the watch-list, and one window event per window
 * key; the outputs and the input offsets commit in one transaction (createTransactionalStage).
 * Records that fail news.raw's schema are dead-lettered with their reason by the stage, in
 * the same transaction, and the rest of the chunk goes on. So are, one by one, items this
 * stage cannot window: published before 1970 (window events carry epoch ms ≥ 0), more than
 * SENTIMENT_MAX_FUTURE_MS after the stage's clock (a far-future time would move its keys'
 * event time and make every later item late), or whose outputs fail their topic's schema.
 */
import {
  createTransactionalStage,
  errorMessage,
  PermanentProcessingError,
  validateValue,
  type ConsumerTuning,
  type EventsLogger,
  type NewsRawValue,
  type StageMetrics,
  type StageRecord,
  type TransactionalStage,
} from '@tuneline/events';
import { modelText, newsItemFromRecord, scoreItems, windowEventsOf, type EntityMatcher, type NewsItem, type ScoredItem } from '@tuneline/sentiment';
import type { Kafka } from 'kafkajs';
import type { SentimentModel } from '../scoring/sentiment-model';
import type { SentimentTopics } from './sentiment-topics';

export interface ScoreDeps {
  readonly model: Pick<SentimentModel, 'run'>;
  readonly matcher: EntityMatcher;
  /** Characters of title + ". " + body sent to the model. */
  readonly maxTextChars: number;
  readonly topics: Pick<SentimentTopics, 'scored' | 'windowEvents'>;
  /** SENTIMENT_MAX_FUTURE_MS: how far after now() a published_at may lie. */
  readonly maxFutureMs: number;
  /** Wall clock for scoredAt and the future check (a seam for tests). */
  readonly now?: () => Date;
}

/** An input item this stage will not score or window, with why (a DLQ reason). */
export interface RejectedItem {
  /** Index into the chunk's values. */
  readonly index: number;
  readonly error: PermanentProcessingError;
}

export interface ScoredChunk {
  readonly scored: ScoredItem[];
  /** Per accepted item its scored record, then its window events; in input order. */
  readonly records: StageRecord[];
  readonly rejected: RejectedItem[];
}

/** Why an item's event time cannot be windowed, or undefined when it can. */
export function eventTimeProblem(item: Pick<NewsItem, 'publishedAt' | 'publishedAtMs'>, nowMs: number, maxFutureMs: number): string | undefined {
  if (item.publishedAtMs < 0) return `published_at ${item.publishedAt} is before 1970-01-01T00:00:00Z; window events carry event time as epoch milliseconds >= 0`;
  const aheadMs = item.publishedAtMs - nowMs;
  if (aheadMs > maxFutureMs) {
    return `published_at ${item.publishedAt} is ${aheadMs} ms after the score stage's clock (${new Date(nowMs).toISOString()}), more than SENTIMENT_MAX_FUTURE_MS (${maxFutureMs} ms)`;
  }
  return undefined;
}

/** One item's outputs, each checked against its topic's schema here, so one bad item cannot fail the chunk's transaction. */
function outputsOf(item: ScoredItem, scoredAt: string, source: string, deps: ScoreDeps): StageRecord[] {
  const context = ` (item ${JSON.stringify(item.id)})`;
  const records: StageRecord[] = [{ topic: deps.topics.scored, value: validateValue(deps.topics.scored, { ...item, scoredAt }, context) }];
  for (const event of windowEventsOf(item, source)) records.push({ topic: deps.topics.windowEvents, value: validateValue(deps.topics.windowEvents, event, context) });
  return records;
}

const rejection = (index: number, message: string, cause?: unknown): RejectedItem => ({ index, error: new PermanentProcessingError(message, cause === undefined ? undefined : { cause }) });

/**
 * One chunk's items → the records to commit. Items refused on the way (unreadable, event time
 * out of range, outputs that fail their schema) are `rejected` one by one for the caller to
 * dead-letter; the others go through one model run. `source` is the chunk's news.raw
 * partition (as a string): each window event carries it, so the windows stage can track each
 * partition's progress ("" = one ordered source).
 */
export async function scoreRecords(values: readonly NewsRawValue[], deps: ScoreDeps, signal?: AbortSignal, source = ''): Promise<ScoredChunk> {
  const now = deps.now?.() ?? new Date();
  const rejected: RejectedItem[] = [];
  const accepted: { index: number; item: NewsItem }[] = [];
  values.forEach((value, index) => {
    let item: NewsItem;
    try {
      item = newsItemFromRecord(value);
    } catch (err) {
      return void rejected.push(rejection(index, `news.raw record not scorable: ${errorMessage(err)}`, err));
    }
    const problem = eventTimeProblem(item, now.getTime(), deps.maxFutureMs);
    if (problem) rejected.push(rejection(index, problem));
    else accepted.push({ index, item });
  });
  if (accepted.length === 0) return { scored: [], records: [], rejected };
  const items = accepted.map((a) => a.item);
  const run = await deps.model.run(
    // Watch-listed names masked: a name is no evidence of the news' tone (ADR 0024).
    items.map((item) => modelText(item, deps.maxTextChars, deps.matcher)),
    signal ? { signal } : {},
  );
  const scoredItems = scoreItems(items, { model: run.model, version: run.version, rows: run.rows, labels: run.labels, embeddings: run.embeddings }, { matcher: deps.matcher, topics: run.topics });
  const scoredAt = now.toISOString();
  const scored: ScoredItem[] = [];
  const records: StageRecord[] = [];
  scoredItems.forEach((item, i) => {
    const index = (accepted[i] as { index: number }).index;
    try {
      records.push(...outputsOf(item, scoredAt, source, deps));
      scored.push(item);
    } catch (err) {
      rejected.push(rejection(index, errorMessage(err), err));
    }
  });
  rejected.sort((a, b) => a.index - b.index);
  return { scored, records, rejected };
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
    process: async ({ partition, events, signal }) => {
      const { records, rejected } = await scoreRecords(events.map((e) => e.value), o, signal, String(partition));
      return { records, deadLetters: rejected.map(({ index, error }) => ({ event: events[index] as (typeof events)[number], error })) };
    },
  });
}
