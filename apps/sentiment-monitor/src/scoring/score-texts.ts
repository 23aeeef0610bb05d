/**
 * ScoreTexts without the transport: checks the batch, runs the served model once over it
 * (sentiment and sentence embeddings together) and reads sentiment and topics per text.
 * Errors are the platform's: INVALID_ARGUMENT for an empty or oversized batch or text,
 * UNAVAILABLE while the model is loading; a full inference queue surfaces as the
 * repository's RESOURCE_EXHAUSTED (retriable).
 */
import { UnavailableError, ValidationError } from '@tuneline/platform';
import { MAX_TOPIC_SCORES, sentimentColumns, type LabelScore, type SentimentLabel, type TopicMethod } from '@tuneline/sentiment';
import type { SentimentModel } from './sentiment-model';

export interface TextToScore {
  readonly id: string;
  readonly text: string;
}

export interface TextScoreResult {
  readonly id: string;
  readonly topic: string;
  readonly sentiment: SentimentLabel;
  /** P(positive) − P(negative). */
  readonly score: number;
  /** Every sentiment label, best first. */
  readonly sentimentScores: readonly LabelScore[];
  /** The top topics, best first (≤ MAX_TOPIC_SCORES). */
  readonly topicScores: readonly LabelScore[];
  readonly topicMethod: TopicMethod;
}

export interface ScoreTextsResult {
  readonly results: readonly TextScoreResult[];
  readonly model: { readonly name: string; readonly version: string };
}

export interface ScoreTextsLimits {
  /** Texts per call. */
  readonly maxTexts: number;
  /** Characters per text. */
  readonly maxTextChars: number;
}

export function checkTexts(texts: readonly TextToScore[], limits: ScoreTextsLimits): void {
  if (texts.length === 0) throw new ValidationError('texts must not be empty', { field: 'texts' });
  if (texts.length > limits.maxTexts) {
    throw new ValidationError(`too many texts: ${texts.length} > limit ${limits.maxTexts} per call`, { field: 'texts' });
  }
  texts.forEach((t, i) => {
    if (typeof t.text !== 'string' || t.text.trim() === '') throw new ValidationError(`texts[${i}].text is empty`, { field: `texts[${i}].text` });
    if (t.text.length > limits.maxTextChars) {
      throw new ValidationError(`texts[${i}].text has ${t.text.length} characters; limit is ${limits.maxTextChars}`, { field: `texts[${i}].text` });
    }
  });
}

export interface ScoreTextsDeps {
  readonly model: Pick<SentimentModel, 'run' | 'name'>;
  /** Whether the model has a served version (false while loading). */
  isReady(): boolean;
  readonly limits: ScoreTextsLimits;
}

const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

export async function scoreTexts(texts: readonly TextToScore[], deps: ScoreTextsDeps, signal?: AbortSignal): Promise<ScoreTextsResult> {
  checkTexts(texts, deps.limits);
  if (!deps.isReady()) throw new UnavailableError(`model ${deps.model.name} is loading`);
  const run = await deps.model.run(
    texts.map((t) => t.text),
    signal ? { signal } : {},
  );
  const cols = sentimentColumns(run.labels, run.modelVersion);
  const results = texts.map((t, i): TextScoreResult => {
    const row = run.rows[i] as Float32Array;
    const probs = LABELS.map((label) => ({ label, score: row[cols[label]] as number })).sort((a, b) => b.score - a.score);
    const topicScores = run.topics.score(run.embeddings[i]).slice(0, MAX_TOPIC_SCORES);
    const p = (label: SentimentLabel) => row[cols[label]] as number;
    return {
      id: t.id,
      topic: topicScores[0]?.label ?? '',
      sentiment: (probs[0] as LabelScore).label as SentimentLabel,
      score: p('positive') - p('negative'),
      sentimentScores: probs,
      topicScores,
      topicMethod: run.topics.method,
    };
  });
  return { results, model: { name: run.model, version: run.version } };
}
