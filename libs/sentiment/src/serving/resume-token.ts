/**
 * Resume tokens of the alert stream: an opaque base64url string holding, per partition of
 * sentiment.alerts, the offset of the last alert the caller has been given (or skipped).
 * Offsets are the topic's, not a replica's, so a token from one replica resumes on any other.
 *
 * Wire form (inside the base64url): `v1:` then `partition.offset` pairs, ascending by
 * partition, comma-separated. Exactly one spelling per vector: decode accepts only what
 * encode produces, so a hand-edited token is rejected rather than half-understood.
 */
import { InvalidResumeTokenError } from './errors';

/** Partition → offset of the last alert covered (delivered or deliberately skipped). */
export type OffsetVector = ReadonlyMap<number, number>;

/** Longest token decode looks at; a real one holds a pair per partition (a few dozen bytes). */
export const MAX_RESUME_TOKEN_CHARS = 4096;

const PREFIX = 'v1:';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BODY = /^(?:\d{1,6}\.\d{1,16}(?:,\d{1,6}\.\d{1,16})*)?$/;

export function encodeResumeToken(vector: OffsetVector): string {
  const pairs = [...vector.entries()].sort((a, b) => a[0] - b[0]).map(([p, o]) => `${p}.${o}`);
  return Buffer.from(PREFIX + pairs.join(','), 'utf8').toString('base64url');
}

/** The vector of a token encodeResumeToken made; anything else throws InvalidResumeTokenError. */
export function decodeResumeToken(token: string): OffsetVector {
  if (typeof token !== 'string' || token.length === 0) throw new InvalidResumeTokenError('empty');
  if (token.length > MAX_RESUME_TOKEN_CHARS) throw new InvalidResumeTokenError(`longer than ${MAX_RESUME_TOKEN_CHARS} characters`);
  // Buffer's base64url decoder skips characters it does not know; check the alphabet first.
  if (!BASE64URL.test(token)) throw new InvalidResumeTokenError('not base64url');
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) throw new InvalidResumeTokenError('unknown version');
  const body = text.slice(PREFIX.length);
  if (!BODY.test(body)) throw new InvalidResumeTokenError('not an offset vector');
  const vector = new Map<number, number>();
  for (const pair of body === '' ? [] : body.split(',')) {
    const [partition, offset] = pair.split('.').map(Number) as [number, number];
    if (!Number.isSafeInteger(offset)) throw new InvalidResumeTokenError('offset out of range');
    vector.set(partition, offset);
  }
  // Canonical form only: sorted, no duplicate partitions, no leading zeros, no stray bits.
  if (encodeResumeToken(vector) !== token) throw new InvalidResumeTokenError('not in canonical form');
  return vector;
}
