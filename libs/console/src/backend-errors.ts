/**
 * gRPC failures of a downstream service, as the console's HTTP errors. The message always
 * names the service, so the SPA can say which one is down; the status follows what the
 * caller can do about it: its own bad input (4xx, the service's text), overload (429),
 * down or unreachable (503), and anything else a 502 (the service failed, not the console).
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { NotFoundError, OverloadedError, PlatformError, UnavailableError, ValidationError } from '@tuneline/platform';
import type { ServiceName } from './types';

interface GrpcErrorLike {
  code: number;
  details?: string;
  message?: string;
}

function isGrpcError(err: unknown): err is GrpcErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number';
}

/** Already translated (a second wrap would prefix the service twice). */
export function isBackendError(err: unknown): err is PlatformError {
  return err instanceof PlatformError;
}

export function backendError(service: ServiceName, err: unknown): PlatformError {
  if (isBackendError(err)) return err;
  if (!isGrpcError(err)) {
    const text = err instanceof Error ? err.message : String(err);
    return new PlatformError(`${service} failed: ${text}`, 'UNAVAILABLE', { httpStatus: 502, retriable: true, cause: err });
  }
  // grpc-js appends an empty "Resolution note:" to connection errors: noise on a page.
  const details = (err.details || err.message || 'no details').replace(/\s*Resolution note:\s*$/, '');
  switch (err.code) {
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
    case GrpcStatus.FAILED_PRECONDITION:
      return new ValidationError(`${service}: ${details}`, { cause: err });
    case GrpcStatus.NOT_FOUND:
      return new NotFoundError(`${service}: ${details}`, { cause: err });
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return new OverloadedError(`${service} is overloaded: ${details}`, { cause: err });
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.CANCELLED:
      return new UnavailableError(`${service} is unavailable: ${details}`, { cause: err });
    default:
      return new PlatformError(`${service} failed (gRPC ${GrpcStatus[err.code] ?? err.code}): ${details}`, 'UNAVAILABLE', {
        httpStatus: 502,
        retriable: false,
        cause: err,
      });
  }
}
