/** Test helpers for @tuneline/sentiment and its callers (not for production code). */
import { windowKeyOf } from './alerting/window-key';
import type { WindowEvent } from './types';

/** A WindowEvent with plausible defaults; `kind`/`name` set `key` unless it is given. */
export function windowEvent(overrides: Partial<WindowEvent> = {}): WindowEvent {
  const kind = overrides.kind ?? 'entity';
  const name = overrides.name ?? 'Acme';
  return {
    key: overrides.key ?? windowKeyOf(kind, name),
    kind,
    name,
    itemId: 'item-1',
    eventTimeMs: Date.UTC(2025, 0, 6, 9, 0, 0),
    sentiment: 'neutral',
    negativeProb: 0.1,
    title: 'Acme reports results',
    modelVersion: 'financial-sentiment@1',
    source: '0',
    ...overrides,
  };
}
