import { status } from '@grpc/grpc-js';
import { ERROR_CODES } from './error-codes';
import {
  AuthError,
  DeadlineError,
  NotFoundError,
  OverloadedError,
  PlatformError,
  UnavailableError,
  ValidationError,
} from './platform-errors';
import {
  RETRIABLE_METADATA_KEY,
  RETRY_AFTER_METADATA_KEY,
  RETRY_PUSHBACK_METADATA_KEY,
  describeError,
  retryAfterMsOf,
  toGrpcServiceError,
  toGrpcStatus,
  toHttpErrorBody,
  toHttpStatus,
} from './status-mapping';

/** Shaped like libs/inference's errors: a `code` string and `retriable`, no platform import. */
class LibError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

describe('error -> status mapping', () => {
  const table: Array<[string, status, number, boolean]> = [
    ['CANCELLED', status.CANCELLED, 499, false],
    ['INVALID_ARGUMENT', status.INVALID_ARGUMENT, 400, false],
    ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED, 504, true],
    ['NOT_FOUND', status.NOT_FOUND, 404, false],
    ['ALREADY_EXISTS', status.ALREADY_EXISTS, 409, false],
    ['PERMISSION_DENIED', status.PERMISSION_DENIED, 403, false],
    ['RESOURCE_EXHAUSTED', status.RESOURCE_EXHAUSTED, 429, true],
    ['FAILED_PRECONDITION', status.FAILED_PRECONDITION, 400, false],
    ['ABORTED', status.ABORTED, 409, true],
    ['UNIMPLEMENTED', status.UNIMPLEMENTED, 501, false],
    ['INTERNAL', status.INTERNAL, 500, false],
    ['UNAVAILABLE', status.UNAVAILABLE, 503, true],
    ['UNAUTHENTICATED', status.UNAUTHENTICATED, 401, false],
  ];

  it('covers every code in the vocabulary', () => {
    expect(table.map(([code]) => code).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each(table)('duck-typed code %s -> gRPC %i, HTTP %i, default retriable %s', (code, grpc, http, retriable) => {
    const err = Object.assign(new Error('boom'), { code });
    expect(toGrpcStatus(err)).toBe(grpc);
    expect(toHttpStatus(err)).toBe(http);
    expect(describeError(err).retriable).toBe(retriable);
  });

  it.each([
    [new ValidationError('text is empty'), status.INVALID_ARGUMENT, 400, false],
    [new ValidationError('text too long', { kind: 'too-large' }), status.INVALID_ARGUMENT, 413, false],
    [new ValidationError('limit exceeds candidates', { kind: 'unprocessable' }), status.INVALID_ARGUMENT, 422, false],
    [new OverloadedError('queue full'), status.RESOURCE_EXHAUSTED, 429, true],
    [new UnavailableError('model loading'), status.UNAVAILABLE, 503, true],
    [new DeadlineError(), status.DEADLINE_EXCEEDED, 504, true],
    [new AuthError(), status.UNAUTHENTICATED, 401, false],
    [new NotFoundError('no such session'), status.NOT_FOUND, 404, false],
  ])('%s maps to gRPC %i / HTTP %i, retriable %s', (err, grpc, http, retriable) => {
    expect(err).toBeInstanceOf(PlatformError);
    expect(toGrpcStatus(err)).toBe(grpc);
    expect(toHttpStatus(err)).toBe(http);
    expect(err.retriable).toBe(retriable);
    expect(describeError(err).message).toBe(err.message);
  });

  it('honours a lib error retriable flag over the code default', () => {
    const fetchFailed = new LibError('checksum mismatch', 'UNAVAILABLE', false);
    expect(describeError(fetchFailed)).toMatchObject({ code: 'UNAVAILABLE', retriable: false, httpStatus: 503 });
    expect(toGrpcStatus(new LibError('queue full', 'RESOURCE_EXHAUSTED', true))).toBe(status.RESOURCE_EXHAUSTED);
  });

  it('honours a duck-typed httpStatus only when it is a 4xx/5xx integer', () => {
    expect(toHttpStatus(Object.assign(new Error('x'), { code: 'INVALID_ARGUMENT', httpStatus: 413 }))).toBe(413);
    expect(toHttpStatus(Object.assign(new Error('x'), { code: 'INVALID_ARGUMENT', httpStatus: 200 }))).toBe(400);
    expect(toHttpStatus(Object.assign(new Error('x'), { code: 'INVALID_ARGUMENT', httpStatus: '413' }))).toBe(400);
  });

  it('maps unknown errors, Node system errors and non-errors to INTERNAL without leaking details', () => {
    const secret = new Error('connect to postgres://user:pw@db failed');
    for (const err of [secret, Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'a string', null, 42]) {
      const d = describeError(err);
      expect(d).toEqual({ code: 'INTERNAL', message: 'Internal error', retriable: false, grpcStatus: status.INTERNAL, httpStatus: 500 });
    }
    expect(JSON.stringify(toHttpErrorBody(secret))).not.toContain('postgres');
    expect(toGrpcServiceError(secret).details).toBe('Internal error');
  });

  it('hides the message of errors that declare INTERNAL themselves', () => {
    expect(describeError(new LibError('tensor shape [3] at /opt/x', 'INTERNAL', false)).message).toBe('Internal error');
  });

  it('maps a downstream gRPC ServiceError by its numeric code', () => {
    const downstream = Object.assign(new Error('14 UNAVAILABLE: connect failed'), {
      code: status.UNAVAILABLE,
      details: 'connect failed',
    });
    expect(describeError(downstream)).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, retriable: true });
  });

  it('builds gRPC status objects with a retriable trailer and HTTP bodies with the request id', () => {
    const s = toGrpcServiceError(new OverloadedError('queue full'));
    expect(s.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(s.details).toBe('queue full');
    expect(s.metadata?.get(RETRIABLE_METADATA_KEY)).toEqual(['true']);
    expect(toHttpErrorBody(new ValidationError('text is empty', { field: 'text' }), 'req-1')).toEqual({
      error: { code: 'INVALID_ARGUMENT', message: 'text is empty', retriable: false, requestId: 'req-1' },
    });
  });

  it('gives retriable RESOURCE_EXHAUSTED and UNAVAILABLE a retry-after trailer (seconds) and grpc-retry-pushback-ms', () => {
    const hinted = toGrpcServiceError(new OverloadedError('queue full', { retryAfterMs: 2_500 }));
    expect(hinted.metadata?.get(RETRY_AFTER_METADATA_KEY)).toEqual(['3']);
    expect(hinted.metadata?.get(RETRY_PUSHBACK_METADATA_KEY)).toEqual(['2500']);
    // A lib error's duck-typed hint counts too.
    const lib = Object.assign(new LibError('redis down', 'UNAVAILABLE', true), { retryAfterMs: 1_000 });
    expect(toGrpcServiceError(lib).metadata?.get(RETRY_AFTER_METADATA_KEY)).toEqual(['1']);
    // Without a hint: the caller's default, else nothing.
    expect(toGrpcServiceError(new UnavailableError('down'), { defaultRetryAfterMs: 4_000 }).metadata?.get(RETRY_AFTER_METADATA_KEY)).toEqual(['4']);
    expect(toGrpcServiceError(new UnavailableError('down')).metadata?.get(RETRY_AFTER_METADATA_KEY)).toEqual([]);
  });

  it('never hints a retry for a non-retriable error or another code', () => {
    const cases = [
      new OverloadedError('turn limit reached', { retriable: false, retryAfterMs: 1_000 }),
      new DeadlineError('late', { retryAfterMs: 1_000 }),
      new ValidationError('bad'),
      new Error('boom'),
    ];
    for (const err of cases) {
      expect(retryAfterMsOf(err, 1_000)).toBeUndefined();
      const md = toGrpcServiceError(err, { defaultRetryAfterMs: 1_000 }).metadata;
      expect(md?.get(RETRY_AFTER_METADATA_KEY)).toEqual([]);
      expect(md?.get(RETRY_PUSHBACK_METADATA_KEY)).toEqual([]);
    }
    expect(retryAfterMsOf(Object.assign(new UnavailableError('x'), { retryAfterMs: -5 }), 700)).toBe(700);
  });
});
