import { HubClosedError, InvalidAlertFilterError, TooManySubscribersError } from '@tuneline/sentiment';
import { platformErrorOf } from './serving-errors';

describe('platformErrorOf (serving errors → the platform\'s)', () => {
  it('maps each serving error to the status the docs promise', () => {
    expect(platformErrorOf(new InvalidAlertFilterError('minSeverity', 'must be one of ...'))).toMatchObject({ code: 'INVALID_ARGUMENT', httpStatus: 400 });
    expect(platformErrorOf(new TooManySubscribersError(2))).toMatchObject({ code: 'RESOURCE_EXHAUSTED', httpStatus: 429, retriable: true });
    // A stream opened while the service shuts down: another replica can take it.
    expect(platformErrorOf(new HubClosedError())).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, retriable: true });
  });

  it('passes anything else through', () => {
    const bug = new TypeError('x');
    expect(platformErrorOf(bug)).toBe(bug);
  });
});
