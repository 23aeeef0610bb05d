/**
 * Support's errors follow the platform's duck-typed error contract (docs/platform.md,
 * "Error contract"): a gRPC canonical `code` name, `retriable`, and an optional
 * `httpStatus`. `describeError` in libs/platform maps any error carrying a canonical
 * `code`, so the app maps these at its edge without this lib importing the platform
 * (whose index loads NestJS and gRPC). Defaults below mirror the platform's table.
 */

/** The gRPC canonical code names support raises (a subset of the platform's `ErrorCode`). */
export type SupportErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'RESOURCE_EXHAUSTED'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'UNAVAILABLE'
  | 'CANCELLED'
  | 'DEADLINE_EXCEEDED';

const DEFAULTS: Readonly<Record<SupportErrorCode, { http: number; retriable: boolean }>> = {
  INVALID_ARGUMENT: { http: 400, retriable: false },
  NOT_FOUND: { http: 404, retriable: false },
  RESOURCE_EXHAUSTED: { http: 429, retriable: true },
  FAILED_PRECONDITION: { http: 400, retriable: false },
  ABORTED: { http: 409, retriable: true },
  UNAVAILABLE: { http: 503, retriable: true },
  // 499 = client closed the request (the platform's table, after Google's API design guide).
  CANCELLED: { http: 499, retriable: false },
  DEADLINE_EXCEEDED: { http: 504, retriable: true },
};

export interface SupportErrorOptions {
  /** Overrides the code's default retriable flag. */
  retriable?: boolean;
  /** Overrides the code's default HTTP status (e.g. 413 for INVALID_ARGUMENT). */
  httpStatus?: number;
  cause?: unknown;
}

/** Base of every error this lib throws. */
export class SupportError extends Error {
  readonly retriable: boolean;
  readonly httpStatus: number;

  constructor(
    message: string,
    readonly code: SupportErrorCode,
    options: SupportErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? DEFAULTS[code].retriable;
    this.httpStatus = options.httpStatus ?? DEFAULTS[code].http;
  }
}

/** Why input was rejected: `invalid` (malformed, 400) or `too-large` (413). */
export type ValidationKind = 'invalid' | 'too-large';

/** Bad caller input, naming the field. INVALID_ARGUMENT; HTTP 400 or 413 by `kind`; never retriable. */
export class ValidationError extends SupportError {
  readonly kind: ValidationKind;
  readonly field?: string;

  constructor(message: string, options: { kind?: ValidationKind; field?: string; cause?: unknown } = {}) {
    const kind = options.kind ?? 'invalid';
    super(message, 'INVALID_ARGUMENT', { retriable: false, httpStatus: kind === 'too-large' ? 413 : 400, cause: options.cause });
    this.kind = kind;
    this.field = options.field;
  }
}

/** The addressed session does not exist or has expired. NOT_FOUND / 404; not retriable. */
export class NotFoundError extends SupportError {
  constructor(message: string) {
    super(message, 'NOT_FOUND', { retriable: false });
  }
}

/** The session already has the configured number of user turns. RESOURCE_EXHAUSTED / 429, not retriable. */
export class TurnLimitError extends SupportError {
  constructor(
    readonly sessionId: string,
    readonly maxTurns: number,
  ) {
    super(
      `session ${sessionId} reached its limit of ${maxTurns} turns; end it with a handoff or start a new session`,
      'RESOURCE_EXHAUSTED',
      { retriable: false },
    );
  }
}

/** The session was handed to a human agent; the bot no longer answers in it. FAILED_PRECONDITION / 400. */
export class SessionHandedOffError extends SupportError {
  constructor(
    readonly sessionId: string,
    readonly ticketId: string,
  ) {
    super(`session ${sessionId} was handed off to an agent (ticket ${ticketId})`, 'FAILED_PRECONDITION');
  }
}

/** Another turn of the same session saved first (compare-and-set lost). ABORTED / 409, retriable. */
export class SessionConflictError extends SupportError {
  constructor(readonly sessionId: string) {
    super(`session ${sessionId} was changed by a concurrent turn; retry the turn`, 'ABORTED', { retriable: true });
  }
}

/** Knowledge-base articles or answer templates are malformed; raised at start-up. FAILED_PRECONDITION. */
export class SupportContentError extends SupportError {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(`${source}: ${message}`, 'FAILED_PRECONDITION');
  }
}

/**
 * The session store cannot be reached (Redis down, connection closed). UNAVAILABLE / 503,
 * retriable: the turn did not happen and may be sent again once the store is back.
 * The message goes to the client, so it names no host or port: the client's error
 * (ioredis's "connect ECONNREFUSED host:port") stays in `cause` for the logs.
 */
export class SessionStoreUnavailableError extends SupportError {
  constructor(
    /** The store operation that failed: get, save or delete. */
    readonly operation: string,
    cause: unknown,
  ) {
    super('session store unavailable; retry', 'UNAVAILABLE', { cause });
  }
}

/**
 * The caller aborted the turn (its `signal`): the client went away, or its deadline passed.
 * Nothing was saved. Named `AbortError`, like the DOM's, so code that checks for aborts by
 * name recognises it. CANCELLED / 499, not retriable; when the abort reason is a deadline
 * (a `code` of DEADLINE_EXCEEDED, or AbortSignal.timeout's TimeoutError),
 * DEADLINE_EXCEEDED / 504, retriable. The reason is the `cause`.
 */
export class TurnCancelledError extends SupportError {
  constructor(
    readonly sessionId: string,
    reason?: unknown,
  ) {
    const deadline = isDeadline(reason);
    super(
      deadline ? `turn of session ${sessionId} ran past its deadline; nothing was saved` : `turn of session ${sessionId} was cancelled; nothing was saved`,
      deadline ? 'DEADLINE_EXCEEDED' : 'CANCELLED',
      reason === undefined ? {} : { cause: reason },
    );
    this.name = 'AbortError';
  }
}

function isDeadline(reason: unknown): boolean {
  if (typeof reason !== 'object' || reason === null) return false;
  const { code, name } = reason as { code?: unknown; name?: unknown };
  return code === 'DEADLINE_EXCEEDED' || name === 'TimeoutError';
}
