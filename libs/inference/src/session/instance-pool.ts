import { availableParallelism } from 'node:os';
import type * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from './execution-providers';
import type { ModelSession } from './model-session';

/**
 * Model instances (Triton's instance groups): N sessions of one model version behind the
 * one batcher, which runs up to N batches at once; each batch takes a free instance.
 * On CPU each instance gets cores / N intra-op threads so N runs never oversubscribe the
 * cores; a GPU provider runs its kernels on the device, so ORT's own default (0) stays.
 */
export const DEFAULT_MODEL_INSTANCES = 1;
export const MAX_MODEL_INSTANCES = 16;

export function validateInstances(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_MODEL_INSTANCES) {
    throw new RangeError(`instances must be an integer from 1 to ${MAX_MODEL_INSTANCES}, got ${n}`);
  }
  return n;
}

/**
 * intraOpNumThreads per instance when none is configured: ORT's default (0 = one per core)
 * for one instance, cores / N (at least 1) for N. The provider is only known once the first
 * session exists, so the same value is used everywhere: on CUDA/TensorRT intra-op threads
 * only serve the ops that fall back to CPU, where cores / N is as right as on CPU.
 */
export function defaultIntraOpThreads(instances: number, cores = availableParallelism()): number {
  return instances === 1 ? 0 : Math.max(1, Math.floor(cores / instances));
}

/** A ModelSession over N instances: `run` goes to a free one (or waits for one), `release` frees all. */
export class InstancePool implements ModelSession {
  private readonly busy: boolean[];
  private readonly waiters: (() => void)[] = [];
  /** Runs per instance, in instance order (observability and tests). */
  readonly runsPerInstance: number[];

  constructor(private readonly sessions: readonly ModelSession[]) {
    if (sessions.length === 0) throw new RangeError('an instance pool needs at least one session');
    this.busy = sessions.map(() => false);
    this.runsPerInstance = sessions.map(() => 0);
  }

  get size(): number {
    return this.sessions.length;
  }

  private get first(): ModelSession {
    return this.sessions[0] as ModelSession;
  }

  get provider(): ExecutionProviderName {
    return this.first.provider;
  }

  get inputNames(): readonly string[] {
    return this.first.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.first.outputNames;
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    const i = await this.acquire();
    this.runsPerInstance[i] = (this.runsPerInstance[i] ?? 0) + 1;
    try {
      return await (this.sessions[i] as ModelSession).run(feeds);
    } finally {
      this.busy[i] = false;
      this.waiters.shift()?.();
    }
  }

  /** The lowest-numbered free instance; the batcher runs at most N batches, so waiting is the exception. */
  private async acquire(): Promise<number> {
    for (;;) {
      const i = this.busy.indexOf(false);
      if (i >= 0) {
        this.busy[i] = true;
        return i;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Releases every instance; each is released even when another's release fails. */
  async release(): Promise<void> {
    const results = await Promise.allSettled(this.sessions.map((s) => s.release()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
