import { PermanentProcessingError, TransientProcessingError } from '@tuneline/events';
import { PlatformError, UnavailableError } from '@tuneline/platform';
import { processingError } from './consumers';

/** What the shared group does with a failed profile update: retried without limit, or dead-lettered at once. */
describe('processingError (shared group, profile updates)', () => {
  it('retries an outage: UNAVAILABLE, a conflict, an unknown error', () => {
    for (const err of [new UnavailableError('profile store unavailable; retry shortly'), new PlatformError('changed under us', 'ABORTED'), new Error('socket hang up')]) {
      expect(processingError(err, 'profile update of user u')).toBeInstanceOf(TransientProcessingError);
    }
  });

  it('dead-letters what no retry cures: a TypeError/RangeError (a data fault, a refused event) and any error marked not retriable', () => {
    for (const err of [new TypeError('profile of u: stored value is not a profile'), new RangeError('ts is in the future'),
      new PlatformError('profile store refused the command', 'INTERNAL', { retriable: false })]) {
      const out = processingError(err, 'profile update of user u');
      expect(out).toBeInstanceOf(PermanentProcessingError);
      expect(out.message).toMatch(/^profile update of user u: /);
    }
  });
});
