// zod pieces shared by the snapshot versions (snapshot.ts reads v3; snapshot-v2.ts and
// snapshot-v1.ts migrate the older ones).
import { z } from 'zod';
import { MAX_HEADLINE_TITLE } from './headlines';
import { MAX_TOP_HEADLINES } from './options';
import { MAX_SOURCES } from './source-clocks';
import { MAX_SOURCE_CHARS } from './window-event';
import { parseWindowKey } from './window-key';

/** Epoch ms within Date's range. */
export const timeSchema = z.number().int().min(-8.64e15).max(8.64e15);
export const countSchema = z.number().int().min(0);
export const ewmaSchema = z.object({ mean: z.number().finite(), variance: z.number().finite().min(0), count: countSchema });
export const ruleSchema = z.enum(['negative-share', 'negative-volume']);
export const headlineSchema = z.object({
  id: z.string().min(1),
  title: z.string().max(MAX_HEADLINE_TITLE),
  negativeProb: z.number().min(0).max(1),
});

export const windowCountsShape = {
  start: timeSchema,
  total: z.number().int().min(1),
  negative: countSchema,
  headlines: z.array(headlineSchema).max(MAX_TOP_HEADLINES),
};

export const windowKeyStringSchema = z.string().refine((k) => {
  try {
    parseWindowKey(k);
    return true;
  } catch {
    return false;
  }
}, 'expected `entity:<name>` or `topic:<name>`');

/** Key fields every version has; baselines and `windows` differ. */
export const keyIdentityShape = {
  key: windowKeyStringSchema,
  maxEventMs: timeSchema,
  touchedAtMs: timeSchema,
  nextFoldStart: timeSchema,
  cooldownUntilMs: z.number().int().nullable(),
};

/** Key fields of versions 1 and 2: one pair of baselines per key. */
export const keyFieldsShape = { ...keyIdentityShape, share: ewmaSchema, volume: ewmaSchema };

/** A window of version 2 on: the rule it alerted with, or null. */
export const windowSnapshotSchema = z
  .object({ ...windowCountsShape, alerted: ruleSchema.nullable() })
  .refine((w) => w.negative <= w.total, { message: 'negative exceeds total', path: ['negative'] });

/** Per-source clocks (version 2 on). */
export const clockFieldsShape = {
  startMs: timeSchema.nullable(),
  watermarkMs: timeSchema.nullable(),
  sources: z
    .array(
      z
        .object({ source: z.string().max(MAX_SOURCE_CHARS), newestMs: timeSchema, confirmedMs: timeSchema.nullable() })
        .refine((c) => c.confirmedMs === null || c.confirmedMs <= c.newestMs, { message: 'confirmedMs exceeds newestMs', path: ['confirmedMs'] }),
    )
    .max(MAX_SOURCES),
};

export const engineFieldsShape = {
  windowMs: z.number().int().min(1),
  hopMs: z.number().int().min(1),
  clockMs: timeSchema.nullable(),
  lateDropped: countSchema,
  evictedKeys: countSchema,
  alertsRaised: countSchema,
};

/** `snapshot.<path>: <message>` of a zod failure. */
export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `snapshot${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`;
}
