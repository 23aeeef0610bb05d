/**
 * All inference errors in one place. Each carries a gRPC-style `code` string (the
 * platform maps it to gRPC/HTTP status at the transport edge) and a `retriable` flag.
 */
export type InferenceErrorCode =
  | 'INVALID_ARGUMENT'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'UNAVAILABLE'
  | 'FAILED_PRECONDITION'
  | 'NOT_FOUND'
  | 'INTERNAL';

export class InferenceError extends Error {
  constructor(
    message: string,
    readonly code: InferenceErrorCode,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad caller input: too long, too many, empty. Never retriable. */
export class InvalidInputError extends InferenceError {
  constructor(message: string) {
    super(message, 'INVALID_ARGUMENT', false);
  }
}

/** The bounded queue is full; the caller should back off and retry. */
export class QueueFullError extends InferenceError {
  constructor(message: string) {
    super(message, 'RESOURCE_EXHAUSTED', true);
  }
}

export class DeadlineExceededError extends InferenceError {
  constructor(message: string) {
    super(message, 'DEADLINE_EXCEEDED', true);
  }
}

/** Model not loaded yet, being disposed, or the batcher was closed. */
export class ModelUnavailableError extends InferenceError {
  constructor(message: string) {
    super(message, 'UNAVAILABLE', true);
  }
}

/** A model directory or repository on disk is missing files or inconsistent. */
export class ModelFormatError extends InferenceError {
  constructor(message: string) {
    super(message, 'FAILED_PRECONDITION', false);
  }
}

export class ModelNotFoundError extends InferenceError {
  constructor(message: string) {
    super(message, 'NOT_FOUND', false);
  }
}

/** Download or checksum failure while fetching a model. */
export class ModelFetchError extends InferenceError {
  constructor(message: string) {
    super(message, 'UNAVAILABLE', false);
  }
}
