import { z } from 'zod';
import { identifier, probability } from './common';
import { sentimentLabelSchema } from './sentiment-scored';

export const WINDOW_KINDS = ['entity', 'topic'] as const;
export const windowKindSchema = z.enum(WINDOW_KINDS);
/** `entity:<name>` or `topic:<name>`; each schema using it checks it is `<kind>:<name>` of its record. */
export const windowKeySchema = z.string().min('topic:'.length + 1).max('entity:'.length + 200);

/**
 * One scored item as the windowing stage sees it, once per window key (libs/sentiment
 * WindowEvent, as is). Event time travels as epoch milliseconds (`eventTimeMs`): the
 * windows compute in ms and the record stays small.
 */
export const windowEventSchema = z
  .object({
    key: windowKeySchema,
    kind: windowKindSchema,
    name: z.string().min(1).max(200),
    itemId: z.string().min(1).max(200),
    /** The item's published_at, ms since the epoch. */
    eventTimeMs: z.number().int().min(0),
    sentiment: sentimentLabelSchema,
    negativeProb: probability,
    title: z.string().max(300),
    modelVersion: identifier,
    /**
     * The news.raw partition the item came from ("3"): the windowing stage tracks each
     * source's progress. Optional for records written before it existed: they read as "".
     */
    source: z.string().max(200).default(''),
  })
  .refine((v) => v.key === `${v.kind}:${v.name}`, { message: 'key must be `<kind>:<name>`', path: ['key'] });

export type WindowEventValue = z.output<typeof windowEventSchema>;
