import { z } from 'zod';

// Building blocks shared by the topic schemas. Objects are zod's default (non-strict)
// objects: unknown keys are dropped, so a newer producer that adds a field does not
// break an older consumer. Evolve by adding optional fields; never rename or retype.

/** ISO-8601 timestamp; `Z` or an explicit offset (what `Date#toISOString()` writes). */
export const timestamp = z.iso.datetime({ offset: true });

/** Opaque identifier: non-empty, bounded so it fits in a key and a log line. */
export const identifier = z.string().min(1).max(256);

export const probability = z.number().min(0).max(1);

export const nonEmptyText = z.string().min(1);
