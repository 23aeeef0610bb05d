/**
 * Bounds the Rank and Recommend calls in flight per process. Past the limit a call fails at once with the
 * platform's OverloadedError (RESOURCE_EXHAUSTED: HTTP 429 with Retry-After, gRPC code 8)
 * instead of queueing without bound.
 */
import { OverloadedError } from '@tuneline/platform';

export class Admission {
  private inFlight = 0;

  constructor(readonly maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
  }

  get active(): number {
    return this.inFlight;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.maxInFlight) {
      throw new OverloadedError(`too many ranking calls in flight (limit ${this.maxInFlight}); retry shortly`);
    }
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }
}
