/**
 * Errors of the serving side (alert hub, entity view) that a transport answers to its
 * caller. Each carries a stable `code`; the transports map them all to gRPC
 * INVALID_ARGUMENT / HTTP 400 except TOO_MANY_SUBSCRIBERS (RESOURCE_EXHAUSTED / 429) and
 * HUB_CLOSED (UNAVAILABLE / 503: the service is shutting down; another replica can serve).
 * Programming errors (bad options, bad positions from our own consumer) stay
 * TypeError/RangeError.
 */
export type ServingErrorCode = 'INVALID_RESUME_TOKEN' | 'INVALID_ALERT_FILTER' | 'UNKNOWN_WINDOW' | 'TOO_MANY_SUBSCRIBERS' | 'HUB_CLOSED';

export class ServingError extends Error {
  constructor(
    message: string,
    readonly code: ServingErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A resume token (StreamAlertsRequest.resume_token, SSE Last-Event-ID) that this hub did not issue. */
export class InvalidResumeTokenError extends ServingError {
  constructor(reason: string) {
    super(`invalid resume token: ${reason}`, 'INVALID_RESUME_TOKEN');
  }
}

/** An alert filter field out of its limits; `field` names it as the caller wrote it (camelCase). */
export class InvalidAlertFilterError extends ServingError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`invalid alert filter: ${field} ${reason}`, 'INVALID_ALERT_FILTER');
  }
}

/** GetEntitySentiment asked for a window the view does not keep. */
export class UnknownWindowError extends ServingError {
  constructor(
    readonly windowSeconds: number,
    readonly keptWindows: readonly number[],
  ) {
    super(`window_seconds ${windowSeconds} is not kept; kept windows: ${keptWindows.join(', ')}`, 'UNKNOWN_WINDOW');
  }
}

/** The hub already serves its maximum number of subscribers. */
export class TooManySubscribersError extends ServingError {
  constructor(readonly limit: number) {
    super(`too many alert subscribers (limit ${limit}); retry later`, 'TOO_MANY_SUBSCRIBERS');
  }
}

/** A stream asked of a hub that is closing with its service: retriable elsewhere. */
export class HubClosedError extends ServingError {
  constructor() {
    super('alert hub closed: this replica is shutting down; retry', 'HUB_CLOSED');
  }
}
