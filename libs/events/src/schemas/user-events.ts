import { z } from 'zod';
import { identifier, timestamp } from './common';

export const USER_EVENT_TYPES = ['click', 'like', 'skip', 'purchase', 'view'] as const;

/** One user interaction with an item, the recommender's input. */
export const userEventSchema = z.object({
  userId: identifier,
  itemId: identifier,
  type: z.enum(USER_EVENT_TYPES),
  ts: timestamp,
});

export type UserEventType = (typeof USER_EVENT_TYPES)[number];
export type UserEvent = z.output<typeof userEventSchema>;
