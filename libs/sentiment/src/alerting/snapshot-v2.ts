// Version 2 snapshots (one pair of baselines per key, shared by all window phases): read
// and carried into version 3 so an upgrade keeps every key's baselines.
import { z } from 'zod';
import type { AlertEngineSnapshot } from './snapshot';
import { clockFieldsShape, countSchema, engineFieldsShape, keyFieldsShape, windowSnapshotSchema } from './snapshot-parts';

export const snapshotV2Schema = z.object({
  version: z.literal(2),
  ...engineFieldsShape,
  ...clockFieldsShape,
  lateDropped: countSchema,
  keys: z.array(z.object({ ...keyFieldsShape, windows: z.array(windowSnapshotSchema) })),
});

export type AlertEngineSnapshotV2 = z.output<typeof snapshotV2Schema>;

/**
 * v2 → v3. Every window phase starts from the key's one v2 baseline pair: exact for
 * tumbling windows (one phase); for sliding ones each phase then learns from its own
 * windows only. A v2 hopMs that does not divide windowMs gets no phases (checkConsistency
 * refuses the result).
 */
export function migrateV2Snapshot(v2: AlertEngineSnapshotV2): AlertEngineSnapshot {
  const phases = Number.isInteger(v2.windowMs / v2.hopMs) ? v2.windowMs / v2.hopMs : 0;
  return {
    ...v2,
    version: 3,
    keys: v2.keys.map(({ share, volume, ...k }) => ({
      ...k,
      baselines: Array.from({ length: phases }, () => ({ share: { ...share }, volume: { ...volume } })),
    })),
  };
}
