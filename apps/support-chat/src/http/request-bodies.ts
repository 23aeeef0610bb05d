/**
 * JSON bodies of the HTTP API, checked for shape only (types of fields). Content rules
 * (empty text, length, session id characters, actions) belong to libs/support's handler,
 * which both transports share.
 */
import { ValidationError } from '@tuneline/platform';
import type { ChatTurnRequest, EndSessionRequest, FeedbackRequest } from '@tuneline/support';

type Json = Record<string, unknown>;

function objectOf(body: unknown): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('request body must be a JSON object');
  return body as Json;
}

function stringField(body: Json, field: string, required: boolean): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw new ValidationError(`${field} is required`, { field });
    return undefined;
  }
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string`, { field });
  return value;
}

/** POST /v1/chat and /v1/chat/stream: { sessionId, text, locale? }. */
export function chatRequestOf(body: unknown, requestId: string | undefined): ChatTurnRequest {
  const json = objectOf(body);
  const locale = stringField(json, 'locale', false);
  return {
    sessionId: stringField(json, 'sessionId', true) as string,
    text: stringField(json, 'text', true) as string,
    ...(locale !== undefined ? { locale } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

/** POST /v1/sessions/{id}/end: { action: 'close' | 'handoff', reason? } (the handler checks the action). */
export function endRequestOf(sessionId: string, body: unknown): EndSessionRequest {
  const json = objectOf(body);
  const reason = stringField(json, 'reason', false);
  return { sessionId, action: stringField(json, 'action', true) as EndSessionRequest['action'], ...(reason !== undefined ? { reason } : {}) };
}

/**
 * POST /v1/feedback: { sessionId, requestId, helpful, correctIntent?, comment? }. The fields go
 * through as sent: libs/support's validateFeedbackRequest checks their types and content.
 */
export function feedbackRequestOf(body: unknown): FeedbackRequest {
  const json = objectOf(body);
  return {
    sessionId: json['sessionId'] as string,
    requestId: json['requestId'] as string,
    helpful: json['helpful'] as boolean,
    ...(json['correctIntent'] !== undefined ? { correctIntent: json['correctIntent'] as string } : {}),
    ...(json['comment'] !== undefined ? { comment: json['comment'] as string } : {}),
  };
}
