/**
 * JSON bodies of the HTTP API, checked for shape only (field types); content rules (ids,
 * limits, k, ratings) are the shared checks of ranking/limits.ts and the feedback recorder,
 * which gRPC goes through too. One exception: the candidate count (limits.ts) is checked here,
 * before the candidates are parsed, so the limit's 413 wins over a malformed entry's 400.
 */
import { USER_EVENT_TYPES, type UserEventType } from '@tuneline/events';
import { ValidationError } from '@tuneline/platform';
import { checkCandidateCount, type ServiceLimits } from '../ranking/limits';
import type { CandidateInput, FeedbackCall, RankCall, RecommendCall } from '../ranking/types';

type Json = Record<string, unknown>;

function objectOf(body: unknown, what = 'request body'): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError(`${what} must be a JSON object`);
  return body as Json;
}

function stringField(body: Json, field: string, where: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`${where}${field} must be a string`, { field: `${where}${field}` });
  return value;
}

function required(value: string | undefined, field: string): string {
  if (value === undefined) throw new ValidationError(`${field} is required`, { field });
  return value;
}

function numberField(body: Json, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new ValidationError(`${field} must be a number`, { field });
  return value;
}

function stringList(body: Json, field: string, where: string): string[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ValidationError(`${where}${field} must be an array of strings`, { field: `${where}${field}` });
  return value as string[];
}

function timeField(body: Json, field: string, where: string): number | undefined {
  const value = stringField(body, field, where);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError(`${where}${field} must be an ISO-8601 time`, { field: `${where}${field}` });
  return ms;
}

const INLINE_FIELDS = ['title', 'description', 'tags', 'genres', 'createdAt'] as const;

/** `"m-1"` (a catalog id) or `{ itemId, title?, description?, tags?, genres?, createdAt? }` (inline when any other field is set). */
function candidateOf(value: unknown, i: number): CandidateInput {
  if (typeof value === 'string') return { itemId: value };
  const where = `candidates[${i}].`;
  const json = objectOf(value, `candidates[${i}]`);
  const itemId = required(stringField(json, 'itemId', where), `${where}itemId`);
  if (!INLINE_FIELDS.some((f) => json[f] !== undefined && json[f] !== null)) return { itemId };
  const createdAt = timeField(json, 'createdAt', where);
  return {
    itemId,
    inline: {
      title: stringField(json, 'title', where) ?? '',
      description: stringField(json, 'description', where) ?? '',
      tags: stringList(json, 'tags', where),
      genres: stringList(json, 'genres', where),
      ...(createdAt !== undefined ? { createdAt } : {}),
    },
  };
}

/**
 * POST /v1/rank: { userId, candidates: (id | inline item)[], k? }. The count is checked before
 * any candidate is parsed: an over-long list is 413 naming the limit, not 400 for one bad entry.
 */
export function rankCallOf(body: unknown, limits: Pick<ServiceLimits, 'maxCandidates'>): RankCall {
  const json = objectOf(body);
  const candidates = json['candidates'];
  if (!Array.isArray(candidates)) throw new ValidationError('candidates must be an array of item ids or items', { field: 'candidates' });
  checkCandidateCount(candidates.length, limits);
  const k = numberField(json, 'k');
  return { userId: required(stringField(json, 'userId', ''), 'userId'), candidates: candidates.map(candidateOf), ...(k !== undefined ? { k } : {}) };
}

/** POST /v1/recommend: { userId, k? }. */
export function recommendCallOf(body: unknown): RecommendCall {
  const json = objectOf(body);
  const k = numberField(json, 'k');
  return { userId: required(stringField(json, 'userId', ''), 'userId'), ...(k !== undefined ? { k } : {}) };
}

/** POST /v1/feedback: { userId, itemId, type, value?, occurredAt? }. */
export function feedbackCallOf(body: unknown): FeedbackCall {
  const json = objectOf(body);
  const type = required(stringField(json, 'type', ''), 'type');
  if (!(USER_EVENT_TYPES as readonly string[]).includes(type)) throw new ValidationError(`type must be one of ${USER_EVENT_TYPES.join(', ')}`, { field: 'type' });
  const value = numberField(json, 'value');
  const occurredAt = timeField(json, 'occurredAt', '');
  return {
    userId: required(stringField(json, 'userId', ''), 'userId'),
    itemId: required(stringField(json, 'itemId', ''), 'itemId'),
    type: type as UserEventType,
    ...(value !== undefined ? { value } : {}),
    ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt) } : {}),
  };
}
