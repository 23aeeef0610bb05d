import type { ErrorCode } from '../errors/error-codes';

/** Canonical code for an HTTP status, so HTTP and gRPC share metric labels. */
export function codeFromHttpStatus(httpStatus: number): ErrorCode | 'OK' {
  if (httpStatus < 400) return 'OK';
  switch (httpStatus) {
    case 400:
    case 413:
    case 415:
    case 422:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return httpStatus < 500 ? 'FAILED_PRECONDITION' : 'INTERNAL';
  }
}
