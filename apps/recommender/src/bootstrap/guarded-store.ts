/**
 * The profile store as the service hands it to libs/recommend: a store that fails (Redis
 * down, a timeout, a reply saying it cannot serve now) answers UNAVAILABLE (503 / gRPC 14,
 * retriable, with Retry-After) instead of an internal error, and a profile that kept changing
 * under every update attempt answers ABORTED (retriable). Any other Redis error reply
 * (WRONGTYPE, NOPERM, an unknown command) is a fault no retry cures: INTERNAL, not retriable.
 * Programming and data errors (TypeError/RangeError) pass through as they are.
 */
import { isTransientRedisReply, PlatformError, UnavailableError } from '@tuneline/platform';
import { ProfileConflictError, type EventPosition, type OnceResult, type ProfileStore, type UserProfile } from '@tuneline/recommend';

function guard(err: unknown): unknown {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof PlatformError) return err;
  if (err instanceof ProfileConflictError) return new PlatformError(err.message, 'ABORTED', { cause: err });
  if (err instanceof Error && err.name === 'ReplyError' && !isTransientRedisReply(err)) {
    return new PlatformError('profile store refused the command', 'INTERNAL', { retriable: false, cause: err });
  }
  return new UnavailableError('profile store unavailable; retry shortly', { cause: err });
}

export class GuardedProfileStore implements ProfileStore {
  constructor(private readonly inner: ProfileStore) {}

  get(userId: string): Promise<UserProfile | undefined> {
    return this.inner.get(userId).catch((err: unknown) => Promise.reject(guard(err)));
  }

  update(userId: string, fn: (current: UserProfile | undefined) => UserProfile): Promise<UserProfile> {
    return this.inner.update(userId, fn).catch((err: unknown) => Promise.reject(guard(err)));
  }

  updateOnce(userId: string, position: EventPosition, fn: (current: UserProfile | undefined) => UserProfile): Promise<OnceResult> {
    return this.inner.updateOnce(userId, position, fn).catch((err: unknown) => Promise.reject(guard(err)));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
