import { z } from 'zod';
import { timestamp } from './common';

export const NEWS_TITLE_MAX_CHARS = 1_000;
export const NEWS_BODY_MAX_CHARS = 20_000;
export const NEWS_MAX_TAGS = 50;

/** BCP-47-ish language tag: `en`, `en-GB`, `zh-Hant-TW` (2..35 chars). */
export const languageTag = z
  .string()
  .regex(/^(?=.{2,35}$)[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'language must be a BCP-47 tag like "en" or "en-GB" (2..35 chars)');

/**
 * A news item as it arrives, before any model has looked at it. Keys are snake_case as
 * the feed names them (issue 12). Title and body may each be empty, never both.
 */
export const newsRawSchema = z
  .object({
    id: z.string().min(1).max(200),
    source: z.string().min(1).max(200),
    /** ISO-8601 with `Z` or an explicit offset; the event time of every window it lands in. */
    published_at: timestamp,
    title: z.string().max(NEWS_TITLE_MAX_CHARS),
    body: z.string().max(NEWS_BODY_MAX_CHARS),
    language: languageTag,
    /** Ticker symbols tagged upstream, e.g. `ACME`. */
    tickers: z.array(z.string().min(1).max(16)).max(NEWS_MAX_TAGS).optional(),
    /** Entities (company names) tagged upstream. */
    entities: z.array(z.string().min(1).max(200)).max(NEWS_MAX_TAGS).optional(),
  })
  .refine((v) => v.title.trim().length > 0 || v.body.trim().length > 0, {
    message: 'title or body must be non-empty',
    path: ['title'],
  });

export type NewsRawValue = z.output<typeof newsRawSchema>;
