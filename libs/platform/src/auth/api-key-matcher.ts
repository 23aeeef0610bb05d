import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Checks a presented key against the configured ones in constant time: both
 * sides are hashed to equal length and every configured key is compared, so
 * neither the length nor the position of a match leaks through timing.
 * Returns a fingerprint (first 12 hex chars of the key's SHA-256) to log.
 */
export function createApiKeyMatcher(keys: readonly string[]): (presented: string) => string | undefined {
  const digests = keys.map(digest);
  return (presented) => {
    const candidate = digest(presented);
    let match: Buffer | undefined;
    for (const d of digests) {
      if (timingSafeEqual(d, candidate)) match = d;
    }
    return match?.toString('hex').slice(0, 12);
  };
}
