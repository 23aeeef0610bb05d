// Version 1 snapshots (one watermark per key, one alert per window and rule): read and
// carried into version 2 (then 3, snapshot-v2.ts) so an upgrade keeps every key's baselines.
import { z } from 'zod';
import { engineFieldsShape, keyFieldsShape, ruleSchema, windowCountsShape } from './snapshot-parts';
import type { AlertEngineSnapshotV2 } from './snapshot-v2';

const windowV1 = z
  .object({ ...windowCountsShape, alerted: z.array(ruleSchema) })
  .refine((w) => w.negative <= w.total, { message: 'negative exceeds total', path: ['negative'] });

export const snapshotV1Schema = z.object({
  version: z.literal(1),
  ...engineFieldsShape,
  keys: z.array(z.object({ ...keyFieldsShape, windows: z.array(windowV1) })),
});

export type AlertEngineSnapshotV1 = z.output<typeof snapshotV1Schema>;

/**
 * v1 → v2. Version 1 had no sources: its partition clock becomes the clock of source ""
 * (records without a source), and the wait for unseen sources starts again at that clock,
 * since the upgraded score stage's items name partitions this state has never seen. A
 * window that alerted keeps its first rule. The watermark starts at −∞ and is set by the
 * first event (windows the old per-key watermarks closed were folded already).
 */
export function migrateV1Snapshot(v1: AlertEngineSnapshotV1): AlertEngineSnapshotV2 {
  return {
    version: 2,
    windowMs: v1.windowMs,
    hopMs: v1.hopMs,
    startMs: v1.clockMs,
    clockMs: v1.clockMs,
    watermarkMs: null,
    sources: v1.clockMs === null ? [] : [{ source: '', newestMs: v1.clockMs, confirmedMs: v1.clockMs }],
    lateDropped: v1.lateDropped,
    evictedKeys: v1.evictedKeys,
    alertsRaised: v1.alertsRaised,
    keys: v1.keys.map((k) => ({ ...k, windows: k.windows.map((w) => ({ ...w, alerted: w.alerted[0] ?? null })) })),
  };
}
