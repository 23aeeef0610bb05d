// Event-stream builders shared by the alerting specs (not exported from the lib).
import { windowEvent } from '../testing';
import type { SentimentAlert, WindowEvent } from '../types';
import type { AlertEngine } from './alert-engine';

export const MIN = 60_000;
export const T0 = Date.UTC(2025, 0, 6, 0, 0);
export const WINDOW = 15 * MIN;

let seq = 0;

/** One event for `key` (`entity:<name>` or `topic:<name>`) at `t`. */
export function ev(key: string, t: number, negative: boolean, extra: Partial<WindowEvent> = {}): WindowEvent {
  const i = key.indexOf(':');
  const kind = key.slice(0, i) as WindowEvent['kind'];
  const name = key.slice(i + 1);
  seq++;
  return windowEvent({
    kind,
    name,
    itemId: `${name}-${t}-${seq}`,
    eventTimeMs: t,
    sentiment: negative ? 'negative' : 'neutral',
    negativeProb: negative ? 0.9 : 0.05,
    title: `${name} story ${seq}`,
    ...extra,
  });
}

/**
 * `count` events per window for windows `from`..`to` (tumbling 15 min from T0), one a
 * minute from each window's start; the items at the given positions are negative.
 */
export function steady(key: string, from: number, to: number, negativeAt: readonly number[], count = 10): WindowEvent[] {
  const out: WindowEvent[] = [];
  for (let w = from; w <= to; w++) {
    for (let i = 0; i < count; i++) out.push(ev(key, T0 + w * WINDOW + i * MIN, negativeAt.includes(i)));
  }
  return out;
}

export function feed(engine: AlertEngine, events: readonly WindowEvent[]): SentimentAlert[] {
  return events.flatMap((e) => engine.process(e));
}
