import { createHash } from 'node:crypto';

/**
 * Deterministic alert id: the first 32 hex chars (128 bits) of
 * sha256(`<key>|<windowStartMs>|<windowMs>`). A window raises at most one alert, so the id
 * names the surge, not the rule that happened to cross its threshold first (which can
 * depend on how sources interleaved): a replay, a restore, another interleaving or another
 * replica gives the same id, so any consumer can drop a repeat.
 */
export function alertIdOf(key: string, windowStartMs: number, windowMs: number): string {
  return createHash('sha256').update(`${key}|${windowStartMs}|${windowMs}`, 'utf8').digest('hex').slice(0, 32);
}
