/**
 * Pure mappers from the handler's results to the values of the support topics
 * (libs/events `TOPICS.supportConversations`, `TOPICS.supportHandoff`). Types only are
 * imported from @tuneline/events, so this lib still loads no Kafka client; the app
 * enqueues the values on its buffered publisher, which validates them.
 */
import type { SupportConversationTurn, SupportFeedback, SupportHandoff } from '@tuneline/events';
import type { FeedbackRecord } from '../feedback/feedback';
import type { HandoffResult } from '../handoff/handoff-result';
import type { TurnRecord } from '../handler/turn-types';

/** A turn for `support.conversations`: the user's message and how it was answered. */
export function conversationEventOf(record: TurnRecord): SupportConversationTurn {
  return {
    kind: 'turn',
    sessionId: record.sessionId,
    // The topic counts turns from 0; the handler from 1.
    turn: record.turn - 1,
    role: 'user',
    text: record.text,
    intent: record.intent,
    confidence: record.confidence,
    handoff: record.answerKind === 'handoff',
    requestId: record.requestId,
    language: record.language,
    inherited: record.inherited,
    answerKind: record.answerKind,
    ...(record.handoffReason ? { handoffReason: record.handoffReason } : {}),
    ...(record.ticketId ? { ticketId: record.ticketId } : {}),
    passages: record.passages.map(({ passageId, score }) => ({ passageId, score })),
    slotsUsed: [...record.slotsUsed],
    model: { name: record.modelName, version: record.modelVersion },
    sentiment: record.sentiment,
    latencyMs: record.latencyMs,
    at: record.at,
  };
}

/** Feedback for `support.conversations`, keyed like the turn it rates. */
export function feedbackEventOf(feedback: FeedbackRecord): SupportFeedback {
  return {
    kind: 'feedback',
    sessionId: feedback.sessionId,
    requestId: feedback.requestId,
    helpful: feedback.helpful,
    ...(feedback.correctIntent ? { correctIntent: feedback.correctIntent } : {}),
    ...(feedback.comment ? { comment: feedback.comment } : {}),
    language: feedback.language,
    at: feedback.at,
  };
}

/** A handoff for `support.handoff`: what the agent desk needs to pick the session up. */
export function handoffEventOf(handoff: HandoffResult): SupportHandoff {
  return {
    ticketId: handoff.ticketId,
    sessionId: handoff.sessionId,
    reason: handoff.reason,
    ...(handoff.note ? { note: handoff.note } : {}),
    language: handoff.language,
    transcript: handoff.transcript.map((e) => ({
      role: e.role,
      text: e.text,
      at: new Date(e.at).toISOString(),
      ...(e.intent ? { intent: e.intent } : {}),
      ...(e.answerKind ? { answerKind: e.answerKind } : {}),
    })),
    ...(handoff.lastIntent ? { lastIntent: handoff.lastIntent } : {}),
    slots: { ...handoff.slots },
    at: new Date(handoff.at).toISOString(),
  };
}
