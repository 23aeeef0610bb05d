import type { Rng } from './prng';

/**
 * Puts an entity's name into a sentence from a labelled corpus without changing its
 * sentiment: a generic subject ("The company", "the group", "The bank", "the firm") becomes
 * the name; otherwise the name is attached as a dateline ("Acme: …") or a trailing tag
 * ("… (Acme)"), chosen by the seeded PRNG.
 */
const SUBJECT = /\b(the (?:company|group|firm|bank|corporation))\b/i;

export function injectEntity(text: string, entity: string, rng: Rng): string {
  const m = SUBJECT.exec(text);
  if (m && rng.next() < 0.7) return text.slice(0, m.index) + entity + text.slice(m.index + (m[1] as string).length);
  return rng.next() < 0.5 ? `${entity}: ${text}` : `${text.replace(/\s*$/u, '')} (${entity})`;
}
