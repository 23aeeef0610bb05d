import type { LabelScore, SentimentLabel } from '../types';
import { entitiesOf, type EntityMatcher } from './entity-matcher';
import { truncateAtWord, type NewsItem } from './news-item';
import type { TopicMethod, TopicScorer } from './topic-scorer';

/**
 * Model outputs → ScoredItems. The sentiment output is libs/inference's
 * `ModelRepository.infer(model, texts, { withEmbedding: true })` result plus the model's name
 * (InferResult is assignable to the rest): rows, labels and version all from the one version
 * that ran, so columns are read by label name, never by position.
 */
export interface SentimentModelOutput {
  /** Model name in the repository, e.g. "financial-sentiment". */
  readonly model: string;
  readonly version: string;
  readonly rows: readonly Float32Array[];
  readonly labels: readonly string[] | undefined;
  /** Sentence embeddings of the same run; the embedding-similarity topic scorer needs them. */
  readonly embeddings?: readonly Float32Array[];
}

/** A multi-label topic model's InferResult (rows of sigmoid probabilities), for the classifier scorer. */
export interface TopicModelOutput {
  readonly rows: readonly Float32Array[];
  readonly labels: readonly string[] | undefined;
}

export interface ScoreItemsDeps {
  readonly matcher: EntityMatcher;
  readonly topics: TopicScorer;
  /** Required when `topics.method` is 'classifier': the topic model's output for the same items. */
  readonly topicOutput?: TopicModelOutput;
}

export interface SentimentScores {
  readonly negative: number;
  readonly neutral: number;
  readonly positive: number;
}

export interface ScoredItem {
  readonly id: string;
  readonly source: string;
  /** The item's title; for a body-only item, the body's start (≤ HEADLINE_MAX_CHARS). */
  readonly title: string;
  readonly language: string;
  readonly publishedAt: string;
  /** Record entities and tickers (canonicalised when watch-listed), then watch-list matches. */
  readonly entities: readonly string[];
  /** The assigned topic (topicScores[0].label). */
  readonly topic: string;
  /** Assigned topic first, then by score; at most MAX_TOPIC_SCORES. */
  readonly topicScores: readonly LabelScore[];
  readonly topicMethod: TopicMethod;
  readonly sentiment: SentimentLabel;
  readonly scores: SentimentScores;
  /** P(positive) − P(negative), in [−1, 1] (proto TextScore.score). */
  readonly score: number;
  /** "<model>@<version>" of the version that produced the scores. */
  readonly modelVersion: string;
}

export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];
export const MAX_TOPIC_SCORES = 5;
export const HEADLINE_MAX_CHARS = 300;
/** How far a probability row may sum from 1 (float32 softmax rounding is ~1e-7). */
const SUM_TOLERANCE = 1e-3;

/** Column index of each sentiment label in this model's rows; rejects any other label set. */
export function sentimentColumns(labels: readonly string[] | undefined, modelVersion: string): Record<SentimentLabel, number> {
  const expected = SENTIMENT_LABELS.join(', ');
  if (!Array.isArray(labels)) throw new TypeError(`labels: model ${modelVersion} has no labels (an embedding model?); expected a classifier over ${expected}`);
  const cols = SENTIMENT_LABELS.map((l) => labels.indexOf(l));
  if (labels.length !== SENTIMENT_LABELS.length || cols.some((c) => c < 0) || new Set(labels).size !== labels.length) {
    throw new TypeError(`labels: model ${modelVersion} has labels [${labels.join(', ')}]; expected exactly ${expected} (in any order)`);
  }
  return { negative: cols[0] as number, neutral: cols[1] as number, positive: cols[2] as number };
}

function probabilitiesOf(row: Float32Array, cols: Record<SentimentLabel, number>, field: string): SentimentScores {
  if (!(row instanceof Float32Array) || row.length !== SENTIMENT_LABELS.length) {
    throw new RangeError(`${field}: expected ${SENTIMENT_LABELS.length} probabilities, got ${row instanceof Float32Array ? row.length : typeof row}`);
  }
  const p = { negative: row[cols.negative] as number, neutral: row[cols.neutral] as number, positive: row[cols.positive] as number };
  for (const l of SENTIMENT_LABELS) {
    if (!(Number.isFinite(p[l]) && p[l] >= 0 && p[l] <= 1)) throw new RangeError(`${field}: ${l} is not a probability: ${p[l]}`);
  }
  const sum = p.negative + p.neutral + p.positive;
  if (Math.abs(sum - 1) > SUM_TOLERANCE) throw new RangeError(`${field}: probabilities sum to ${sum}, not 1 (logits instead of softmax?)`);
  return p;
}

/** The most probable label; exact ties go to the earlier of negative, neutral, positive. */
function argmax(p: SentimentScores): SentimentLabel {
  let best: SentimentLabel = 'negative';
  for (const l of SENTIMENT_LABELS) if (p[l] > p[best]) best = l;
  return best;
}

function sameLength(what: string, got: readonly unknown[] | undefined, n: number, hint = ''): void {
  if (!Array.isArray(got) || got.length !== n) throw new RangeError(`${what}: expected ${n} (one per item), got ${Array.isArray(got) ? got.length : 'none'}${hint}`);
}

export function scoreItems(items: readonly NewsItem[], output: SentimentModelOutput, deps: ScoreItemsDeps): ScoredItem[] {
  if (!Array.isArray(items)) throw new TypeError('items: expected an array of NewsItem');
  if (typeof output !== 'object' || output === null) throw new TypeError('output: expected the sentiment model output');
  if (typeof output.model !== 'string' || output.model === '') throw new TypeError('output.model: expected the model name');
  if (typeof output.version !== 'string' || output.version === '') throw new TypeError('output.version: expected the version that ran');
  const modelVersion = `${output.model}@${output.version}`;
  const cols = sentimentColumns(output.labels, modelVersion);
  sameLength('output.rows', output.rows, items.length);
  const { matcher, topics, topicOutput } = deps;
  if (topics.method === 'embedding-similarity') sameLength('output.embeddings', output.embeddings, items.length, ' (infer with withEmbedding: true)');
  if (topics.method === 'classifier') {
    sameLength('topicOutput.rows', topicOutput?.rows, items.length);
    if (!Array.isArray(topicOutput?.labels)) throw new TypeError('topicOutput.labels: the topic model has no labels');
  }
  return items.map((item, i) => {
    const scores = probabilitiesOf(output.rows[i] as Float32Array, cols, `output.rows[${i}] (item ${item.id})`);
    const topicProbs = topicOutput?.labels && topics.method === 'classifier'
      ? { labels: topicOutput.labels, probabilities: topicOutput.rows[i] as Float32Array }
      : undefined;
    const topicScores = topics.score(output.embeddings?.[i], topicProbs).slice(0, MAX_TOPIC_SCORES);
    const topic = topicScores[0]?.label;
    if (topic === undefined) throw new RangeError(`topics: the ${topics.method} scorer returned no topic for item ${item.id}`);
    return {
      id: item.id,
      source: item.source,
      title: item.title !== '' ? item.title : truncateAtWord(item.body, HEADLINE_MAX_CHARS),
      language: item.language,
      publishedAt: item.publishedAt,
      entities: entitiesOf(item, `${item.title}\n${item.body}`, matcher),
      topic,
      topicScores,
      topicMethod: topics.method,
      sentiment: argmax(scores),
      scores,
      score: scores.positive - scores.negative,
      modelVersion,
    };
  });
}
