import { MAX_FEEDBACK_COMMENT_CHARS as EVENTS_MAX_COMMENT } from '@tuneline/events';
import { NotFoundError, ValidationError } from '../errors';
import type { SupportChatHandler } from '../handler/support-chat-handler';
import { newSession } from '../session/session-state';
import { checkCorrectIntent, MAX_FEEDBACK_COMMENT_CHARS, validateFeedbackRequest, type FeedbackRequest } from './feedback';
import { handlerWithSamples } from '../../test/support/handler-fixture';

const ok: FeedbackRequest = { sessionId: 's-1', requestId: 'req-1', helpful: true };

function rejects(request: Record<string, unknown>, field: string): void {
  let error: unknown;
  try {
    validateFeedbackRequest({ ...ok, ...request } as FeedbackRequest);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
}

describe('validateFeedbackRequest', () => {
  it('keeps the fields, trims text and treats empty strings (proto3 defaults) as absent', () => {
    expect(validateFeedbackRequest({ ...ok, correctIntent: ' refund_request ', comment: '  wrong answer ' })).toEqual({
      ...ok,
      correctIntent: 'refund_request',
      comment: 'wrong answer',
    });
    expect(validateFeedbackRequest({ ...ok, helpful: false, correctIntent: '', comment: '' })).toEqual({ ...ok, helpful: false });
  });

  it.each([
    [{ sessionId: '' }, 'session_id'],
    [{ sessionId: 'has space' }, 'session_id'],
    [{ requestId: '' }, 'request_id'],
    [{ requestId: undefined }, 'request_id'],
    [{ requestId: 'x'.repeat(257) }, 'request_id'],
    [{ helpful: 'yes' }, 'helpful'],
    [{ helpful: undefined }, 'helpful'],
    [{ correctIntent: 42 }, 'correct_intent'],
    [{ comment: 'bad\u0000byte' }, 'comment'],
  ])('rejects %j naming %s', (request, field) => rejects(request, field));

  it('masks a card number in the comment (it is published on support.conversations)', () => {
    expect(validateFeedbackRequest({ ...ok, comment: 'charged twice on 4111 1111 1111 1111' }).comment).toBe('charged twice on **** **** **** 1111');
  });

  it('refuses an over-long comment as too large (HTTP 413), at the event schema\'s own limit', () => {
    expect(MAX_FEEDBACK_COMMENT_CHARS).toBe(EVENTS_MAX_COMMENT);
    expect(() => validateFeedbackRequest({ ...ok, comment: 'x'.repeat(MAX_FEEDBACK_COMMENT_CHARS + 1) })).toThrow(
      expect.objectContaining({ field: 'comment', kind: 'too-large', httpStatus: 413 }),
    );
  });
});

describe('checkCorrectIntent', () => {
  it('accepts a known label, anything when the classifier lists no labels, and nothing else', () => {
    expect(() => checkCorrectIntent('a', ['a', 'b'])).not.toThrow();
    expect(() => checkCorrectIntent(undefined, ['a'])).not.toThrow();
    expect(() => checkCorrectIntent('z', undefined)).not.toThrow();
    expect(() => checkCorrectIntent('z', ['a', 'b'])).toThrow(/correct_intent "z" is not a label of this session's classifier \(a, b\)/);
  });
});

describe('SupportChatHandler.feedback', () => {
  let handler: SupportChatHandler;
  let store: Awaited<ReturnType<typeof handlerWithSamples>>['store'];

  beforeAll(async () => {
    ({ handler, store } = await handlerWithSamples());
  });

  it('returns a record for a turn of a live session, with its language and the time', async () => {
    const turn = await handler.handleTurn({ sessionId: 'fb-1', text: 'I want a refund' });
    const record = await handler.feedback({ sessionId: 'fb-1', requestId: turn.record.requestId, helpful: false, correctIntent: 'card_arrival' });
    expect(record).toEqual({
      sessionId: 'fb-1',
      requestId: turn.record.requestId,
      helpful: false,
      correctIntent: 'card_arrival',
      language: 'en',
      at: '2025-03-14T12:00:00.000Z',
    });
  });

  it('accepts feedback after a handoff (the rating is still worth having)', async () => {
    await store.save({ ...newSession('fb-2', 'en', 0), status: 'handed_off' }, 0);
    await expect(handler.feedback({ sessionId: 'fb-2', requestId: 'r', helpful: true })).resolves.toMatchObject({ helpful: true });
  });

  it('refuses an unknown session with NOT_FOUND', async () => {
    await expect(handler.feedback({ sessionId: 'nobody', requestId: 'r', helpful: true })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a correct intent the session\'s classifier does not know, checked against that session\'s language', async () => {
    await store.save(newSession('fb-zh', 'zh', 0), 0);
    await expect(handler.feedback({ sessionId: 'fb-zh', requestId: 'r', helpful: false, correctIntent: 'no_such_intent' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'correct_intent',
    });
    await expect(handler.feedback({ sessionId: 'fb-zh', requestId: 'r', helpful: false, correctIntent: 'card_lost' })).resolves.toMatchObject({
      language: 'zh',
    });
  });

  it('validates the input before looking the session up', async () => {
    await expect(handler.feedback({ sessionId: 'nobody', requestId: '', helpful: true })).rejects.toBeInstanceOf(ValidationError);
  });
});
