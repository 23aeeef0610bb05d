import { z } from 'zod';
import { identifier, nonEmptyText, probability } from './common';

export const CONVERSATION_ROLES = ['user', 'assistant', 'agent', 'system'] as const;

/** One turn of a support chat session. */
export const supportConversationSchema = z.object({
  sessionId: identifier,
  /** 0-based turn index within the session. */
  turn: z.number().int().nonnegative(),
  role: z.enum(CONVERSATION_ROLES),
  text: nonEmptyText,
  /** Intent predicted for a user turn (absent for turns that were not classified). */
  intent: z.string().min(1).optional(),
  confidence: probability.optional(),
  /** Whether this turn handed the session over to a human agent. */
  handoff: z.boolean(),
});

export type SupportConversationTurn = z.output<typeof supportConversationSchema>;
