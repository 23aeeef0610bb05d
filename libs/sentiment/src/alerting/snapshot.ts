import { z } from 'zod';
import type { AlertRule, Headline } from '../types';
import type { Ewma } from './ewma';
import { MAX_HEADLINE_TITLE } from './headlines';
import { MAX_TOP_HEADLINES } from './options';
import { parseWindowKey } from './window-key';

/** Bump on any change of the snapshot's shape or meaning; restore rejects other versions. */
export const ALERT_ENGINE_SNAPSHOT_VERSION = 1;

export interface WindowSnapshot {
  readonly start: number;
  readonly total: number;
  readonly negative: number;
  readonly headlines: readonly Headline[];
  readonly alerted: readonly AlertRule[];
}

export interface KeySnapshot {
  readonly key: string;
  readonly maxEventMs: number;
  readonly touchedAtMs: number;
  readonly nextFoldStart: number;
  readonly cooldownUntilMs: number | null;
  readonly share: Ewma;
  readonly volume: Ewma;
  readonly windows: readonly WindowSnapshot[];
}

/**
 * An AlertEngine's whole state, JSON-serialisable (`JSON.stringify` / `JSON.parse` give it
 * back bit for bit: numbers are finite doubles). Written to the compacted changelog
 * `sentiment.window-state` after every transaction of its input partition.
 */
export interface AlertEngineSnapshot {
  readonly version: typeof ALERT_ENGINE_SNAPSHOT_VERSION;
  /** The window shape the state was built with; restoring under another one is refused. */
  readonly windowMs: number;
  readonly hopMs: number;
  /** Newest event time the partition has seen; null before the first event. */
  readonly clockMs: number | null;
  readonly lateDropped: number;
  readonly evictedKeys: number;
  readonly alertsRaised: number;
  /** Least recently updated first (the eviction order). */
  readonly keys: readonly KeySnapshot[];
}

const time = z.number().int().min(-8.64e15).max(8.64e15);
const count = z.number().int().min(0);
const ewma = z.object({ mean: z.number().finite(), variance: z.number().finite().min(0), count });
const headline = z.object({
  id: z.string().min(1),
  title: z.string().max(MAX_HEADLINE_TITLE),
  negativeProb: z.number().min(0).max(1),
});
const windowSnapshot = z
  .object({
    start: time,
    total: z.number().int().min(1),
    negative: count,
    headlines: z.array(headline).max(MAX_TOP_HEADLINES),
    alerted: z.array(z.enum(['negative-share', 'negative-volume'])),
  })
  .refine((w) => w.negative <= w.total, { message: 'negative exceeds total', path: ['negative'] });
const keySnapshot = z.object({
  key: z.string().refine((k) => {
    try {
      parseWindowKey(k);
      return true;
    } catch {
      return false;
    }
  }, 'expected `entity:<name>` or `topic:<name>`'),
  maxEventMs: time,
  touchedAtMs: time,
  nextFoldStart: time,
  cooldownUntilMs: z.number().int().nullable(),
  share: ewma,
  volume: ewma,
  windows: z.array(windowSnapshot),
});
const snapshotSchema = z.object({
  version: z.literal(ALERT_ENGINE_SNAPSHOT_VERSION),
  windowMs: z.number().int().min(1),
  hopMs: z.number().int().min(1),
  clockMs: time.nullable(),
  lateDropped: count,
  evictedKeys: count,
  alertsRaised: count,
  keys: z.array(keySnapshot),
});

/**
 * Checks an untrusted value (parsed from the changelog) is a snapshot this build can
 * restore. Unknown version → RangeError `snapshot.version: ...`; any other defect →
 * TypeError naming the path (e.g. `snapshot.keys.3.windows.0.negative: ...`).
 */
export function validateAlertEngineSnapshot(value: unknown): AlertEngineSnapshot {
  if (typeof value !== 'object' || value === null) throw new TypeError('snapshot: expected an object');
  const version = (value as { version?: unknown }).version;
  if (version !== ALERT_ENGINE_SNAPSHOT_VERSION) {
    throw new RangeError(
      `snapshot.version: unsupported AlertEngine snapshot version ${JSON.stringify(version)} (this build reads ${ALERT_ENGINE_SNAPSHOT_VERSION})`,
    );
  }
  const r = snapshotSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TypeError(`snapshot${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
  }
  const s = r.data as AlertEngineSnapshot;
  const seen = new Set<string>();
  s.keys.forEach((k, i) => {
    if (seen.has(k.key)) throw new TypeError(`snapshot.keys.${i}.key: duplicate key ${JSON.stringify(k.key)}`);
    seen.add(k.key);
    let prev = k.nextFoldStart - s.hopMs;
    k.windows.forEach((w, j) => {
      if (w.start <= prev || (w.start - k.nextFoldStart) % s.hopMs !== 0) {
        throw new TypeError(`snapshot.keys.${i}.windows.${j}.start: windows must be hop-aligned, ascending and not before nextFoldStart`);
      }
      prev = w.start;
    });
  });
  return s;
}

/** JSON text (from the changelog) → a validated snapshot; throws as validateAlertEngineSnapshot. */
export function parseAlertEngineSnapshot(text: string): AlertEngineSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`snapshot: not JSON (${(e as Error).message})`);
  }
  return validateAlertEngineSnapshot(value);
}
