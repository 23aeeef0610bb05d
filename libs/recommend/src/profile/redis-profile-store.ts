import { createHash } from 'node:crypto';
// Type-only: the app creates (and closes) the client, so loading this lib does not load
// ioredis (test/transport-free.spec.ts).
import type { Redis } from 'ioredis';
import { checkPosition, isAfter, type EventPosition } from './event-position';
import { decodeProfile, encodeProfile } from './profile-codec';
import { checkUpdated, checkUserId, ProfileConflictError, type OnceResult, type ProfileStore } from './profile-store';
import type { UserProfile } from './user-profile';

export const DEFAULT_PROFILE_KEY_PREFIX = 'tuneline:recommend:profile:';
/** Conflicts retried before ProfileConflictError: one user's events rarely race on more than a few replicas. */
export const DEFAULT_PROFILE_UPDATE_ATTEMPTS = 32;

/** The commands the store sends (an ioredis `Redis` fits). */
export type RedisProfileClient = Pick<Redis, 'evalsha' | 'eval' | 'hmget' | 'del'>;

export interface RedisProfileStoreOptions {
  /** Connected (or lazily connecting) ioredis client, shared freely; the store never closes it. */
  readonly client: RedisProfileClient;
  readonly keyPrefix?: string;
  /** Idle profiles expire after this (sliding: each update renews it); none by default. */
  readonly ttlMs?: number;
  readonly maxAttempts?: number;
}

/**
 * Compare-and-set in one round trip, atomic on the server. A profile is a hash
 * {revision, profile, offset:<partition>…}; KEYS[1] the key; ARGV: expected revision, new
 * revision, JSON, ttl ms (0: none), and for an update from a log position the field
 * `offset:<partition>` and the offset. Returns -1 when stored, -2 when that partition's stored
 * offset is already at or past this one (a redelivered event: nothing written), else the
 * revision found. Offsets compare as decimal strings (longer is larger), exact for int64.
 * A script rather than WATCH/MULTI: WATCH belongs to a connection, and replicas share one
 * client across concurrent requests.
 */
export const SAVE_PROFILE_SCRIPT = `
local found = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if found ~= tonumber(ARGV[1]) then return found end
if ARGV[5] then
  local last = redis.call('HGET', KEYS[1], ARGV[5])
  if last and (#last > #ARGV[6] or (#last == #ARGV[6] and last >= ARGV[6])) then return -2 end
  redis.call('HSET', KEYS[1], 'revision', ARGV[2], 'profile', ARGV[3], ARGV[5], ARGV[6])
else
  redis.call('HSET', KEYS[1], 'revision', ARGV[2], 'profile', ARGV[3])
end
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return -1
`;
const SAVE_PROFILE_SHA = createHash('sha1').update(SAVE_PROFILE_SCRIPT).digest('hex');

/** Hash field holding the offset of the last event applied from `partition`. */
export const offsetField = (partition: string): string => `offset:${partition}`;

/** ProfileStore in Redis: read, apply `fn`, compare-and-set on the revision, retry on a conflict. */
export class RedisProfileStore implements ProfileStore {
  private readonly client: RedisProfileClient;
  private readonly keyPrefix: string;
  private readonly ttlMs: number;
  private readonly maxAttempts: number;

  constructor(options: RedisProfileStoreOptions) {
    if (!options || typeof options.client?.evalsha !== 'function') throw new TypeError('client: an ioredis client is required');
    this.client = options.client;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_PROFILE_KEY_PREFIX;
    this.ttlMs = options.ttlMs ?? 0;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_PROFILE_UPDATE_ATTEMPTS;
    if (typeof this.keyPrefix !== 'string') throw new TypeError('keyPrefix must be a string');
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 0) throw new RangeError(`ttlMs must be an integer >= 0, got ${String(this.ttlMs)}`);
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${String(this.maxAttempts)}`);
  }

  key(userId: string): string {
    return this.keyPrefix + userId;
  }

  async get(userId: string): Promise<UserProfile | undefined> {
    checkUserId(userId);
    return (await this.read(userId, undefined)).profile;
  }

  async update(userId: string, fn: (current: UserProfile | undefined) => UserProfile): Promise<UserProfile> {
    checkUserId(userId);
    return (await this.casLoop(userId, undefined, fn)).profile;
  }

  async updateOnce(userId: string, position: EventPosition, fn: (current: UserProfile | undefined) => UserProfile): Promise<OnceResult> {
    checkUserId(userId);
    checkPosition(position);
    return this.casLoop(userId, position, fn);
  }

  private async casLoop(userId: string, position: EventPosition | undefined, fn: (current: UserProfile | undefined) => UserProfile): Promise<OnceResult> {
    const field = position && offsetField(position.partition);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const { revision, profile, offset } = await this.read(userId, field);
      if (position && profile && !isAfter(position.offset, offset)) return { profile, applied: false };
      const next = fn(profile);
      checkUpdated(userId, next);
      const json = encodeProfile(next);
      const args = [revision, revision + 1, json, this.ttlMs, ...(position && field ? [field, position.offset] : [])];
      const found = await this.save(this.key(userId), args);
      if (found === -1) return { profile: decodeProfile(json, userId), applied: true };
      // -2 (another writer applied this position first) is a conflict too: the re-read sees its offset and skips.
      // Jittered backoff: without it, N writers racing on one hot user retry in lockstep and
      // only one wins per round, so the N-th needs N attempts (seen at 20 writers, 16 attempts).
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw new ProfileConflictError(userId, this.maxAttempts);
  }

  /** The client is the caller's: nothing to release. */
  async close(): Promise<void> {
    return undefined;
  }

  private async read(userId: string, field: string | undefined): Promise<{ revision: number; profile: UserProfile | undefined; offset: string | undefined }> {
    const [revision, json, offset] = await this.client.hmget(this.key(userId), 'revision', 'profile', ...(field ? [field] : []));
    if (revision === null || revision === undefined || json === null || json === undefined) return { revision: 0, profile: undefined, offset: undefined };
    return { revision: Number(revision), profile: decodeProfile(json, userId), offset: offset ?? undefined };
  }

  /** EVALSHA, falling back to EVAL once when the server has not cached the script. */
  private async save(key: string, args: readonly (string | number)[]): Promise<number> {
    let reply: unknown;
    try {
      reply = await this.client.evalsha(SAVE_PROFILE_SHA, 1, key, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      reply = await this.client.eval(SAVE_PROFILE_SCRIPT, 1, key, ...args);
    }
    // A data fault (e.g. a stored revision that is not a number), not an outage: TypeError, never retried.
    if (typeof reply !== 'number') throw new TypeError(`profile save script returned ${JSON.stringify(reply)}, expected an integer`);
    return reply;
  }
}
