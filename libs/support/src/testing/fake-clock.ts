import type { Clock } from '../clock';

/** A clock tests move by hand. */
export class FakeClock {
  constructor(public nowMs = Date.UTC(2025, 2, 14, 12, 0, 0)) {}

  readonly clock: Clock = () => this.nowMs;

  advance(ms: number): void {
    this.nowMs += ms;
  }
}
