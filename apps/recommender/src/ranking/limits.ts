/**
 * The checks both transports share, before any model work: ids, the candidate limit (over it:
 * INVALID_ARGUMENT / HTTP 413, the message names the limit), k, and inline items bounded like
 * catalog.items. Content rules only; the transports check JSON/proto shapes.
 */
import { CATALOG_DESCRIPTION_MAX_CHARS, CATALOG_LABEL_MAX_CHARS, CATALOG_MAX_GENRES, CATALOG_MAX_TAGS, CATALOG_TITLE_MAX_CHARS } from '@tuneline/events';
import { ValidationError } from '@tuneline/platform';
import type { CandidateInput, RankCall, RecommendCall } from './types';

/** Longest user or item id (libs/events' identifier). */
export const MAX_ID_CHARS = 256;

export interface ServiceLimits {
  readonly maxCandidates: number;
  readonly maxK: number;
  readonly defaultK: number;
}

export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(`${field} is required (a non-empty string)`, { field });
  if (value.length > MAX_ID_CHARS) throw new ValidationError(`${field} is longer than ${MAX_ID_CHARS} characters`, { field });
  return value;
}

function checkK(k: number | undefined, limits: ServiceLimits, field: string): void {
  if (k === undefined) return;
  if (!Number.isInteger(k) || k < 1) throw new ValidationError(`${field} must be a positive integer, got ${String(k)}`, { field });
  if (k > limits.maxK) throw new ValidationError(`${field} is ${k}; the limit is ${limits.maxK}`, { field });
}

function checkLabels(values: readonly string[], max: number, field: string): void {
  if (values.length > max) throw new ValidationError(`${field} has ${values.length} entries; the limit is ${max}`, { field });
  values.forEach((v, i) => {
    if (v.trim() === '' || v.length > CATALOG_LABEL_MAX_CHARS) throw new ValidationError(`${field}[${i}] must be 1 to ${CATALOG_LABEL_MAX_CHARS} characters`, { field: `${field}[${i}]` });
  });
}

function checkCandidate(candidate: CandidateInput, i: number): void {
  const at = `candidates[${i}]`;
  checkId(candidate.itemId, `${at}.itemId`);
  const inline = candidate.inline;
  if (!inline) return;
  if (inline.title.length > CATALOG_TITLE_MAX_CHARS) throw new ValidationError(`${at}.title is longer than ${CATALOG_TITLE_MAX_CHARS} characters`, { field: `${at}.title` });
  if (inline.description.length > CATALOG_DESCRIPTION_MAX_CHARS) {
    throw new ValidationError(`${at}.description is longer than ${CATALOG_DESCRIPTION_MAX_CHARS} characters`, { field: `${at}.description` });
  }
  checkLabels(inline.tags, CATALOG_MAX_TAGS, `${at}.tags`);
  checkLabels(inline.genres, CATALOG_MAX_GENRES, `${at}.genres`);
  if (inline.createdAt !== undefined && !Number.isFinite(inline.createdAt)) throw new ValidationError(`${at}.createdAt must be a valid time`, { field: `${at}.createdAt` });
  if (`${inline.title}${inline.description}${inline.tags.join('')}${inline.genres.join('')}`.trim() === '') {
    throw new ValidationError(`${at} is an inline item with no text (title, description, tags and genres all empty)`, { field: at });
  }
}

/**
 * Over the limit: `too-large` (HTTP 413, INVALID_ARGUMENT) naming it. Checked before any
 * candidate is parsed or checked, so an over-long list is refused for its length whatever it holds.
 */
export function checkCandidateCount(count: number, limits: Pick<ServiceLimits, 'maxCandidates'>): void {
  if (count > limits.maxCandidates) {
    throw new ValidationError(`candidates: ${count} sent; the limit is ${limits.maxCandidates} per request`, { field: 'candidates', kind: 'too-large' });
  }
}

/** Throws ValidationError naming the field; too many candidates is `too-large` (HTTP 413). */
export function checkRankCall(call: RankCall, limits: ServiceLimits): void {
  checkId(call.userId, 'userId');
  if (!Array.isArray(call.candidates) || call.candidates.length === 0) throw new ValidationError('candidates must hold at least one item', { field: 'candidates' });
  checkCandidateCount(call.candidates.length, limits);
  call.candidates.forEach(checkCandidate);
  checkK(call.k, limits, 'k');
}

/** Checks the call and resolves its k (the default when unset). */
export function checkRecommendCall(call: RecommendCall, limits: ServiceLimits): number {
  checkId(call.userId, 'userId');
  checkK(call.k, limits, 'k');
  return call.k ?? limits.defaultK;
}
