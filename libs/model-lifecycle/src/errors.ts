/**
 * All model-lifecycle errors in one place, in the style of @tuneline/events: a stable
 * `code` (logs, metrics) and a `retriable` flag. Only fetch failures that may heal
 * (network, 5xx) are retriable; a version that fails a check is refused for good.
 */
export type ModelLifecycleErrorCode =
  | 'MALFORMED_EVENT'
  | 'FETCH_FAILED'
  | 'UNSUPPORTED_SOURCE'
  | 'CHECKSUM_MISMATCH'
  | 'LABELS_MISMATCH'
  | 'INCOMPATIBLE_LABELS';

export class ModelLifecycleError extends Error {
  constructor(
    message: string,
    readonly code: ModelLifecycleErrorCode,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The record is not a valid model.published value. */
export class MalformedEventError extends ModelLifecycleError {
  constructor(message: string) {
    super(message, 'MALFORMED_EVENT', false);
  }
}

/** The version directory could not be copied or downloaded. */
export class ModelFetchFailedError extends ModelLifecycleError {
  constructor(message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(message, 'FETCH_FAILED', retriable, options);
  }
}

/** The event's uri has a scheme this follower cannot fetch. */
export class UnsupportedSourceError extends ModelLifecycleError {
  constructor(message: string) {
    super(message, 'UNSUPPORTED_SOURCE', false);
  }
}

/** A fetched file's sha256 differs from the one the event carries. */
export class ChecksumMismatchError extends ModelLifecycleError {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${file}: sha256 ${actual} does not match the published ${expected}`, 'CHECKSUM_MISMATCH', false);
  }
}

/** labels.json of the fetched version differs from the event's labels. */
export class LabelsMismatchError extends ModelLifecycleError {
  constructor(message: string) {
    super(message, 'LABELS_MISMATCH', false);
  }
}

/** The new label set breaks the label policy against the labels served now. */
export class IncompatibleLabelsError extends ModelLifecycleError {
  constructor(message: string) {
    super(message, 'INCOMPATIBLE_LABELS', false);
  }
}
