import { NotFoundError, SessionConflictError, SessionHandedOffError, SupportContentError, SupportError, TurnCancelledError, TurnLimitError, ValidationError } from './errors';

// The fields libs/platform's describeError duck-types on (docs/platform.md, "Error contract").
function contract(err: SupportError): { code: string; retriable: boolean; httpStatus: number; name: string } {
  return { code: err.code, retriable: err.retriable, httpStatus: err.httpStatus, name: err.name };
}

describe('support errors', () => {
  it.each([
    [new ValidationError('bad', { field: 'text' }), { code: 'INVALID_ARGUMENT', retriable: false, httpStatus: 400, name: 'ValidationError' }],
    [new ValidationError('long', { field: 'text', kind: 'too-large' }), { code: 'INVALID_ARGUMENT', retriable: false, httpStatus: 413, name: 'ValidationError' }],
    [new NotFoundError('gone'), { code: 'NOT_FOUND', retriable: false, httpStatus: 404, name: 'NotFoundError' }],
    [new TurnLimitError('s', 50), { code: 'RESOURCE_EXHAUSTED', retriable: false, httpStatus: 429, name: 'TurnLimitError' }],
    [new SessionHandedOffError('s', 'HO-1'), { code: 'FAILED_PRECONDITION', retriable: false, httpStatus: 400, name: 'SessionHandedOffError' }],
    [new SessionConflictError('s'), { code: 'ABORTED', retriable: true, httpStatus: 409, name: 'SessionConflictError' }],
    [new SupportContentError('bad front matter', 'a.md'), { code: 'FAILED_PRECONDITION', retriable: false, httpStatus: 400, name: 'SupportContentError' }],
    [new SupportError('full', 'RESOURCE_EXHAUSTED'), { code: 'RESOURCE_EXHAUSTED', retriable: true, httpStatus: 429, name: 'SupportError' }],
    // Platform table: CANCELLED → 499 (client closed), DEADLINE_EXCEEDED → 504 retriable.
    [new TurnCancelledError('s'), { code: 'CANCELLED', retriable: false, httpStatus: 499, name: 'AbortError' }],
    [new TurnCancelledError('s', Object.assign(new Error('deadline'), { code: 'DEADLINE_EXCEEDED' })), { code: 'DEADLINE_EXCEEDED', retriable: true, httpStatus: 504, name: 'AbortError' }],
    [new TurnCancelledError('s', new DOMException('timed out', 'TimeoutError')), { code: 'DEADLINE_EXCEEDED', retriable: true, httpStatus: 504, name: 'AbortError' }],
  ])('%s carries the platform contract fields', (err, expected) => {
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(SupportError);
    expect(contract(err)).toEqual(expected);
  });

  it('keeps the field, the source and the cause', () => {
    const cause = new Error('root');
    expect(new ValidationError('x', { field: 'locale', cause })).toMatchObject({ field: 'locale', kind: 'invalid', cause });
    expect(new SupportContentError('bad', 'zh/templates.json').message).toBe('zh/templates.json: bad');
  });
});
