/**
 * Support errors reuse the platform's hierarchy (one `code` vocabulary, `retriable`,
 * `httpStatus`), so the app maps them to gRPC/HTTP with the platform's mappers and
 * never translates twice. Bad input is the platform's `ValidationError` (400/413),
 * an unknown session its `NotFoundError`; only the states below are support's own.
 */
import { PlatformError, NotFoundError, ValidationError } from '@tuneline/platform';

export { PlatformError, NotFoundError, ValidationError };

/** The session already has the configured number of user turns. RESOURCE_EXHAUSTED / 429, not retriable. */
export class TurnLimitError extends PlatformError {
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
export class SessionHandedOffError extends PlatformError {
  constructor(
    readonly sessionId: string,
    readonly ticketId: string,
  ) {
    super(`session ${sessionId} was handed off to an agent (ticket ${ticketId})`, 'FAILED_PRECONDITION');
  }
}

/** Another turn of the same session saved first (compare-and-set lost). ABORTED / 409, retriable. */
export class SessionConflictError extends PlatformError {
  constructor(readonly sessionId: string) {
    super(`session ${sessionId} was changed by a concurrent turn; retry the turn`, 'ABORTED', { retriable: true });
  }
}

/** Knowledge-base articles or answer templates are malformed; raised at start-up. FAILED_PRECONDITION. */
export class SupportContentError extends PlatformError {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(`${source}: ${message}`, 'FAILED_PRECONDITION');
  }
}
