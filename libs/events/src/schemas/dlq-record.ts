import { z } from 'zod';
import { timestamp } from './common';

/** Bytes carried inside JSON: as text when they are valid UTF-8, base64 otherwise. */
export const encodedBytesSchema = z.object({
  encoding: z.enum(['utf8', 'base64']),
  data: z.string(),
});

/** Value of a record in `dlq.<groupId>`: the original record plus why it failed. */
export const dlqRecordSchema = z.object({
  groupId: z.string().min(1),
  originalTopic: z.string().min(1),
  originalPartition: z.number().int().nonnegative(),
  originalOffset: z.string().regex(/^\d+$/),
  originalTimestamp: z.string(),
  /** The original key; only its first bytes when `originalKeyTruncated`. */
  originalKey: encodedBytesSchema.nullable(),
  /** Set (true) only when the key was cut to keep the dead letter under the size limit. */
  originalKeyTruncated: z.boolean().optional(),
  /** Size of the original key in bytes; set only together with `originalKeyTruncated`. */
  originalKeyBytes: z.number().int().nonnegative().optional(),
  /** Null for a null (tombstone) value, or when the value was too large to embed. */
  originalValue: encodedBytesSchema.nullable(),
  /** Size of the original value in bytes (null value: 0). */
  originalValueBytes: z.number().int().nonnegative(),
  /** True when the value was left out to keep the dead letter under the size limit. */
  originalValueOmitted: z.boolean(),
  error: z.object({ code: z.string().min(1), message: z.string(), name: z.string() }),
  /** Handler attempts made before giving up (1 for records that never reached the handler). */
  attempts: z.number().int().positive(),
  failedAt: timestamp,
});

export type EncodedBytes = z.output<typeof encodedBytesSchema>;
export type DlqRecord = z.output<typeof dlqRecordSchema>;
