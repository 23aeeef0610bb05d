import { EventEmitter } from 'node:events';
import { HealthRegistry } from '../health/health-registry';
import { createLogger } from '../logging/create-logger';
import { isTransientRedisReply, REDIS_CLIENT_OPTIONS, REDIS_COMMAND_TIMEOUT_MS, REDIS_COMPONENT, singleFlight, superviseRedis, throttled, type SupervisedRedis } from './redis-supervisor';

/** A client whose PING answers `pong` (or fails), counting what close does. */
function fakeClient(o: { connects: boolean; pong: boolean }) {
  const calls: string[] = [];
  const emitter = new EventEmitter();
  const client = {
    status: 'wait',
    on: (event: string, fn: (err: Error) => void) => (emitter.on(event, fn), client),
    connect: async () => {
      calls.push('connect');
      if (!o.connects) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      client.status = 'ready';
    },
    ping: async () => (o.pong ? 'PONG' : Promise.reject(new Error('Connection is closed.'))),
    quit: async () => (calls.push('quit'), 'OK'),
    disconnect: () => void calls.push('disconnect'),
  };
  return { client: client as unknown as SupervisedRedis, calls, emitter };
}

const logger = createLogger({ service: 't', level: 'silent' });
const ready = (health: HealthRegistry) => health.readiness().components.find((c) => c.name === REDIS_COMPONENT)?.ready;

describe('superviseRedis', () => {
  it('is ready once PING answers, and QUITs a live connection on close', async () => {
    const health = new HealthRegistry();
    const { client, calls } = fakeClient({ connects: true, pong: true });
    const handle = await superviseRedis(client, { pingIntervalMs: 60_000, health, logger });
    expect(ready(health)).toBe(true);
    await handle.close();
    expect(calls).toEqual(['connect', 'quit']);
  });

  it('an unreachable server at start is logged, not thrown: not ready; close stops reconnecting', async () => {
    const health = new HealthRegistry();
    const { client, calls, emitter } = fakeClient({ connects: false, pong: false });
    const handle = await superviseRedis(client, { pingIntervalMs: 60_000, health, logger });
    emitter.emit('error', new Error('connect ECONNREFUSED'));
    expect(ready(health)).toBe(false);
    await handle.close();
    expect(calls).toEqual(['connect', 'disconnect']);
  });

  it('never re-sends a command after a reconnect (a save that succeeded must not run twice) and never queues offline', () => {
    expect(REDIS_CLIENT_OPTIONS).toMatchObject({ autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  });

  it('times commands out, and reconnects without re-sending on READONLY (a primary demoted by failover)', () => {
    expect(REDIS_CLIENT_OPTIONS.commandTimeout).toBe(REDIS_COMMAND_TIMEOUT_MS);
    const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
    expect(REDIS_CLIENT_OPTIONS.reconnectOnError(reply("READONLY You can't write against a read only replica."))).toBe(1);
    expect(REDIS_CLIENT_OPTIONS.reconnectOnError(reply('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
  });
});

describe('isTransientRedisReply', () => {
  const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
  it.each(["READONLY You can't write against a read only replica.", 'LOADING Redis is loading the dataset in memory', 'BUSY Redis is busy running a script',
    'MASTERDOWN Link with MASTER is down', "OOM command not allowed when used memory > 'maxmemory'.", 'TRYAGAIN Multiple keys request during rehashing of slot',
    'CLUSTERDOWN The cluster is down'])('a server that cannot serve now: %s', (message) => {
    expect(isTransientRedisReply(reply(message))).toBe(true);
  });

  it.each(['WRONGTYPE Operation against a key holding the wrong kind of value', 'NOSCRIPT No matching script.', 'ERR unknown command', 'READONLYX not a prefix word'])(
    'a wrong command or wrong data, not transient: %s', (message) => {
      expect(isTransientRedisReply(reply(message))).toBe(false);
    });

  it('only for replies: a connection error is not a reply', () => {
    expect(isTransientRedisReply(new Error('READONLY but not a ReplyError'))).toBe(false);
    expect(isTransientRedisReply('READONLY')).toBe(false);
  });
});

describe('singleFlight', () => {
  it('skips a call while the previous one is still running', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const ping = singleFlight(async () => {
      calls++;
      await new Promise<void>((r) => (release = r));
    });
    const first = ping();
    await ping();
    await ping();
    expect(calls).toBe(1);
    release();
    await first;
    const again = ping();
    expect(calls).toBe(2);
    release();
    await again;
  });
});

describe('throttled', () => {
  it('lets one call through per interval and reports how many were suppressed', () => {
    let now = 0;
    const seen: number[] = [];
    const warn = throttled((suppressed: number) => seen.push(suppressed), 10_000, () => now);
    warn();
    warn();
    warn();
    now = 9_999;
    warn();
    expect(seen).toEqual([0]);
    now = 10_000;
    warn();
    expect(seen).toEqual([0, 3]);
  });
});
