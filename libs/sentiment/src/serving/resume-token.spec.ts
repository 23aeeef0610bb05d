import { InvalidResumeTokenError } from './errors';
import { decodeResumeToken, encodeResumeToken, MAX_RESUME_TOKEN_CHARS } from './resume-token';

const raw = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('resume tokens', () => {
  it('round-trips an offset vector through an opaque base64url string, whatever the insertion order', () => {
    const token = encodeResumeToken(new Map([[3, 120], [0, 7], [11, 9_007_199_254_740_991]]));
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect([...decodeResumeToken(token)]).toEqual([[0, 7], [3, 120], [11, 9_007_199_254_740_991]]);
    expect(encodeResumeToken(new Map([[0, 7], [11, 9_007_199_254_740_991], [3, 120]]))).toBe(token);
  });

  it('accepts the empty vector (nothing read yet)', () => {
    expect(decodeResumeToken(encodeResumeToken(new Map())).size).toBe(0);
  });

  it.each([
    ['empty', ''],
    ['outside the base64url alphabet', 'djE6MC4x*'],
    ['base64 padding', `${raw('v1:0.1')}==`],
    ['another version', raw('v2:0.1')],
    ['no version', raw('0.1')],
    ['not a vector', raw('v1:zero.one')],
    ['a negative offset', raw('v1:0.-1')],
    ['partitions out of order', raw('v1:2.5,1.3')],
    ['a repeated partition', raw('v1:1.5,1.6')],
    ['a leading zero', raw('v1:01.5')],
    ['an offset past 2^53', raw('v1:0.9007199254740993')],
    ['a trailing comma', raw('v1:0.1,')],
    ['too long', 'A'.repeat(MAX_RESUME_TOKEN_CHARS + 1)],
  ])('rejects %s with INVALID_RESUME_TOKEN', (_case, token) => {
    let caught: unknown;
    try {
      decodeResumeToken(token);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidResumeTokenError);
    expect((caught as InvalidResumeTokenError).code).toBe('INVALID_RESUME_TOKEN');
  });
});
