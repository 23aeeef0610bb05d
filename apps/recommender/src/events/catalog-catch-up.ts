/**
 * The catalog feed reads catalog.items to the end before user.events is consumed, so a
 * profile update at start never meets an item the catalog is still about to receive (an
 * unknown item is counted as seen but moves no mean: the profile would miss that taste for
 * good). "The end" is the high-water marks taken before the feed starts; records published
 * later are applied as they come, like any upsert.
 */
import type { Kafka } from 'kafkajs';

/** Per partition: the first offset still in the log and the offset the next record will get. */
export type PartitionEnds = ReadonlyMap<number, { readonly low: string; readonly high: string }>;

export async function fetchPartitionEnds(kafka: Kafka, topic: string): Promise<PartitionEnds> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, { low: p.low, high: p.high }]));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Tracks the feed's records against the ends; `wait` resolves once every partition reached its last record. */
export class CatchUp {
  private readonly pending = new Map<number, bigint>();
  private wake: (() => void) | undefined;

  constructor(ends: PartitionEnds) {
    for (const [partition, { low, high }] of ends) {
      // An empty partition (high <= low) has nothing to read.
      if (BigInt(high) > BigInt(low)) this.pending.set(partition, BigInt(high) - 1n);
    }
  }

  get done(): boolean {
    return this.pending.size === 0;
  }

  /** Partitions not reached yet, with the last offset each still waits for (for logs). */
  remaining(): { partition: number; last: string }[] {
    return [...this.pending].map(([partition, last]) => ({ partition, last: last.toString() }));
  }

  /** A record of the feed was handled (applied, refused or skipped: each moves the feed on). */
  observe(partition: number, offset: string): void {
    const last = this.pending.get(partition);
    if (last === undefined || BigInt(offset) < last) return;
    this.pending.delete(partition);
    if (this.done) this.wake?.();
  }

  /** True once caught up; false after `timeoutMs` or when `signal` aborts. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.done) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (reached: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        this.wake = undefined;
        resolve(reached);
      };
      const abort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
      this.wake = () => finish(true);
    });
  }
}
