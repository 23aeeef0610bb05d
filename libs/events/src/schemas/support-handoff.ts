import { z } from 'zod';
import { CONVERSATION_ROLES } from './support-conversations';
import { identifier, timestamp } from './common';

/** One line of the transcript an agent picks up. Empty text is kept: it is what was said. */
export const handoffTranscriptEntrySchema = z.object({
  role: z.enum(CONVERSATION_ROLES),
  text: z.string(),
  at: timestamp,
  /** On assistant lines: the intent the turn resolved to and how it answered. */
  intent: z.string().min(1).optional(),
  answerKind: z.string().min(1).optional(),
});

/**
 * A support session handed to a human agent. `reason` is a free string (support's
 * HandoffReason today) so a new reason does not need a schema change in every consumer.
 */
export const supportHandoffSchema = z.object({
  ticketId: identifier,
  sessionId: identifier,
  reason: z.string().min(1).max(64),
  /** Free text from whoever ended the session, shown to the agent. */
  note: z.string().optional(),
  language: z.string().min(1).optional(),
  transcript: z.array(handoffTranscriptEntrySchema),
  lastIntent: z.string().min(1).optional(),
  /** Slots collected so far (values may be personal data: this topic is for the agent desk). */
  slots: z.record(z.string(), z.string()).optional(),
  at: timestamp,
});

export type HandoffTranscriptEntry = z.output<typeof handoffTranscriptEntrySchema>;
export type SupportHandoff = z.output<typeof supportHandoffSchema>;
