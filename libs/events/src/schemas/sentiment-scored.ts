import { z } from 'zod';
import { identifier, probability, timestamp } from './common';

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export const sentimentLabelSchema = z.enum(SENTIMENT_LABELS);

/** One news item scored by the sentiment model. */
export const sentimentScoredSchema = z
  .object({
    /** Id of the news.raw item that was scored. */
    id: identifier,
    /** Entity or topic the alert windows are computed for (also the record key). */
    topic: z.string().min(1).max(200),
    sentiment: sentimentLabelSchema,
    /** Softmax probability per label. */
    scores: z.object({ negative: probability, neutral: probability, positive: probability }),
    entities: z.array(z.string().min(1)),
    modelVersion: z.string().min(1),
    scoredAt: timestamp,
  })
  .refine((v) => Math.abs(v.scores.negative + v.scores.neutral + v.scores.positive - 1) < 1e-3, {
    message: 'scores must sum to 1',
    path: ['scores'],
  });

export type SentimentLabel = z.output<typeof sentimentLabelSchema>;
export type SentimentScored = z.output<typeof sentimentScoredSchema>;
