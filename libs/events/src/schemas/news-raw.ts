import { z } from 'zod';
import { identifier, nonEmptyText, timestamp } from './common';

/** A news item as it arrives, before any model has looked at it. */
export const newsRawSchema = z.object({
  id: identifier,
  source: z.string().min(1).max(200),
  text: nonEmptyText,
  /** Entities already tagged upstream (tickers, company names), if any. */
  entities: z.array(z.string().min(1)).optional(),
  publishedAt: timestamp,
});

export type NewsRaw = z.output<typeof newsRawSchema>;
