import { createHash } from 'node:crypto';
// Type-only: the app creates (and closes) the client, so loading this lib opens no socket
// and does not even load ioredis (test/transport-free.spec.ts).
import type { Redis } from 'ioredis';
import { DEFAULT_SESSION_TTL_MS } from '../config/support-options';
import { SessionConflictError, SessionStoreUnavailableError } from '../errors';
import type { SessionState } from './session-state';
import type { SessionStore } from './session-store';
import { isTransientRedisReply } from './transient-redis-reply';

/** Keys are `<prefix><session id>`; one Redis can then hold other services' data too. */
export const DEFAULT_REDIS_SESSION_KEY_PREFIX = 'tuneline:support:session:';

/** The commands the store sends (an ioredis `Redis` fits); a narrow type keeps unit fakes small. */
export type RedisSessionClient = Pick<Redis, 'evalsha' | 'eval' | 'hget' | 'del'>;

export interface RedisSessionStoreOptions {
  /** Connected (or lazily connecting) ioredis client; the store never closes it. */
  readonly client: RedisSessionClient;
  readonly ttlMs?: number;
  readonly keyPrefix?: string;
}

/**
 * Compare-and-set plus sliding TTL in one round trip, atomic on the server. A session is a
 * hash {revision, state}: the revision is compared without decoding the JSON.
 * KEYS[1] session key; ARGV: expected revision, new revision, state JSON, ttl ms.
 * Returns -1 when saved, else the revision found (0 = no live session).
 */
export const SAVE_SESSION_SCRIPT = `
local found = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if found ~= tonumber(ARGV[1]) then return found end
redis.call('HSET', KEYS[1], 'revision', ARGV[2], 'state', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return -1
`;
const SAVE_SESSION_SHA = createHash('sha1').update(SAVE_SESSION_SCRIPT).digest('hex');

/**
 * SessionStore in Redis, shared by every replica of the service (SessionStore's contract:
 * compare-and-set on `revision`, sliding TTL renewed by saves only, copies in and out).
 * Expiry is Redis's own (PEXPIRE), so nothing needs sweeping.
 */
export class RedisSessionStore implements SessionStore {
  private readonly client: RedisSessionClient;
  private readonly ttlMs: number;
  private readonly keyPrefix: string;

  constructor(options: RedisSessionStoreOptions) {
    if (!options || typeof options.client?.evalsha !== 'function') throw new TypeError('client: an ioredis client is required');
    this.client = options.client;
    this.ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_SESSION_KEY_PREFIX;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 1) throw new RangeError(`ttlMs: ${this.ttlMs} must be a positive integer`);
    if (typeof this.keyPrefix !== 'string') throw new TypeError('keyPrefix: must be a string');
  }

  /** The Redis key holding a session. */
  key(sessionId: string): string {
    return this.keyPrefix + sessionId;
  }

  async get(sessionId: string): Promise<SessionState | undefined> {
    // HGET does not touch the TTL: reads do not renew a session.
    const json = await reachable('get', () => this.client.hget(this.key(sessionId), 'state'));
    return json === null ? undefined : decodeSession(json, sessionId);
  }

  async save(state: SessionState, expectedRevision: number): Promise<SessionState> {
    if (!Number.isInteger(expectedRevision) || expectedRevision < 0) {
      throw new RangeError(`expectedRevision: ${expectedRevision} must be a non-negative integer`);
    }
    const json = JSON.stringify({ ...state, revision: expectedRevision + 1 });
    const found = await this.evalSave(this.key(state.id), [expectedRevision, expectedRevision + 1, json, this.ttlMs]);
    if (found !== -1) throw new SessionConflictError(state.id);
    // Parsed back, so the caller gets exactly what a later `get` returns (a fresh copy).
    return decodeSession(json, state.id);
  }

  async delete(sessionId: string): Promise<boolean> {
    // DEL counts an expired key as absent, as the contract wants.
    return (await reachable('delete', () => this.client.del(this.key(sessionId)))) > 0;
  }

  /** EVALSHA, falling back to EVAL once when the server has not cached the script (restart, flush). */
  private async evalSave(key: string, args: readonly (string | number)[]): Promise<number> {
    let reply: unknown;
    try {
      reply = await reachable('save', () => this.client.evalsha(SAVE_SESSION_SHA, 1, key, ...args));
    } catch (err) {
      if (!isNoScript(err)) throw err;
      reply = await reachable('save', () => this.client.eval(SAVE_SESSION_SCRIPT, 1, key, ...args));
    }
    if (typeof reply !== 'number') throw new Error(`session save script returned ${JSON.stringify(reply)}, expected an integer`);
    return reply;
  }
}

/**
 * Redis answering with an error (ioredis's ReplyError: NOSCRIPT, WRONGTYPE, …) is a server or
 * data problem and passes through, unless it says the server cannot serve right now (READONLY
 * after a failover, LOADING, OOM, …: isTransientRedisReply); that and anything else
 * (connection closed or refused, a command timed out) means the store cannot be reached:
 * SessionStoreUnavailableError, so the edge answers UNAVAILABLE / 503 and the client may
 * retry. By name, since ioredis is type-only here.
 */
async function reachable<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && err.name === 'ReplyError' && !isTransientRedisReply(err)) throw err;
    throw new SessionStoreUnavailableError(operation, err);
  }
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/** Parses a stored session; a value that is not one (another writer, a bug) fails loudly. */
export function decodeSession(json: string, sessionId: string): SessionState {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`session ${sessionId}: stored value is not JSON`, { cause: err });
  }
  const s = value as Partial<SessionState> | null;
  if (typeof s !== 'object' || s === null || s.id !== sessionId || !Number.isInteger(s.revision) || !Array.isArray(s.transcript)) {
    throw new Error(`session ${sessionId}: stored value is not a session state`);
  }
  return s as SessionState;
}
