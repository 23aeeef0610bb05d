import { z } from 'zod';
import { identifier, timestamp } from './common';

/** Interaction types, in the order they were added (`rate` last: an older consumer dead-letters it). */
export const USER_EVENT_TYPES = ['click', 'like', 'skip', 'purchase', 'view', 'rate'] as const;

/** Bounds of a `rate` event's value (MovieLens' half-star scale). */
export const USER_RATING_MIN = 0.5;
export const USER_RATING_MAX = 5;

/**
 * One user interaction with an item, the recommender's input. `value` is the rating of a
 * `rate` event (0.5..5), required there and refused on every other type so a misplaced
 * value is a producer bug caught at the edge, not a silently ignored field.
 */
export const userEventSchema = z
  .object({
    userId: identifier,
    itemId: identifier,
    type: z.enum(USER_EVENT_TYPES),
    ts: timestamp,
    value: z.number().min(USER_RATING_MIN).max(USER_RATING_MAX).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'rate' && v.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `a rate event needs a value in [${USER_RATING_MIN}, ${USER_RATING_MAX}]` });
    }
    if (v.type !== 'rate' && v.value !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `only rate events carry a value (type is ${v.type})` });
    }
  });

export type UserEventType = (typeof USER_EVENT_TYPES)[number];
export type UserEvent = z.output<typeof userEventSchema>;
