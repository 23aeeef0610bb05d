import type { WindowEvent } from '../types';
import { isWindowKind } from './window-key';

const LABELS = new Set(['negative', 'neutral', 'positive']);
/** Date's range: an event time outside it has no ISO form. */
const MAX_TIME_MS = 8.64e15;
/** A source names a news.raw partition; the bound only keeps the engine's state small. */
export const MAX_SOURCE_CHARS = 200;

/** Throws a TypeError naming the first bad field (`event.<field>: ...`) of an event the engine cannot window. */
export function validateWindowEvent(e: WindowEvent): void {
  if (typeof e !== 'object' || e === null) throw new TypeError('event: expected an object');
  if (!isWindowKind(e.kind)) throw new TypeError(`event.kind: expected 'entity' or 'topic', got ${JSON.stringify(e.kind)}`);
  if (typeof e.name !== 'string' || e.name.length === 0) throw new TypeError('event.name: expected a non-empty string');
  if (e.key !== `${e.kind}:${e.name}`) throw new TypeError(`event.key: expected ${JSON.stringify(`${e.kind}:${e.name}`)}, got ${JSON.stringify(e.key)}`);
  if (typeof e.itemId !== 'string' || e.itemId.length === 0) throw new TypeError('event.itemId: expected a non-empty string');
  if (!Number.isSafeInteger(e.eventTimeMs) || Math.abs(e.eventTimeMs) > MAX_TIME_MS) {
    throw new TypeError(`event.eventTimeMs: expected integer epoch milliseconds, got ${String(e.eventTimeMs)}`);
  }
  if (!LABELS.has(e.sentiment)) throw new TypeError(`event.sentiment: expected negative, neutral or positive, got ${JSON.stringify(e.sentiment)}`);
  if (typeof e.negativeProb !== 'number' || !(e.negativeProb >= 0 && e.negativeProb <= 1)) {
    throw new TypeError(`event.negativeProb: expected a probability in [0, 1], got ${String(e.negativeProb)}`);
  }
  if (typeof e.title !== 'string') throw new TypeError('event.title: expected a string');
  if (typeof e.modelVersion !== 'string' || e.modelVersion.length === 0) throw new TypeError('event.modelVersion: expected a non-empty string');
  if (typeof e.source !== 'string' || e.source.length > MAX_SOURCE_CHARS) {
    throw new TypeError(`event.source: expected a string of at most ${MAX_SOURCE_CHARS} characters`);
  }
}
