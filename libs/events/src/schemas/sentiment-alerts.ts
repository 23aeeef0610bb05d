import { z } from 'zod';
import { identifier, probability, timestamp } from './common';

/** A surge of negative sentiment for one entity/topic within a time window. */
export const sentimentAlertSchema = z
  .object({
    /** The entity or topic that surged (also the record key). */
    entity: z.string().min(1).max(200),
    windowStart: timestamp,
    windowEnd: timestamp,
    /** Share of negative items in the window. */
    negativeShare: probability,
    /** Share of negative items in the baseline period. */
    baseline: probability,
    /** negativeShare / baseline (baseline floored by the producer to avoid division by zero). */
    surgeRatio: z.number().nonnegative(),
    /** A few sentiment.scored ids that made up the window, for drill-down. */
    sampleIds: z.array(identifier).max(100),
  })
  .refine((v) => Date.parse(v.windowEnd) > Date.parse(v.windowStart), {
    message: 'windowEnd must be after windowStart',
    path: ['windowEnd'],
  });

export type SentimentAlert = z.output<typeof sentimentAlertSchema>;
