import type { WindowKind } from '../types';

/**
 * Window keys name what a window aggregates: `entity:<name>` or `topic:<name>`. They are the
 * Kafka key of `sentiment.window-events` (so one key's events meet in one partition, in
 * order) and the key of `sentiment.alerts`. The name may itself contain ':'.
 */
export interface ParsedWindowKey {
  readonly kind: WindowKind;
  readonly name: string;
}

const KINDS: readonly WindowKind[] = ['entity', 'topic'];

export function isWindowKind(v: unknown): v is WindowKind {
  return typeof v === 'string' && (KINDS as readonly string[]).includes(v);
}

export function windowKeyOf(kind: WindowKind, name: string): string {
  if (!isWindowKind(kind)) throw new TypeError(`kind: expected 'entity' or 'topic', got ${JSON.stringify(kind)}`);
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('name: expected a non-empty string');
  return `${kind}:${name}`;
}

export function parseWindowKey(key: string): ParsedWindowKey {
  if (typeof key !== 'string') throw new TypeError('key: expected a string');
  const i = key.indexOf(':');
  const kind = i > 0 ? key.slice(0, i) : '';
  const name = i > 0 ? key.slice(i + 1) : '';
  if (!isWindowKind(kind) || name.length === 0) {
    throw new TypeError(`key: expected 'entity:<name>' or 'topic:<name>', got ${JSON.stringify(key)}`);
  }
  return { kind, name };
}
