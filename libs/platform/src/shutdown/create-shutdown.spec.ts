import { EventEmitter } from 'node:events';
import { HealthRegistry } from '../health/health-registry';
import { createLogger } from '../logging/create-logger';
import { createShutdown, type ShutdownOptions } from './create-shutdown';

const logger = createLogger({ service: 'shutdown-spec', level: 'silent' });

function setup(overrides: Partial<ShutdownOptions> = {}) {
  const signals = new EventEmitter();
  const exit = jest.fn<void, [number]>();
  const shutdown = createShutdown({ graceMs: 1_000, logger, signals, exit, ...overrides });
  return { signals, exit, shutdown };
}

describe('createShutdown', () => {
  it('marks not-ready first, then runs hooks in reverse registration order, then exits 0', async () => {
    const health = new HealthRegistry().addComponent('model', { ready: true });
    const order: string[] = [];
    const { shutdown, exit } = setup({ health });
    shutdown.register('kafka', () => void order.push(`kafka ready=${health.isReady()}`));
    shutdown.register('http', async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('http');
    });
    shutdown.register('grpc', () => void order.push('grpc'));
    await expect(shutdown.shutdown('test')).resolves.toBe(0);
    expect(order).toEqual(['grpc', 'http', 'kafka ready=false']);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('starts on SIGTERM from the injected signal source, only once', async () => {
    const hook = jest.fn();
    const { shutdown, signals, exit } = setup();
    shutdown.register('only', hook);
    signals.emit('SIGTERM');
    await shutdown.shutdown();
    expect(hook).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(shutdown.isShuttingDown).toBe(true);
  });

  it('keeps going after a failing hook and exits 1', async () => {
    const later = jest.fn();
    const { shutdown, exit } = setup();
    shutdown.register('runs-last', later);
    shutdown.register('fails', () => {
      throw new Error('boom');
    });
    await expect(shutdown.shutdown()).resolves.toBe(1);
    expect(later).toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('forces exit(1) when hooks outlive the grace period', async () => {
    jest.useFakeTimers();
    try {
      const { shutdown, exit } = setup({ graceMs: 500 });
      shutdown.register('stuck', () => new Promise(() => undefined));
      void shutdown.shutdown();
      await jest.advanceTimersByTimeAsync(499);
      expect(exit).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(2);
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('waits drainDelayMs after marking not-ready before running hooks', async () => {
    jest.useFakeTimers();
    try {
      const health = new HealthRegistry();
      const hook = jest.fn();
      const { shutdown } = setup({ health, drainDelayMs: 200 });
      shutdown.register('grpc', hook);
      void shutdown.shutdown();
      await jest.advanceTimersByTimeAsync(0);
      expect(health.isShuttingDown()).toBe(true);
      expect(hook).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(200);
      expect(hook).toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('exits at once on a second signal', async () => {
    const { shutdown, signals, exit } = setup();
    shutdown.register('slow', () => new Promise((r) => setTimeout(r, 100)));
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    expect(exit).toHaveBeenCalledWith(1);
    await shutdown.shutdown();
  });

  it('does not exit when exitWhenDone is false, refuses late hooks, and dispose removes listeners', async () => {
    const { shutdown, signals, exit } = setup({ exitWhenDone: false });
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    shutdown.dispose();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    await shutdown.shutdown();
    expect(exit).not.toHaveBeenCalled();
    expect(() => shutdown.register('late', () => undefined)).toThrow(/already started/);
  });
});
