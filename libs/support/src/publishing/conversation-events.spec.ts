import { TOPICS, validateValue } from '@tuneline/events';
import { handlerWithSamples } from '../../test/support/handler-fixture';
import type { TurnRecord } from '../handler/turn-types';
import { conversationEventOf, feedbackEventOf, handoffEventOf } from './conversation-events';

// The mappers' outputs checked against the real topic schemas (values here; the lib imports types only).

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

describe('support event mappers', () => {
  it('maps a turn to a support.conversations turn carrying what fine-tuning needs', async () => {
    const { handler } = await handlerWithSamples();
    const { record } = await handler.handleTurn({ sessionId: 'ev-1', text: 'I want a refund of €40' });
    const event = conversationEventOf(record);
    expect(validateValue(TOPICS.supportConversations, event)).toEqual(event);
    expect(event).toMatchObject({
      kind: 'turn',
      sessionId: 'ev-1',
      turn: 0,
      role: 'user',
      text: 'I want a refund of €40',
      intent: 'refund_request',
      confidence: 0.9,
      handoff: false,
      requestId: 'req-1',
      language: 'en',
      inherited: false,
      answerKind: 'template',
      model: { name: 'fake-intents', version: 'en-7' },
      sentiment: 'absent',
      at: '2025-03-14T12:00:00.000Z',
    });
    expect(event.passages).toEqual(record.passages);
    expect(event.slotsUsed).toEqual(record.slotsUsed);
    expect(TOPICS.supportConversations.key(event)).toBe('ev-1');
  });

  it('maps a handoff turn with its reason and ticket, and the handoff itself to support.handoff', async () => {
    const { handler } = await handlerWithSamples();
    await handler.handleTurn({ sessionId: 'ev-2', text: 'I want a refund' });
    const turn = await handler.handleTurn({ sessionId: 'ev-2', text: 'I lost my card ending in 4242' });
    expect(turn.handoff).toBeDefined();
    const event = conversationEventOf(turn.record);
    expect(validateValue(TOPICS.supportConversations, event)).toMatchObject({
      turn: 1,
      handoff: true,
      answerKind: 'handoff',
      handoffReason: 'sensitive_intent',
      ticketId: turn.handoff?.ticketId,
    });
    const handoff = handoffEventOf(defined(turn.handoff));
    expect(validateValue(TOPICS.supportHandoff, handoff)).toEqual(handoff);
    expect(handoff).toMatchObject({ ticketId: turn.handoff?.ticketId, sessionId: 'ev-2', reason: 'sensitive_intent', lastIntent: 'card_lost' });
    expect(handoff.slots).toMatchObject({ last_four: '4242' });
    expect(handoff.transcript.map((e) => e.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(handoff.transcript[3]).toMatchObject({ intent: 'card_lost', answerKind: 'handoff', at: '2025-03-14T12:00:00.000Z' });
    expect(TOPICS.supportHandoff.key(handoff)).toBe('ev-2');
  });

  it('maps an agent-requested handoff with its note', async () => {
    const { handler } = await handlerWithSamples();
    await handler.handleTurn({ sessionId: 'ev-3', text: 'I want a refund' });
    const ended = await handler.endSession({ sessionId: 'ev-3', action: 'handoff', reason: 'customer asked by phone' });
    const handoff = handoffEventOf(defined(ended.handoff));
    expect(validateValue(TOPICS.supportHandoff, handoff)).toMatchObject({ reason: 'agent_requested', note: 'customer asked by phone' });
  });

  it('maps feedback to a support.conversations feedback joined by request id', async () => {
    const { handler } = await handlerWithSamples();
    const { record } = await handler.handleTurn({ sessionId: 'ev-4', text: 'I want a refund' });
    const feedback = await handler.feedback({ sessionId: 'ev-4', requestId: record.requestId, helpful: false, correctIntent: 'card_arrival', comment: 'no' });
    const event = feedbackEventOf(feedback);
    expect(validateValue(TOPICS.supportConversations, event)).toEqual({
      kind: 'feedback',
      sessionId: 'ev-4',
      requestId: record.requestId,
      helpful: false,
      correctIntent: 'card_arrival',
      comment: 'no',
      language: 'en',
      at: '2025-03-14T12:00:00.000Z',
    });
    // Same key as the turn it rates: same partition, after the turn.
    expect(TOPICS.supportConversations.key(event)).toBe(TOPICS.supportConversations.key(conversationEventOf(record)));
  });

  it('leaves optional fields out rather than writing undefined', () => {
    const record: TurnRecord = {
      requestId: 'r',
      sessionId: 's',
      turn: 3,
      language: 'en',
      text: 'hi',
      intent: 'x',
      confidence: 0.1,
      inherited: false,
      answerKind: 'retrieval',
      passages: [],
      slotsUsed: [],
      modelName: 'm',
      modelVersion: '1',
      sentiment: 0.2,
      latencyMs: 0,
      at: '2025-03-14T12:00:00.000Z',
    };
    const event = conversationEventOf(record);
    expect('handoffReason' in event || 'ticketId' in event).toBe(false);
    expect(validateValue(TOPICS.supportConversations, event)).toMatchObject({ turn: 2, sentiment: 0.2 });
  });
});
