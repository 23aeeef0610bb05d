/** Counting semaphore: bounds how many handler calls run at once across partitions. */
export class Semaphore {
  private readonly waiters: Array<() => void> = [];

  constructor(private available: number) {
    if (!Number.isInteger(available) || available < 1) throw new RangeError(`permits: expected an integer >= 1, got ${available}`);
  }

  async acquire(): Promise<() => void> {
    if (this.available > 0) {
      this.available--;
    } else {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.available++;
    };
  }
}
