import type { HealthRegistry } from '../health/health-registry';
import type { Logger } from '../logging/create-logger';

export type ShutdownHook = () => Promise<void> | void;

/** Where signals come from; `process` in services, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface ShutdownOptions {
  /** Total time hooks get before the process is forced out with exit(1). */
  graceMs: number;
  logger: Logger;
  /** Marked shutting-down first, so readiness and gRPC health turn NOT_SERVING before anything stops. */
  health?: HealthRegistry;
  /** Pause after marking not-ready, so load balancers stop routing to us before we stop accepting. Default 0. */
  drainDelayMs?: number;
  signals?: SignalSource;
  signalNames?: readonly NodeJS.Signals[];
  /** Default process.exit. */
  exit?: (code: number) => void;
  /** Exit once hooks finish (code 0, or 1 if any failed). Default true. */
  exitWhenDone?: boolean;
}

export interface Shutdown {
  /** Adds a hook; hooks run one at a time in reverse registration order (last started, first stopped). */
  register(name: string, hook: ShutdownHook): void;
  /** Starts shutdown (idempotent); resolves with the exit code. */
  shutdown(reason?: string): Promise<number>;
  readonly isShuttingDown: boolean;
  /** Removes the signal listeners (tests, or handing over to another handler). */
  dispose(): void;
}

export const DEFAULT_SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Graceful shutdown: not-ready first, then hooks in reverse order (stop gRPC
 * and HTTP accepting, drain consumers, release the model), with a hard exit if
 * they exceed the grace period. A second signal exits at once.
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const hooks: Array<{ name: string; hook: ShutdownHook }> = [];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? process;
  const signalNames = options.signalNames ?? DEFAULT_SHUTDOWN_SIGNALS;
  const log = options.logger.child({ component: 'shutdown' });
  let running: Promise<number> | undefined;

  async function runHooks(reason: string): Promise<number> {
    log.info({ reason, graceMs: options.graceMs, hooks: hooks.length }, 'shutting down');
    options.health?.markShuttingDown();
    const force = setTimeout(() => {
      log.error({ graceMs: options.graceMs }, 'shutdown grace period exceeded; forcing exit');
      exit(1);
    }, options.graceMs);
    force.unref();
    if (options.drainDelayMs) await new Promise((r) => setTimeout(r, options.drainDelayMs).unref());
    let code = 0;
    for (const { name, hook } of [...hooks].reverse()) {
      const started = Date.now();
      try {
        await hook();
        log.info({ hook: name, durationMs: Date.now() - started }, 'shutdown hook done');
      } catch (err) {
        code = 1;
        log.error({ hook: name, err }, 'shutdown hook failed');
      }
    }
    clearTimeout(force);
    log.info({ code }, 'shutdown complete');
    if (options.exitWhenDone ?? true) exit(code);
    return code;
  }

  const onSignal = (signal: NodeJS.Signals) => () => {
    if (running) {
      log.warn({ signal }, 'second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    void api.shutdown(signal);
  };
  const listeners = signalNames.map((signal) => ({ signal, listener: onSignal(signal) }));
  for (const { signal, listener } of listeners) signals.on(signal, listener);

  const api: Shutdown = {
    register(name, hook) {
      if (running) throw new Error(`cannot register shutdown hook "${name}": shutdown already started`);
      hooks.push({ name, hook });
    },
    shutdown(reason = 'requested') {
      running ??= runHooks(reason);
      return running;
    },
    get isShuttingDown() {
      return running !== undefined;
    },
    dispose() {
      for (const { signal, listener } of listeners) signals.removeListener(signal, listener);
    },
  };
  return api;
}
