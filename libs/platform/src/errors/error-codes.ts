import { status } from '@grpc/grpc-js';

/**
 * The status vocabulary shared by every lib: gRPC canonical code names. A lib
 * error only needs a `code` string from this list (and optionally `retriable`
 * and `httpStatus`) to be mapped correctly at the transport edge, so libs never
 * have to import the platform.
 */
export const ERROR_CODES = [
  'CANCELLED',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'UNAUTHENTICATED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface CodeMapping {
  readonly grpc: status;
  readonly http: number;
  /** Whether a caller may retry the same request (with backoff) by default. */
  readonly retriable: boolean;
}

/** gRPC code -> HTTP status, following Google's API design guide (499 = client closed). */
export const CODE_MAPPINGS: Readonly<Record<ErrorCode, CodeMapping>> = {
  CANCELLED: { grpc: status.CANCELLED, http: 499, retriable: false },
  INVALID_ARGUMENT: { grpc: status.INVALID_ARGUMENT, http: 400, retriable: false },
  DEADLINE_EXCEEDED: { grpc: status.DEADLINE_EXCEEDED, http: 504, retriable: true },
  NOT_FOUND: { grpc: status.NOT_FOUND, http: 404, retriable: false },
  ALREADY_EXISTS: { grpc: status.ALREADY_EXISTS, http: 409, retriable: false },
  PERMISSION_DENIED: { grpc: status.PERMISSION_DENIED, http: 403, retriable: false },
  RESOURCE_EXHAUSTED: { grpc: status.RESOURCE_EXHAUSTED, http: 429, retriable: true },
  FAILED_PRECONDITION: { grpc: status.FAILED_PRECONDITION, http: 400, retriable: false },
  ABORTED: { grpc: status.ABORTED, http: 409, retriable: true },
  UNIMPLEMENTED: { grpc: status.UNIMPLEMENTED, http: 501, retriable: false },
  INTERNAL: { grpc: status.INTERNAL, http: 500, retriable: false },
  UNAVAILABLE: { grpc: status.UNAVAILABLE, http: 503, retriable: true },
  UNAUTHENTICATED: { grpc: status.UNAUTHENTICATED, http: 401, retriable: false },
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CODE_MAPPINGS, value);
}

/** Reverse lookup for numeric gRPC codes (errors coming back from downstream gRPC calls). */
export function errorCodeFromGrpc(code: number): ErrorCode | undefined {
  return ERROR_CODES.find((name) => CODE_MAPPINGS[name].grpc === code);
}
