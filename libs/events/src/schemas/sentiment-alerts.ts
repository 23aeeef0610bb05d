import { z } from 'zod';
import { identifier, probability, timestamp } from './common';
import { windowKindSchema, windowKeySchema } from './sentiment-window-events';

export const ALERT_RULES = ['negative-share', 'negative-volume'] as const;
export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export const MAX_ALERT_HEADLINES = 5;

export const headlineSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().max(300),
  negativeProb: probability,
});

/**
 * A surge of negative sentiment for one entity or topic within an event-time window
 * (libs/sentiment SentimentAlert + raisedAt). `alertId` is deterministic, so a consumer
 * can drop a repeat.
 */
export const sentimentAlertSchema = z
  .object({
    alertId: identifier,
    kind: windowKindSchema,
    name: z.string().min(1).max(200),
    /** `entity:<name>` or `topic:<name>`; also the record key. */
    key: windowKeySchema,
    windowStart: timestamp,
    windowEnd: timestamp,
    totalCount: z.number().int().min(1),
    negativeCount: z.number().int().min(0),
    negativeShare: probability,
    baselineNegativeShare: probability,
    baselineStd: z.number().min(0),
    /** z-score of the negative share against the key's baseline. */
    zScore: z.number(),
    /** z-score of the negative count. */
    volumeZScore: z.number(),
    surgeRatio: z.number().min(0),
    rule: z.enum(ALERT_RULES),
    severity: z.enum(ALERT_SEVERITIES),
    /** Most negative first. */
    topHeadlines: z.array(headlineSchema).max(MAX_ALERT_HEADLINES),
    modelVersion: identifier,
    /** The item whose arrival fired the alert. */
    triggerItemId: z.string().min(1).max(200),
    /** Event time of the trigger item. */
    eventTime: timestamp,
    /** Wall-clock time the alert was raised. */
    raisedAt: timestamp,
  })
  .refine((v) => Date.parse(v.windowEnd) > Date.parse(v.windowStart), {
    message: 'windowEnd must be after windowStart',
    path: ['windowEnd'],
  })
  .refine((v) => v.negativeCount <= v.totalCount, {
    message: 'negativeCount must not exceed totalCount',
    path: ['negativeCount'],
  })
  .refine((v) => v.key === `${v.kind}:${v.name}`, { message: 'key must be `<kind>:<name>`', path: ['key'] });

export type SentimentAlertValue = z.output<typeof sentimentAlertSchema>;
