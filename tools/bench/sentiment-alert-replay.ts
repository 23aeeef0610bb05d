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
  type WindowEvent,
} from '@tuneline/sentiment';

/**
 * The sentiment monitor's two stages without Kafka, for the alert-quality bench: news.raw
 * records → NewsItem → model text → one inference pass per batch (probabilities + sentence
 * embedding) → scoreItems (entities, topic, sentiment) → windowEventsOf → AlertEngine. The
 * library calls are the ones the service makes; what differs is transport only:
 * - one AlertEngine for every key instead of one per window-events partition (keys are
 *   independent in the engine, so the alerts are the same while no key is evicted);
 * - items in file order (event time for a synthesised stream), one at a time, all from one
 *   source (REPLAY_SOURCE): the service tags each item with its news.raw partition, and an
 *   in-order replay is one ordered source.
 */
export const REPLAY_SOURCE = '0';

export interface SentimentRunOutput {
  readonly version: string;
  readonly labels: readonly string[];
  readonly rows: readonly Float32Array[];
  readonly embeddings: readonly Float32Array[];
}

/** One inference pass over ≤ `batchSize` texts, as the service's SentimentModel.run. */
export type RunSentimentModel = (texts: readonly string[]) => Promise<SentimentRunOutput>;

export interface ScoreDeps {
  readonly model: string;
  readonly run: RunSentimentModel;
  readonly matcher: EntityMatcher;
  readonly topics: TopicScorer;
  /** Texts per inference call (default 256, libs/inference's per-call limit). */
  readonly batchSize?: number;
  readonly maxTextChars?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ReplayDeps extends ScoreDeps {
  readonly alerting: AlertingOptions;
}

/** What each item turned into (enough to compare predictions with the stream's truth). */
export interface ReplayedItem {
  readonly id: string;
  readonly eventTimeMs: number;
  readonly entities: readonly string[];
  readonly topic: string;
  readonly sentiment: SentimentLabel;
}

export interface ScoredStream {
  readonly items: readonly ReplayedItem[];
  /** Stage 1's output, in order: what stage 2's engines read. */
  readonly events: readonly WindowEvent[];
}

export interface AlertRun {
  readonly alerts: readonly SentimentAlert[];
  readonly engine: AlertEngineStats;
}

export interface ReplayResult extends AlertRun, ScoredStream {
  readonly windowEvents: number;
}

/** Stage 1: records → model → ScoredItems → window events. */
export async function scoreStream(records: readonly NewsRawValue[], deps: ScoreDeps): Promise<ScoredStream> {
  const batchSize = deps.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize: expected an integer >= 1, got ${batchSize}`);
  const maxChars = deps.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const items: ReplayedItem[] = [];
  const events: WindowEvent[] = [];
  for (let s = 0; s < records.length; s += batchSize) {
    const batch = records.slice(s, s + batchSize).map((r) => newsItemFromRecord(r));
    // The watch-list mentions masked, as the service scores (ADR 0024).
    const out = await deps.run(batch.map((item) => modelText(item, maxChars, deps.matcher)));
    const scored = scoreItems(batch, { model: deps.model, ...out }, { matcher: deps.matcher, topics: deps.topics });
    for (const item of scored) {
      events.push(...windowEventsOf(item, REPLAY_SOURCE));
      items.push({ id: item.id, eventTimeMs: Date.parse(item.publishedAt), entities: item.entities, topic: item.topic, sentiment: item.sentiment });
    }
    deps.onProgress?.(Math.min(s + batchSize, records.length), records.length);
  }
  return { items, events };
}

/** Stage 2: the window events through one AlertEngine. */
export function runAlerts(events: readonly WindowEvent[], options: AlertingOptions): AlertRun {
  const engine = new AlertEngine(options);
  const alerts: SentimentAlert[] = [];
  for (const e of events) alerts.push(...engine.process(e));
  return { alerts, engine: engine.stats() };
}

export async function replayAlerts(records: readonly NewsRawValue[], deps: ReplayDeps): Promise<ReplayResult> {
  const scored = await scoreStream(records, deps);
  return { ...runAlerts(scored.events, deps.alerting), ...scored, windowEvents: scored.events.length };
}
