import { computeBackoffMs, resolveRetryPolicy, sleep, type RetryPolicy } from './backoff';

/** Anything started once and stopped once: a consumer runner, a set of them, a model follower. */
export interface Startable {
  start(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
}

export interface KeepStartingOptions<T extends Startable> {
  /** A fresh instance per attempt: a runner that failed to start cannot be started again. */
  readonly create: () => T;
  /** Ends the attempts (shutdown): the instance being tried is stopped at once, and the call resolves undefined. */
  readonly signal: AbortSignal;
  /** Between attempts; default 1 s doubling to 30 s, ±20%, no attempt limit. */
  readonly retry?: Partial<RetryPolicy>;
  /** Budget for stopping an instance whose start failed. */
  readonly stopTimeoutMs?: number;
  readonly onAttemptFailed?: (err: unknown, attempt: number, retryInMs: number) => void;
  readonly random?: () => number;
}

const DEFAULT_START_RETRY: Partial<RetryPolicy> = { maxAttempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/**
 * Starts a fresh instance until one starts, or until `signal` aborts. For what a service can
 * serve without but must not silently lose (its Kafka consumers when the broker comes up after
 * it, e.g. a cluster restart): one failed start used to leave it consuming nothing until the
 * process restarted, while it stayed ready. Each failed instance is stopped before the next.
 */
export async function keepStarting<T extends Startable>(o: KeepStartingOptions<T>): Promise<T | undefined> {
  const policy = resolveRetryPolicy({ ...DEFAULT_START_RETRY, ...o.retry });
  for (let attempt = 1; attempt <= policy.maxAttempts && !o.signal.aborted; attempt++) {
    const instance = o.create();
    const stopTimeoutMs = o.stopTimeoutMs ?? 5_000;
    // A start can take minutes (a broker not up yet, a catch-up): shutdown must not wait for it.
    let stopping: Promise<void> | undefined;
    const stopNow = () => {
      stopping ??= instance.stop(stopTimeoutMs).catch(() => undefined);
      return stopping;
    };
    o.signal.addEventListener('abort', stopNow, { once: true });
    try {
      await instance.start();
      if (!o.signal.aborted) return instance;
      await stopNow();
      return undefined;
    } catch (err) {
      await stopNow();
      if (o.signal.aborted) return undefined;
      if (attempt >= policy.maxAttempts) throw err;
      const delayMs = computeBackoffMs(attempt, policy, o.random);
      o.onAttemptFailed?.(err, attempt, delayMs);
      if (!(await sleep(delayMs, o.signal))) return undefined;
    } finally {
      o.signal.removeEventListener('abort', stopNow);
    }
  }
  return undefined;
}

/** keepStarting behind start()/stop(), remembering the instance that started. */
export interface RetriedStart<T extends Startable> {
  /** Starts trying (once; later calls return the same promise); resolves with the instance that started, or undefined when stopped first. */
  start(): Promise<T | undefined>;
  /** Ends the attempts (the one in flight stops itself), waits for that (within `timeoutMs` when given), then stops the started instance. */
  stop(timeoutMs?: number): Promise<void>;
  /** The instance that started, once one has. */
  readonly current: T | undefined;
}

export function retriedStart<T extends Startable>(o: Omit<KeepStartingOptions<T>, 'signal'>): RetriedStart<T> {
  const stopping = new AbortController();
  let trying: Promise<T | undefined> | undefined;
  let current: T | undefined;
  return {
    start() {
      trying ??= keepStarting({ ...o, signal: stopping.signal }).then((started) => (current = started));
      return trying;
    },
    async stop(timeoutMs) {
      stopping.abort();
      const settled = trying?.catch(() => undefined);
      if (timeoutMs === undefined) await settled;
      else {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      }
      await current?.stop(timeoutMs ?? o.stopTimeoutMs ?? 5_000);
    },
    get current() {
      return current;
    },
  };
}
