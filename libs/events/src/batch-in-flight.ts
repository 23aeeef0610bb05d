/**
 * A batch's share of the runner's in-flight count: all its records on arrival, one less
 * as each settles, and the rest at once when the batch closes (stops waiting for them,
 * e.g. on a stop timeout), so abandoned records never hold back fetching.
 */
export class BatchInFlight {
  private settled = 0;
  private isClosed = false;

  constructor(
    private readonly track: (delta: number) => void,
    private readonly size: number,
  ) {
    track(size);
  }

  settle(): void {
    this.settled++;
    if (!this.isClosed) this.track(-1);
  }

  close(): void {
    this.isClosed = true;
    this.track(-(this.size - this.settled));
  }

  get closed(): boolean {
    return this.isClosed;
  }
}
