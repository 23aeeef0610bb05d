/**
 * The BFF's request bodies and query strings, checked before any service is called: the
 * console refuses what it knows a service would refuse, with a 400 naming the field, and
 * caps what a browser may ask for (text length, k, filter lists).
 */
import { z } from 'zod';
import { ValidationError } from '@tuneline/platform';

/** Chat text limit; support-chat's own default (SUPPORT_MAX_MESSAGE_CHARS) is higher, so ours is the tighter one. */
export const MAX_CHAT_CHARS = 2_000;
export const MAX_K = 50;
export const MAX_RANK_ITEMS = 200;
export const MAX_FILTER_VALUES = 20;

const id = (what: string) =>
  z.string().trim().min(1, `${what} is required`).max(128, `${what} must be at most 128 characters`).regex(/^[A-Za-z0-9._:@-]+$/, `${what} may hold only A-Z a-z 0-9 . _ : @ -`);

export const chatRequestSchema = z.object({
  sessionId: id('sessionId'),
  text: z.string().trim().min(1, 'text must not be empty').max(MAX_CHAT_CHARS, `text must be at most ${MAX_CHAT_CHARS} characters`),
});

export const chatFeedbackSchema = z.object({
  sessionId: id('sessionId'),
  turnId: z.string({ error: 'turnId is required (the turnId of the rated answer)' }).trim().min(1, 'turnId is required (the turnId of the rated answer)').max(256, 'turnId must be at most 256 characters'),
  helpful: z.boolean({ error: 'helpful must be true or false' }),
  correctIntent: z.string().trim().max(100).optional(),
});

export const rankRequestSchema = z.object({
  userId: id('userId'),
  k: z.number({ error: 'k must be a number' }).int('k must be an integer').min(1, 'k must be at least 1').max(MAX_K, `k must be at most ${MAX_K}`).default(10),
  itemIds: z.array(id('itemIds[]')).min(1, 'itemIds must hold at least one item').max(MAX_RANK_ITEMS, `itemIds must hold at most ${MAX_RANK_ITEMS} items`),
});

export const recommendRequestSchema = rankRequestSchema.omit({ itemIds: true });

export const ITEM_FEEDBACK_TYPES = ['click', 'like', 'skip', 'purchase', 'view'] as const;
export const itemFeedbackSchema = z.object({
  userId: id('userId'),
  itemId: id('itemId'),
  type: z.enum(ITEM_FEEDBACK_TYPES, { error: `type must be one of ${ITEM_FEEDBACK_TYPES.join(', ')}` }),
});

const SEVERITIES = ['warning', 'critical'] as const;
const csv = (what: string) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').split(',').map((v) => v.trim()).filter((v) => v !== ''))
    .pipe(z.array(z.string().max(200, `${what} values must be at most 200 characters`)).max(MAX_FILTER_VALUES, `${what} takes at most ${MAX_FILTER_VALUES} values`));

/** GET /api/alerts/stream?entity=a,b&topic=x&severity=critical */
export const alertFilterSchema = z.object({
  entity: csv('entity'),
  topic: csv('topic'),
  severity: z.enum(SEVERITIES, { error: `severity must be one of ${SEVERITIES.join(', ')}` }).optional(),
});

export const entityNameSchema = z.string().trim().min(1, 'entity is required').max(200, 'entity must be at most 200 characters');

export type ChatRequest = z.output<typeof chatRequestSchema>;
export type ChatFeedback = z.output<typeof chatFeedbackSchema>;
export type RankRequest = z.output<typeof rankRequestSchema>;
export type RecommendRequest = z.output<typeof recommendRequestSchema>;
export type ItemFeedback = z.output<typeof itemFeedbackSchema>;
export type AlertFilter = z.output<typeof alertFilterSchema>;

/** Parses or throws a 400 ValidationError naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.output<S> {
  if (input === undefined || input === null) throw new ValidationError(`${what} is required (JSON)`, { field: what });
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || what;
  const message = issue?.message ?? 'invalid';
  throw new ValidationError(message.startsWith(field) ? message : `${field}: ${message}`, { field });
}
