import { z } from 'zod';
import { identifier, nonEmptyText, probability, timestamp } from './common';

export const CONVERSATION_ROLES = ['user', 'assistant', 'agent', 'system'] as const;
export const SUPPORT_ANSWER_KINDS = ['template', 'retrieval', 'handoff'] as const;
/** Upper bound of a feedback comment; longer ones are refused, not cut. */
export const MAX_FEEDBACK_COMMENT_CHARS = 2_000;

const modelRef = z.object({ name: z.string().min(1), version: z.string().min(1) });

/** A cited knowledge-base passage and its cosine score (hence -1..1). */
const passageRef = z.object({ passageId: identifier, score: z.number().min(-1).max(1) });

/**
 * One turn of a support chat session. Records written before `kind` existed have no
 * `kind` and parse as turns (the default); every field after `handoff` was added later and
 * is optional (ADR 0005), so those old records stay valid.
 */
export const supportConversationTurnSchema = z.object({
  kind: z.literal('turn').default('turn'),
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
  /** Joins feedback (same `requestId`) and logs to this turn. */
  requestId: identifier.optional(),
  language: z.string().min(1).optional(),
  /** The intent came from the follow-up rule, not from the classifier: not a label for training. */
  inherited: z.boolean().optional(),
  answerKind: z.enum(SUPPORT_ANSWER_KINDS).optional(),
  handoffReason: z.string().min(1).optional(),
  /** Ticket of a handoff; the matching `support.handoff` record carries the same id. */
  ticketId: identifier.optional(),
  passages: z.array(passageRef).optional(),
  /** Names of the slots the reply used (names only: slot values may be personal data). */
  slotsUsed: z.array(z.string().min(1)).optional(),
  /** The classifier that produced `intent` (a hot swap changes `version`). */
  model: modelRef.optional(),
  /** Negative-sentiment probability, or why there is none. */
  sentiment: z.union([probability, z.enum(['absent', 'timeout', 'failed'])]).optional(),
  latencyMs: z.number().nonnegative().optional(),
  at: timestamp.optional(),
});

/**
 * A user's verdict on one reply, joined to its turn by `requestId` (same session key, so
 * it lands on the turn's partition, after the turn). Consumers built before this variant
 * existed refuse it (dead letter, not silent); upgrade consumers before producers.
 */
export const supportFeedbackSchema = z.object({
  kind: z.literal('feedback'),
  sessionId: identifier,
  requestId: identifier,
  helpful: z.boolean(),
  /** The label the user (or an agent) says was right; a label of the session's classifier. */
  correctIntent: z.string().min(1).optional(),
  comment: z.string().min(1).max(MAX_FEEDBACK_COMMENT_CHARS).optional(),
  language: z.string().min(1).optional(),
  at: timestamp,
});

/** Value of `support.conversations`: a turn (kind absent or 'turn') or feedback on one. */
export const supportConversationSchema = z.discriminatedUnion('kind', [supportConversationTurnSchema, supportFeedbackSchema]);

export type SupportAnswerKind = (typeof SUPPORT_ANSWER_KINDS)[number];
export type SupportConversationTurn = z.output<typeof supportConversationTurnSchema>;
export type SupportFeedback = z.output<typeof supportFeedbackSchema>;
export type SupportConversationEvent = z.output<typeof supportConversationSchema>;
/** What a producer may send (`kind` may be left out for a turn). */
export type SupportConversationInput = z.input<typeof supportConversationSchema>;
