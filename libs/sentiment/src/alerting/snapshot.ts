import { z } from 'zod';
import type { AlertRule, Headline } from '../types';
import type { Ewma } from './ewma';
import { AlertSnapshotInvalidError, AlertSnapshotVersionError } from './snapshot-errors';
import {
  clockFieldsShape,
  countSchema,
  engineFieldsShape,
  ewmaSchema,
  issueText,
  keyIdentityShape,
  windowSnapshotSchema,
} from './snapshot-parts';
import { migrateV1Snapshot, snapshotV1Schema } from './snapshot-v1';
import { migrateV2Snapshot, snapshotV2Schema } from './snapshot-v2';
import type { SourceClocksState } from './source-clocks';

/**
 * Bump on any change of the snapshot's shape or meaning. 2: per-source clocks (sources,
 * startMs, watermarkMs) and one alert per window (`alerted` is a rule or null). 3: one pair
 * of baselines per window phase (`baselines`, windowMs / hopMs of them). Versions 1 and 2
 * are migrated on restore (snapshot-v1.ts, snapshot-v2.ts); other versions are refused.
 */
export const ALERT_ENGINE_SNAPSHOT_VERSION = 3;

export interface WindowSnapshot {
  readonly start: number;
  readonly total: number;
  readonly negative: number;
  readonly headlines: readonly Headline[];
  /** The rule of the alert this window raised, or null. */
  readonly alerted: AlertRule | null;
}

/** The baselines of one window phase (key-state.ts phaseOf). */
export interface BaselinesSnapshot {
  readonly share: Ewma;
  readonly volume: Ewma;
}

export interface KeySnapshot {
  readonly key: string;
  readonly maxEventMs: number;
  readonly touchedAtMs: number;
  readonly nextFoldStart: number;
  readonly cooldownUntilMs: number | null;
  /** Phase 0 first; windowMs / hopMs of them (one for tumbling windows). */
  readonly baselines: readonly BaselinesSnapshot[];
  readonly windows: readonly WindowSnapshot[];
}

/**
 * An AlertEngine's whole state, JSON-serialisable (`JSON.stringify` / `JSON.parse` give it
 * back bit for bit: numbers are finite doubles). Written to the compacted changelog
 * `sentiment.window-state` after every transaction of its input partition.
 */
export interface AlertEngineSnapshot extends SourceClocksState {
  readonly version: typeof ALERT_ENGINE_SNAPSHOT_VERSION;
  /** The window shape the state was built with; restoring under another one is refused. */
  readonly windowMs: number;
  readonly hopMs: number;
  readonly lateDropped: number;
  readonly evictedKeys: number;
  readonly alertsRaised: number;
  /** Least recently updated first (the eviction order). */
  readonly keys: readonly KeySnapshot[];
}

const keySnapshot = z.object({
  ...keyIdentityShape,
  baselines: z.array(z.object({ share: ewmaSchema, volume: ewmaSchema })),
  windows: z.array(windowSnapshotSchema),
});
const snapshotSchema = z.object({
  version: z.literal(ALERT_ENGINE_SNAPSHOT_VERSION),
  ...engineFieldsShape,
  ...clockFieldsShape,
  lateDropped: countSchema,
  keys: z.array(keySnapshot),
});

/**
 * Checks an untrusted value (parsed from the changelog) is a snapshot this build can
 * restore, migrating a version 1 or 2 one. Another version → AlertSnapshotVersionError (a
 * RangeError) `snapshot.version: ...`; any other defect → AlertSnapshotInvalidError (a
 * TypeError) naming the path (e.g. `snapshot.keys.3.windows.0.negative: ...`).
 */
export function validateAlertEngineSnapshot(value: unknown): AlertEngineSnapshot {
  if (typeof value !== 'object' || value === null) throw new AlertSnapshotInvalidError('snapshot: expected an object');
  const version = (value as { version?: unknown }).version;
  let s: AlertEngineSnapshot;
  if (version === ALERT_ENGINE_SNAPSHOT_VERSION) {
    const r = snapshotSchema.safeParse(value);
    if (!r.success) throw new AlertSnapshotInvalidError(issueText(r.error));
    s = r.data as AlertEngineSnapshot;
  } else if (version === 2) {
    const r = snapshotV2Schema.safeParse(value);
    if (!r.success) throw new AlertSnapshotInvalidError(issueText(r.error));
    s = migrateV2Snapshot(r.data);
  } else if (version === 1) {
    const r = snapshotV1Schema.safeParse(value);
    if (!r.success) throw new AlertSnapshotInvalidError(issueText(r.error));
    s = migrateV2Snapshot(migrateV1Snapshot(r.data));
  } else {
    throw new AlertSnapshotVersionError(
      `snapshot.version: unsupported AlertEngine snapshot version ${JSON.stringify(version)} (this build reads ${ALERT_ENGINE_SNAPSHOT_VERSION}, and 1 and 2 by migration)`,
    );
  }
  checkConsistency(s);
  return s;
}

function checkConsistency(s: AlertEngineSnapshot): void {
  // The first event sets both clocks; sources exist only after one.
  if ((s.startMs === null) !== (s.clockMs === null) || (s.clockMs === null && s.sources.length > 0)) {
    throw new AlertSnapshotInvalidError('snapshot.clockMs: startMs and clockMs are both set once the engine saw an event (and sources only then)');
  }
  const sources = new Set<string>();
  s.sources.forEach((c, i) => {
    if (sources.has(c.source)) throw new AlertSnapshotInvalidError(`snapshot.sources.${i}.source: duplicate source ${JSON.stringify(c.source)}`);
    sources.add(c.source);
  });
  if (s.windowMs % s.hopMs !== 0) throw new AlertSnapshotInvalidError(`snapshot.hopMs: ${s.hopMs} does not divide windowMs ${s.windowMs}`);
  const phases = s.windowMs / s.hopMs;
  const seen = new Set<string>();
  s.keys.forEach((k, i) => {
    if (seen.has(k.key)) throw new AlertSnapshotInvalidError(`snapshot.keys.${i}.key: duplicate key ${JSON.stringify(k.key)}`);
    seen.add(k.key);
    if (k.baselines.length !== phases) {
      throw new AlertSnapshotInvalidError(`snapshot.keys.${i}.baselines: expected one per window phase (windowMs / hopMs = ${phases}), got ${k.baselines.length}`);
    }
    // Window starts are multiples of hopMs; phaseOf indexes baselines by them, so a
    // misaligned one would fail on the first fold instead of here.
    if (k.nextFoldStart % s.hopMs !== 0) {
      throw new AlertSnapshotInvalidError(`snapshot.keys.${i}.nextFoldStart: ${k.nextFoldStart} is not a multiple of hopMs ${s.hopMs}`);
    }
    let prev = k.nextFoldStart - s.hopMs;
    k.windows.forEach((w, j) => {
      if (w.start <= prev || (w.start - k.nextFoldStart) % s.hopMs !== 0) {
        throw new AlertSnapshotInvalidError(`snapshot.keys.${i}.windows.${j}.start: windows must be hop-aligned, ascending and not before nextFoldStart`);
      }
      prev = w.start;
    });
  });
}

/** JSON text (from the changelog) → a validated snapshot; throws as validateAlertEngineSnapshot. */
export function parseAlertEngineSnapshot(text: string): AlertEngineSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AlertSnapshotInvalidError(`snapshot: not JSON (${(e as Error).message})`);
  }
  return validateAlertEngineSnapshot(value);
}
