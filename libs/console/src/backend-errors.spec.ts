import { status } from '@grpc/grpc-js';
import { describeError, ValidationError } from '@tuneline/platform';
import { backendError } from './backend-errors';

const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

describe('backendError', () => {
  it.each([
    [status.UNAVAILABLE, 503, 'support-chat is unavailable: connect ECONNREFUSED'],
    [status.DEADLINE_EXCEEDED, 503, 'support-chat is unavailable: connect ECONNREFUSED'],
    [status.INVALID_ARGUMENT, 400, 'support-chat: connect ECONNREFUSED'],
    [status.NOT_FOUND, 404, 'support-chat: connect ECONNREFUSED'],
    [status.RESOURCE_EXHAUSTED, 429, 'support-chat is overloaded: connect ECONNREFUSED'],
    [status.INTERNAL, 502, 'support-chat failed (gRPC INTERNAL): connect ECONNREFUSED'],
  ])('maps gRPC code %s to HTTP %s with a message naming the service', (code, http, message) => {
    const d = describeError(backendError('support-chat', grpcError(code, 'connect ECONNREFUSED Resolution note: ')));
    expect(d.httpStatus).toBe(http);
    expect(d.message).toBe(message);
  });

  it('leaves an already mapped error alone and names the service on a non-gRPC failure', () => {
    const mapped = new ValidationError('x');
    expect(backendError('recommender', mapped)).toBe(mapped);
    const d = describeError(backendError('recommender', new Error('socket hang up')));
    expect(d.httpStatus).toBe(502);
    expect(d.message).toBe('recommender failed: socket hang up');
  });
});
