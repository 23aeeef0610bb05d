import { DeadlineExceededError, InvalidInputError, ModelUnavailableError, QueueFullError } from '../errors';
import { type BatcherOptions, type BatchStats, DEFAULT_BATCHER_OPTIONS, validateBatcherOptions } from './batcher-options';
import { selectBatch } from './select-batch';

export interface SubmitOptions {
  /** Absolute deadline, ms since epoch. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
}

interface Pending<I, O> {
  readonly item: I;
  readonly cost: number;
  readonly seq: number;
  readonly enqueuedAt: number;
  resolve(value: O): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
  done: boolean;
}

/**
 * A queue in front of a model: requests wait at most `maxQueueDelayMs` to be grouped
 * into a batch (bounded by size and padded tokens), each caller gets its own result,
 * the queue is bounded, and deadlines are enforced while waiting.
 */
export class DynamicBatcher<I, O> {
  private readonly options: BatcherOptions;
  private waiting: Pending<I, O>[] = [];
  private inFlight = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly costOf: (item: I) => number,
    options: Partial<BatcherOptions> = {},
    private readonly onBatch: (stats: BatchStats) => void = () => undefined,
  ) {
    this.options = validateBatcherOptions({ ...DEFAULT_BATCHER_OPTIONS, ...options });
  }

  get queueDepth(): number {
    return this.waiting.length;
  }

  get settings(): BatcherOptions {
    return this.options;
  }

  submit(item: I, opts: SubmitOptions = {}): Promise<O> {
    if (this.closed) return Promise.reject(new ModelUnavailableError('model is draining or closed; retry'));
    if (this.waiting.length >= this.options.maxQueueSize) {
      return Promise.reject(new QueueFullError(`inference queue is full (${this.options.maxQueueSize} waiting); retry later`));
    }
    const cost = this.costOf(item);
    if (cost > this.options.maxTokensPerBatch) {
      return Promise.reject(new InvalidInputError(`request of ${cost} tokens exceeds maxTokensPerBatch ${this.options.maxTokensPerBatch}`));
    }
    if (opts.deadline !== undefined && opts.deadline <= Date.now()) {
      return Promise.reject(new DeadlineExceededError('deadline passed before the request was queued'));
    }
    if (opts.signal?.aborted) return Promise.reject(new DeadlineExceededError('request was cancelled'));
    return new Promise<O>((resolve, reject) => {
      const p: Pending<I, O> = { item, cost, seq: this.seq++, enqueuedAt: Date.now(), resolve, reject, done: false };
      if (opts.deadline !== undefined) {
        p.timer = setTimeout(() => this.expire(p, new DeadlineExceededError('deadline exceeded while waiting for a batch')), opts.deadline - Date.now());
      }
      opts.signal?.addEventListener('abort', () => this.expire(p, new DeadlineExceededError('request was cancelled')), { once: true });
      this.waiting.push(p);
      this.schedule();
    });
  }

  /** Stops accepting work and resolves once every queued and running request finished. */
  async drain(): Promise<void> {
    this.closed = true;
    this.schedule();
    if (this.waiting.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  private expire(p: Pending<I, O>, err: Error): void {
    if (p.done) return;
    const i = this.waiting.indexOf(p);
    if (i < 0) return; // already running: the result will still be delivered
    this.waiting.splice(i, 1);
    this.settle(p, () => p.reject(err));
    this.notifyIdle();
  }

  private settle(p: Pending<I, O>, fn: () => void): void {
    if (p.done) return;
    p.done = true;
    if (p.timer) clearTimeout(p.timer);
    fn();
  }

  private schedule(): void {
    while (this.inFlight < this.options.maxConcurrentBatches && this.waiting.length > 0) {
      const oldest = this.waiting[0] as Pending<I, O>;
      const waited = Date.now() - oldest.enqueuedAt;
      const full = this.waiting.length >= this.options.maxBatchSize;
      if (!full && !this.closed && waited < this.options.maxQueueDelayMs) {
        if (!this.timer) {
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.schedule();
          }, this.options.maxQueueDelayMs - waited);
        }
        return;
      }
      this.launch();
    }
  }

  private launch(): void {
    const batch = selectBatch(this.waiting, this.options.maxBatchSize, this.options.maxTokensPerBatch);
    const chosen = new Set(batch);
    this.waiting = this.waiting.filter((p) => !chosen.has(p));
    this.inFlight++;
    const started = Date.now();
    const oldestWaitMs = started - Math.min(...batch.map((p) => p.enqueuedAt));
    const paddedTokens = batch.length * Math.max(...batch.map((p) => p.cost));
    this.runBatch(batch.map((p) => p.item))
      .then((results) => {
        if (results.length !== batch.length) throw new Error(`model returned ${results.length} results for ${batch.length} inputs`);
        batch.forEach((p, i) => this.settle(p, () => p.resolve(results[i] as O)));
      })
      .catch((err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        batch.forEach((p) => this.settle(p, () => p.reject(e)));
      })
      .finally(() => {
        this.inFlight--;
        this.onBatch({ size: batch.length, paddedTokens, queueDepth: this.waiting.length, oldestWaitMs, runMs: Date.now() - started });
        this.schedule();
        this.notifyIdle();
      });
  }

  private notifyIdle(): void {
    if (this.waiting.length === 0 && this.inFlight === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }
}
