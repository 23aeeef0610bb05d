/**
 * A user's verdict on one reply (POST /v1/feedback, the Feedback rpc): the labels of the
 * next fine-tuning round. Joined to its turn by `requestId` (the turn record's id).
 */
import { ValidationError } from '../errors';
import { redactCardNumbers } from '../slots/redact-card-numbers';
import { hasControlCharacters, validateSessionId } from '../validation/validate-request';

/** Longest comment accepted; equals libs/events MAX_FEEDBACK_COMMENT_CHARS (checked in the spec). */
export const MAX_FEEDBACK_COMMENT_CHARS = 2_000;
/** Longest request id accepted; the event schema's identifier bound. */
export const MAX_REQUEST_ID_CHARS = 256;

export interface FeedbackRequest {
  readonly sessionId: string;
  /** The `requestId` of the turn being rated (TurnRecord.requestId). */
  readonly requestId: string;
  readonly helpful: boolean;
  /** The label that would have been right; '' means none (proto3 default). */
  readonly correctIntent?: string;
  /** Free text; '' means none. */
  readonly comment?: string;
}

/** Validated feedback, ready for `feedbackEventOf`. */
export interface FeedbackRecord {
  readonly sessionId: string;
  readonly requestId: string;
  readonly helpful: boolean;
  readonly correctIntent?: string;
  readonly comment?: string;
  /** The session's language: whose classifier `correctIntent` belongs to. */
  readonly language: string;
  /** ISO 8601 time the feedback was received. */
  readonly at: string;
}

function optionalText(value: unknown, field: string, maxChars: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string`, { field });
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > maxChars) {
    throw new ValidationError(`${field} is ${trimmed.length} characters; the limit is ${maxChars}`, { field, kind: 'too-large' });
  }
  if (hasControlCharacters(trimmed)) throw new ValidationError(`${field} contains control characters`, { field });
  return trimmed;
}

/** Checks the shape of a feedback request; the session and label checks need the handler. */
export function validateFeedbackRequest(request: FeedbackRequest): Omit<FeedbackRecord, 'language' | 'at'> {
  const sessionId = validateSessionId(request.sessionId);
  const requestId = optionalText(request.requestId, 'request_id', MAX_REQUEST_ID_CHARS);
  if (requestId === undefined) throw new ValidationError('request_id is required', { field: 'request_id' });
  if (typeof request.helpful !== 'boolean') throw new ValidationError('helpful must be true or false', { field: 'helpful' });
  const correctIntent = optionalText(request.correctIntent, 'correct_intent', 128);
  // Published on support.conversations: card numbers masked, as in messages.
  const rawComment = optionalText(request.comment, 'comment', MAX_FEEDBACK_COMMENT_CHARS);
  const comment = rawComment === undefined ? undefined : redactCardNumbers(rawComment);
  return { sessionId, requestId, helpful: request.helpful, ...(correctIntent ? { correctIntent } : {}), ...(comment ? { comment } : {}) };
}

/** A correct intent must be a label the session's classifier knows, when it says which it knows. */
export function checkCorrectIntent(correctIntent: string | undefined, labels: readonly string[] | undefined): void {
  if (correctIntent === undefined || labels === undefined || labels.includes(correctIntent)) return;
  const known = labels.length > 20 ? `${labels.slice(0, 20).join(', ')}, ...` : labels.join(', ');
  throw new ValidationError(`correct_intent ${JSON.stringify(correctIntent)} is not a label of this session's classifier (${known})`, {
    field: 'correct_intent',
  });
}
