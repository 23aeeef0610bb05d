import { z } from 'zod';
import { identifier, timestamp } from './common';

export const CATALOG_TITLE_MAX_CHARS = 500;
export const CATALOG_DESCRIPTION_MAX_CHARS = 10_000;
export const CATALOG_MAX_TAGS = 100;
export const CATALOG_MAX_GENRES = 20;
export const CATALOG_LABEL_MAX_CHARS = 100;

const label = z.string().trim().min(1).max(CATALOG_LABEL_MAX_CHARS);

/**
 * One catalog item as its owner publishes it: the whole item each time (an upsert, never a
 * patch), so the compacted topic's latest record per id is the item. The recommender embeds
 * title, description, tags and genres; createdAt feeds freshness.
 */
export const catalogItemSchema = z.object({
  id: identifier,
  title: z.string().trim().min(1).max(CATALOG_TITLE_MAX_CHARS),
  description: z.string().max(CATALOG_DESCRIPTION_MAX_CHARS).optional(),
  tags: z.array(label).max(CATALOG_MAX_TAGS).optional(),
  genres: z.array(label).max(CATALOG_MAX_GENRES).optional(),
  /** ISO-8601; when the item was released or added (freshness). */
  createdAt: timestamp.optional(),
});

export type CatalogItemValue = z.output<typeof catalogItemSchema>;
