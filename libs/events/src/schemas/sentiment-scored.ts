import { z } from 'zod';
import { identifier, probability, timestamp } from './common';
import { languageTag } from './news-raw';

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export const sentimentLabelSchema = z.enum(SENTIMENT_LABELS);

export const TOPIC_METHODS = ['classifier', 'embedding-similarity'] as const;

/** A label with its score: a probability (classifier) or a cosine similarity (embedding). */
export const labelScoreSchema = z.object({
  label: z.string().min(1).max(200),
  score: z.number().min(-1).max(1),
});

/** One news item scored by the sentiment model (libs/sentiment ScoredItem + scoredAt). */
export const sentimentScoredSchema = z
  .object({
    /** Id of the news.raw item that was scored. */
    id: z.string().min(1).max(200),
    source: z.string().min(1).max(200),
    title: z.string().max(1_000),
    language: languageTag,
    publishedAt: timestamp,
    /** Canonical entity names (upstream entities, tickers, watch-list matches); the first is the record key. */
    entities: z.array(z.string().min(1).max(200)).max(200),
    topic: z.string().min(1).max(200),
    topicScores: z.array(labelScoreSchema).max(100),
    topicMethod: z.enum(TOPIC_METHODS),
    sentiment: sentimentLabelSchema,
    /** Softmax probability per label. */
    scores: z.object({ negative: probability, neutral: probability, positive: probability }),
    /** One number for the item's sentiment, in [-1, 1]. */
    score: z.number().min(-1).max(1),
    modelVersion: identifier,
    scoredAt: timestamp,
  })
  .refine((v) => Math.abs(v.scores.negative + v.scores.neutral + v.scores.positive - 1) < 1e-3, {
    message: 'scores must sum to 1',
    path: ['scores'],
  });

export type SentimentScoredValue = z.output<typeof sentimentScoredSchema>;

/** sentiment.scored's record key: the first entity, else `topic:<topic>`. */
export function sentimentScoredKey(v: Pick<SentimentScoredValue, 'entities' | 'topic'>): string {
  return v.entities[0] ?? `topic:${v.topic}`;
}
