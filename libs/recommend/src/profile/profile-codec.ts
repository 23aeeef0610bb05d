import type { UserProfile } from './user-profile';

/**
 * Profiles as JSON text (for Redis): the embedding travels as base64 of its float32 bytes,
 * so a 384-d vector is 2 KB instead of ~8 KB of decimal digits, and comes back bit-exact.
 */
export function encodeProfile(p: UserProfile): string {
  const e = p.embedding;
  return JSON.stringify({ ...p, embedding: Buffer.from(e.buffer, e.byteOffset, e.byteLength).toString('base64') });
}

/**
 * A stored value that is not this user's profile throws a TypeError: a data fault no retry
 * cures, so the consumer dead-letters the event at once and a read answers 500, where a plain
 * Error would read as "store unavailable" and be retried for as long as the store answers.
 */
export function decodeProfile(json: string, userId: string): UserProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new TypeError(`profile of ${userId}: stored value is not JSON`, { cause: err });
  }
  const r = raw as Partial<Record<keyof UserProfile, unknown>> | null;
  if (typeof r !== 'object' || r === null || r.userId !== userId || typeof r.embedding !== 'string' || !Array.isArray(r.seen)) {
    throw new TypeError(`profile of ${userId}: stored value is not a profile`);
  }
  const bytes = Buffer.from(r.embedding, 'base64');
  const embedding = new Float32Array(bytes.length / 4);
  Buffer.from(embedding.buffer).set(bytes);
  return { ...(r as unknown as UserProfile), embedding };
}

/** A deep copy (what the in-memory store hands out and keeps). */
export function copyProfile(p: UserProfile): UserProfile {
  return {
    ...p,
    embedding: Float32Array.from(p.embedding),
    genreAffinity: { ...p.genreAffinity },
    tagAffinity: { ...p.tagAffinity },
    releaseYear: { ...p.releaseYear },
    counts: { ...p.counts },
    seen: p.seen.map((s) => ({ ...s })),
  };
}
