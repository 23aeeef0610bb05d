/**
 * Tracks which records of one partition batch are done, in any order, and tells the
 * caller how far the contiguous done prefix reaches: only that prefix may be committed
 * (committing offset N means every record before N is done).
 */
export class OffsetTracker {
  private readonly done: boolean[];
  private next = 0;

  constructor(private readonly offsets: readonly string[]) {
    this.done = offsets.map(() => false);
  }

  /** Marks record `index` done; returns the offset to resolve if the prefix grew, else undefined. */
  complete(index: number): string | undefined {
    if (index < 0 || index >= this.done.length) throw new RangeError(`index: ${index} outside the batch`);
    this.done[index] = true;
    const before = this.next;
    while (this.next < this.done.length && this.done[this.next]) this.next++;
    return this.next > before ? this.offsets[this.next - 1] : undefined;
  }

  /** Number of records in the done prefix. */
  get completedPrefix(): number {
    return this.next;
  }

  get size(): number {
    return this.offsets.length;
  }
}
