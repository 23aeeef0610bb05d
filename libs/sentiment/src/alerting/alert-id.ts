import { createHash } from 'node:crypto';
import type { AlertRule } from '../types';

/**
 * Deterministic alert id: the first 32 hex chars (128 bits) of
 * sha256(`<key>|<windowStartMs>|<windowMs>|<rule>`). The same surge gets the same id on a
 * replay, a restore or another replica, so any consumer can drop a repeat.
 */
export function alertIdOf(key: string, windowStartMs: number, windowMs: number, rule: AlertRule): string {
  return createHash('sha256').update(`${key}|${windowStartMs}|${windowMs}|${rule}`, 'utf8').digest('hex').slice(0, 32);
}
