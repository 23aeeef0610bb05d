/**
 * libs/sentiment's serving errors as the platform's, so both transports answer them the
 * same way: a bad filter, resume token or window is INVALID_ARGUMENT / 400 (naming the
 * field), too many streams is RESOURCE_EXHAUSTED / 429 (retriable), a hub closing with the
 * service is UNAVAILABLE / 503 (retriable).
 */
import { OverloadedError, UnavailableError, ValidationError } from '@tuneline/platform';
import { HubClosedError, InvalidAlertFilterError, ServingError, TooManySubscribersError, UnknownWindowError } from '@tuneline/sentiment';

export function platformErrorOf(err: unknown): unknown {
  if (!(err instanceof ServingError)) return err;
  if (err instanceof TooManySubscribersError) return new OverloadedError(err.message, { cause: err });
  if (err instanceof HubClosedError) return new UnavailableError(err.message, { cause: err });
  const field = err instanceof InvalidAlertFilterError ? err.field : err instanceof UnknownWindowError ? 'windowSeconds' : 'resumeToken';
  return new ValidationError(err.message, { field, cause: err });
}

/** Runs `fn`, rethrowing a serving error as the platform's. */
export async function withPlatformErrors<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw platformErrorOf(err);
  }
}
