import type { NewsRawValue } from '@tuneline/events';
import {
  AlertEngine,
  DEFAULT_MAX_TEXT_CHARS,
  modelText,
  newsItemFromRecord,
  scoreItems,
  windowEventsOf,
  type AlertEngineStats,
  type AlertingOptions,
  type EntityMatcher,
  type SentimentAlert,
  type SentimentLabel,
  type TopicScorer,
} from '@tuneline/sentiment';

/**
 * The sentiment monitor's two stages without Kafka, for the alert-quality bench: news.raw
 * records → NewsItem → model text → one inference pass per batch (probabilities + sentence
 * embedding) → scoreItems (entities, topic, sentiment) → windowEventsOf → AlertEngine. The
 * library calls are the ones the service makes; what differs is transport only:
 * - one AlertEngine for every key instead of one per window-events partition (keys are
 *   independent in the engine, so the alerts are the same while no key is evicted);
 * - items in file order (event time for a synthesised stream), one at a time.
 */
export interface SentimentRunOutput {
  readonly version: string;
  readonly labels: readonly string[];
  readonly rows: readonly Float32Array[];
  readonly embeddings: readonly Float32Array[];
}

/** One inference pass over ≤ `batchSize` texts, as the service's SentimentModel.run. */
export type RunSentimentModel = (texts: readonly string[]) => Promise<SentimentRunOutput>;

export interface ReplayDeps {
  readonly model: string;
  readonly run: RunSentimentModel;
  readonly matcher: EntityMatcher;
  readonly topics: TopicScorer;
  readonly alerting: AlertingOptions;
  /** Texts per inference call (default 256, libs/inference's per-call limit). */
  readonly batchSize?: number;
  readonly maxTextChars?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What each item turned into (enough to compare predictions with the stream's truth). */
export interface ReplayedItem {
  readonly id: string;
  readonly eventTimeMs: number;
  readonly entities: readonly string[];
  readonly topic: string;
  readonly sentiment: SentimentLabel;
}

export interface ReplayResult {
  readonly alerts: readonly SentimentAlert[];
  readonly items: readonly ReplayedItem[];
  readonly windowEvents: number;
  readonly engine: AlertEngineStats;
}

export async function replayAlerts(records: readonly NewsRawValue[], deps: ReplayDeps): Promise<ReplayResult> {
  const batchSize = deps.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize: expected an integer >= 1, got ${batchSize}`);
  const maxChars = deps.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const engine = new AlertEngine(deps.alerting);
  const alerts: SentimentAlert[] = [];
  const items: ReplayedItem[] = [];
  let windowEvents = 0;
  for (let s = 0; s < records.length; s += batchSize) {
    const batch = records.slice(s, s + batchSize).map((r) => newsItemFromRecord(r));
    const out = await deps.run(batch.map((item) => modelText(item, maxChars)));
    const scored = scoreItems(batch, { model: deps.model, ...out }, { matcher: deps.matcher, topics: deps.topics });
    for (const item of scored) {
      const events = windowEventsOf(item);
      windowEvents += events.length;
      for (const e of events) alerts.push(...engine.process(e));
      items.push({ id: item.id, eventTimeMs: Date.parse(item.publishedAt), entities: item.entities, topic: item.topic, sentiment: item.sentiment });
    }
    deps.onProgress?.(Math.min(s + batchSize, records.length), records.length);
  }
  return { alerts, items, windowEvents, engine: engine.stats() };
}
