import type { HaltReason } from './consumer-types';

/**
 * Whether one partition batch has stopped dispatching records, why, and the first error
 * that made it stop (rethrown to KafkaJS at the end of the batch). Once halted it stays
 * halted; its signal wakes the batch's records sleeping in backoff.
 */
export class BatchHalt {
  private reason: HaltReason | undefined;
  private error: unknown;
  private readonly controller = new AbortController();

  /** `check` says whether something outside the batch (runner, KafkaJS) wants it to stop. */
  constructor(private readonly check: () => HaltReason | undefined) {}

  halt(reason: HaltReason, err?: unknown): void {
    this.recordFailure(err);
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort();
  }

  /** Keeps the first error only; undefined is no error. */
  recordFailure(err: unknown): void {
    if (err !== undefined && this.error === undefined) this.error = err;
  }

  /** Why to stop now, if at all; asks `check` while not yet halted and halts on its answer. */
  current(): HaltReason | undefined {
    if (this.reason) return this.reason;
    const reason = this.check();
    if (reason) this.halt(reason);
    return reason;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first error recorded, undefined when none. */
  get failure(): unknown {
    return this.error;
  }
}
