import { Metadata, type StatusObject, status } from '@grpc/grpc-js';
import { CODE_MAPPINGS, type ErrorCode, errorCodeFromGrpc, isErrorCode } from './error-codes';

/** Everything a transport needs to answer with an error. */
export interface ErrorDescription {
  code: ErrorCode;
  /** Safe to show the caller: never a stack; a generic text for INTERNAL. */
  message: string;
  retriable: boolean;
  grpcStatus: status;
  httpStatus: number;
}

const INTERNAL_MESSAGE = 'Internal error';

function field(err: object, name: string): unknown {
  return (err as Record<string, unknown>)[name];
}

/** Code of a duck-typed lib error, or of a downstream gRPC ServiceError (numeric code + details). */
function codeOf(err: object): ErrorCode | undefined {
  const code = field(err, 'code');
  if (isErrorCode(code)) return code;
  if (typeof code === 'number' && typeof field(err, 'details') === 'string') return errorCodeFromGrpc(code);
  return undefined;
}

/**
 * Classifies any thrown value by duck typing on `code` (see docs/platform.md).
 * Unknown errors become INTERNAL with a generic message so nothing leaks.
 */
export function describeError(err: unknown): ErrorDescription {
  const code = typeof err === 'object' && err !== null ? codeOf(err) : undefined;
  if (code === undefined || code === 'INTERNAL') {
    return { code: 'INTERNAL', message: INTERNAL_MESSAGE, retriable: false, grpcStatus: status.INTERNAL, httpStatus: 500 };
  }
  const e = err as object;
  const mapping = CODE_MAPPINGS[code];
  const retriable = field(e, 'retriable');
  const httpStatus = field(e, 'httpStatus');
  const details = field(e, 'details');
  const message = field(e, 'message');
  const text = typeof message === 'string' && message !== '' ? message : typeof details === 'string' ? details : code;
  return {
    code,
    message: text,
    retriable: typeof retriable === 'boolean' ? retriable : mapping.retriable,
    grpcStatus: mapping.grpc,
    httpStatus: Number.isInteger(httpStatus) && (httpStatus as number) >= 400 && (httpStatus as number) <= 599
      ? (httpStatus as number)
      : mapping.http,
  };
}

/** Numeric gRPC status for an error. */
export function toGrpcStatus(err: unknown): status {
  return describeError(err).grpcStatus;
}

/** HTTP status for an error. */
export function toHttpStatus(err: unknown): number {
  return describeError(err).httpStatus;
}

/** Trailer telling clients whether a retry may succeed. */
export const RETRIABLE_METADATA_KEY = 'x-retriable';

/** Trailer with the seconds to wait before retrying (the gRPC counterpart of HTTP Retry-After). */
export const RETRY_AFTER_METADATA_KEY = 'retry-after';
/** grpc-js/grpc-core retry pushback: clients with a retry policy wait this many ms. */
export const RETRY_PUSHBACK_METADATA_KEY = 'grpc-retry-pushback-ms';
/** Retry hint for overload/unavailability when the error carries none (HTTP filter and gRPC server default). */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

const RETRY_HINT_CODES: ReadonlySet<ErrorCode> = new Set(['RESOURCE_EXHAUSTED', 'UNAVAILABLE']);

/**
 * How long a caller should wait before retrying, in ms: only for a retriable
 * RESOURCE_EXHAUSTED or UNAVAILABLE; the error's own `retryAfterMs` (a finite number ≥ 0)
 * when it has one, else `defaultMs` (undefined: no hint). One rule for HTTP and gRPC.
 */
export function retryAfterMsOf(err: unknown, defaultMs?: number): number | undefined {
  const d = describeError(err);
  if (!d.retriable || !RETRY_HINT_CODES.has(d.code)) return undefined;
  const own = typeof err === 'object' && err !== null ? field(err, 'retryAfterMs') : undefined;
  if (typeof own === 'number' && Number.isFinite(own) && own >= 0) return own;
  return defaultMs;
}

/** Whole seconds for Retry-After / retry-after (rounded up, so the wait is never shorter). */
export function retryAfterSeconds(ms: number): number {
  return Math.ceil(ms / 1_000);
}

export interface GrpcServiceErrorOptions {
  /** Retry hint when a retriable RESOURCE_EXHAUSTED/UNAVAILABLE error carries none; omitted: no hint. */
  defaultRetryAfterMs?: number;
}

/**
 * A status object to pass to a grpc-js callback or `call.destroy()`: an `x-retriable`
 * trailer always, and `retry-after` (seconds) plus `grpc-retry-pushback-ms` when
 * retryAfterMsOf gives a hint.
 */
export function toGrpcServiceError(err: unknown, options: GrpcServiceErrorOptions = {}): Partial<StatusObject> & { code: status; details: string } {
  const d = describeError(err);
  const metadata = new Metadata();
  metadata.set(RETRIABLE_METADATA_KEY, String(d.retriable));
  const retryAfterMs = retryAfterMsOf(err, options.defaultRetryAfterMs);
  if (retryAfterMs !== undefined) {
    metadata.set(RETRY_AFTER_METADATA_KEY, String(retryAfterSeconds(retryAfterMs)));
    metadata.set(RETRY_PUSHBACK_METADATA_KEY, String(Math.round(retryAfterMs)));
  }
  return { code: d.grpcStatus, details: d.message, metadata };
}

export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; retriable: boolean; requestId?: string };
}

/** JSON body for an HTTP error response. */
export function toHttpErrorBody(err: unknown, requestId?: string): HttpErrorBody {
  const d = describeError(err);
  return { error: { code: d.code, message: d.message, retriable: d.retriable, ...(requestId ? { requestId } : {}) } };
}
