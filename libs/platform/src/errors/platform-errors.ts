import { CODE_MAPPINGS, type ErrorCode } from './error-codes';

export interface PlatformErrorOptions {
  /** Overrides the code's default retriable flag. */
  retriable?: boolean;
  /** Overrides the code's default HTTP status (e.g. 413 or 422 for INVALID_ARGUMENT). */
  httpStatus?: number;
  /** Retry hint for a retriable RESOURCE_EXHAUSTED/UNAVAILABLE: HTTP Retry-After, gRPC retry-after trailer. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Base of the platform's errors. Carries the duck-typed contract every lib error
 * follows: `code` (gRPC code name), `retriable`, optional `httpStatus`.
 */
export class PlatformError extends Error {
  readonly retriable: boolean;
  readonly httpStatus: number;
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    readonly code: ErrorCode,
    options: PlatformErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? CODE_MAPPINGS[code].retriable;
    this.httpStatus = options.httpStatus ?? CODE_MAPPINGS[code].http;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Why input was rejected: `invalid` (malformed, 400), `too-large` (413),
 * `unprocessable` (well-formed but semantically wrong, 422).
 */
export type ValidationKind = 'invalid' | 'too-large' | 'unprocessable';

const VALIDATION_HTTP: Record<ValidationKind, number> = { invalid: 400, 'too-large': 413, unprocessable: 422 };

/** Bad caller input. gRPC INVALID_ARGUMENT; HTTP 400, 413 or 422 by `kind`. Never retriable. */
export class ValidationError extends PlatformError {
  readonly kind: ValidationKind;
  /** Name of the offending field, when there is one. */
  readonly field?: string;

  constructor(message: string, options: { kind?: ValidationKind; field?: string; cause?: unknown } = {}) {
    const kind = options.kind ?? 'invalid';
    super(message, 'INVALID_ARGUMENT', { retriable: false, httpStatus: VALIDATION_HTTP[kind], cause: options.cause });
    this.kind = kind;
    this.field = options.field;
  }
}

/** The service is saturated (queue full, rate limit). RESOURCE_EXHAUSTED / 429; retriable. */
export class OverloadedError extends PlatformError {
  constructor(message: string, options: Omit<PlatformErrorOptions, 'httpStatus'> = {}) {
    super(message, 'RESOURCE_EXHAUSTED', options);
  }
}

/** A dependency or the model is not ready. UNAVAILABLE / 503; retriable. */
export class UnavailableError extends PlatformError {
  constructor(message: string, options: Omit<PlatformErrorOptions, 'httpStatus'> = {}) {
    super(message, 'UNAVAILABLE', options);
  }
}

/** The caller's deadline passed before the work finished. DEADLINE_EXCEEDED / 504; retriable. */
export class DeadlineError extends PlatformError {
  constructor(message = 'Deadline exceeded', options: Omit<PlatformErrorOptions, 'httpStatus'> = {}) {
    super(message, 'DEADLINE_EXCEEDED', options);
  }
}

/** Missing or invalid credentials. UNAUTHENTICATED / 401; not retriable. */
export class AuthError extends PlatformError {
  constructor(message = 'Unauthenticated', options: Pick<PlatformErrorOptions, 'cause'> = {}) {
    super(message, 'UNAUTHENTICATED', { ...options, retriable: false });
  }
}

/** The addressed resource does not exist. NOT_FOUND / 404; not retriable. */
export class NotFoundError extends PlatformError {
  constructor(message: string, options: Pick<PlatformErrorOptions, 'cause'> = {}) {
    super(message, 'NOT_FOUND', { ...options, retriable: false });
  }
}
