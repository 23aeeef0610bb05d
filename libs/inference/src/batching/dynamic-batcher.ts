import { DeadlineExceededError, InvalidInputError, ModelUnavailableError, QueueFullError } from '../errors';
import { type BatcherOptions, type BatchStats, DEFAULT_BATCHER_OPTIONS, validateBatcherOptions } from './batcher-options';
import { selectBatch } from './select-batch';

export interface SubmitOptions {
  /** Absolute deadline, ms since epoch. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
}

export interface DrainOptions {
  /** How long to wait for queued and running work; `Infinity` waits for ever. */
  readonly timeoutMs?: number;
}

/** A run that hangs must not block a model swap for ever (DrainOptions.timeoutMs). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

interface Pending<I, O> {
  readonly item: I;
  readonly cost: number;
  readonly seq: number;
  readonly enqueuedAt: number;
  resolve(value: O): void;
  reject(err: Error): void;
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
    private readonly log: (message: string) => void = () => undefined,
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
    return this.submitMany([item], opts).then((out) => out[0] as O);
  }

  /**
   * Queues every item of one request or none: a request that does not fit the queue is
   * refused whole, and when one item fails the request's other still-queued items are
   * withdrawn, so no work runs for a caller that already got an error.
   */
  submitMany(items: readonly I[], opts: SubmitOptions = {}): Promise<O[]> {
    const refusal = this.admissionError(items.length, opts);
    if (refusal) return Promise.reject(refusal);
    const costs = items.map((item) => this.costOf(item));
    const tooBig = costs.find((c) => c > this.options.maxTokensPerBatch);
    if (tooBig !== undefined) {
      return Promise.reject(new InvalidInputError(`request of ${tooBig} tokens exceeds maxTokensPerBatch ${this.options.maxTokensPerBatch}`));
    }
    const pendings: Pending<I, O>[] = [];
    let failed = false;
    // Withdraws the siblings synchronously, inside the rejection: a `Promise.all(...).catch`
    // would run a few microtasks later, after the failed batch's `finally` already launched them.
    const withdrawRest = (err: Error) => {
      if (failed) return;
      failed = true;
      pendings.forEach((p) => this.expire(p, err));
    };
    const results = items.map((item, i) => new Promise<O>((resolve, reject) => {
      pendings.push(this.enqueue(item, costs[i] as number, resolve, (err) => {
        reject(err);
        withdrawRest(err);
      }));
    }));
    // One deadline timer and one abort listener per request, not per item: a 64-text request
    // would otherwise trip Node's listener-leak warning on the caller's signal.
    const cancel = (err: Error) => pendings.forEach((p) => this.expire(p, err));
    const { signal, deadline } = opts;
    const timer = deadline === undefined ? undefined
      : setTimeout(() => cancel(new DeadlineExceededError('deadline exceeded while waiting for a batch')), deadline - Date.now());
    const onAbort = () => cancel(new DeadlineExceededError('request was cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const all = Promise.all(results);
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    all.then(cleanup, cleanup);
    this.schedule();
    return all;
  }

  /**
   * Stops accepting work and resolves once every queued and running request finished;
   * rejects with DEADLINE_EXCEEDED after `timeoutMs` (default DEFAULT_DRAIN_TIMEOUT_MS),
   * first rejecting the requests still queued with UNAVAILABLE (retriable).
   */
  async drain(opts: DrainOptions = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    this.closed = true;
    this.schedule();
    if (this.isIdle()) return;
    let waiter: () => void = () => undefined;
    const idle = new Promise<void>((r) => { waiter = r; });
    this.idleWaiters.push(waiter);
    if (!Number.isFinite(timeoutMs)) return idle;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== waiter);
        const queued = this.rejectWaiting(new ModelUnavailableError('model was drained while this request waited behind a hung run; retry'));
        reject(new DeadlineExceededError(
          `drain timed out after ${timeoutMs} ms with ${this.inFlight} batch(es) running and ${queued} queued request(s) rejected as UNAVAILABLE`));
      }, timeoutMs);
    });
    try {
      await Promise.race([idle, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Nothing would ever run what still waits behind a hung run (the batcher is closed and
   * its slots are taken), so it is refused as UNAVAILABLE, which callers such as
   * ModelRepository.infer retry on the next version. Running requests keep their result.
   */
  private rejectWaiting(err: Error): number {
    const queued = this.waiting;
    this.waiting = [];
    queued.forEach((p) => this.settle(p, () => p.reject(err)));
    return queued.length;
  }

  /**
   * Why `count` items would be refused now (draining, queue full, deadline passed, cancelled),
   * or undefined: for a caller to refuse before costly preparation (tokenising a request), so
   * shedding load costs next to nothing. submitMany checks again: the queue may fill meanwhile.
   */
  refusal(count: number, opts: SubmitOptions = {}): Error | undefined {
    return this.admissionError(count, opts);
  }

  private admissionError(count: number, opts: SubmitOptions): Error | undefined {
    if (this.closed) return new ModelUnavailableError('model is draining or closed; retry');
    if (count > this.options.maxQueueSize) {
      return new InvalidInputError(`request of ${count} items can never fit maxQueueSize ${this.options.maxQueueSize}`);
    }
    if (this.waiting.length + count > this.options.maxQueueSize) {
      return new QueueFullError(`inference queue is full (${this.waiting.length} of ${this.options.maxQueueSize} waiting, ${count} more asked); retry later`);
    }
    if (opts.deadline !== undefined && opts.deadline <= Date.now()) {
      return new DeadlineExceededError('deadline passed before the request was queued');
    }
    if (opts.signal?.aborted) return new DeadlineExceededError('request was cancelled');
    return undefined;
  }

  private enqueue(item: I, cost: number, resolve: (v: O) => void, reject: (e: Error) => void): Pending<I, O> {
    const p: Pending<I, O> = { item, cost, seq: this.seq++, enqueuedAt: Date.now(), resolve, reject, done: false };
    this.waiting.push(p);
    return p;
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
    // `new Promise` also turns a runner that throws synchronously into a rejection.
    new Promise<O[]>((resolve) => resolve(this.runBatch(batch.map((p) => p.item))))
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
        this.reportBatch({ size: batch.length, paddedTokens, queueDepth: this.waiting.length, oldestWaitMs, runMs: Date.now() - started });
        this.schedule();
        this.notifyIdle();
      });
  }

  /** A failing metrics callback must not stop the queue or surface as an unhandled rejection. */
  private reportBatch(stats: BatchStats): void {
    try {
      this.onBatch(stats);
    } catch (err) {
      this.log(`batcher: onBatch callback failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.inFlight === 0;
  }

  private notifyIdle(): void {
    if (this.isIdle() && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }
}
