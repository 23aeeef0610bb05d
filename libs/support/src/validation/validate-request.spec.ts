import { ValidationError } from '../errors';
import { echoValue, hasControlCharacters, validateHandoffReason, validateLocale, validateMessageText, validateSessionId } from './validate-request';

describe('request validation', () => {
  it.each([
    ['', /session_id is required/],
    [undefined, /session_id is required/],
    ['has space', /may only contain/],
    ['semi;colon', /may only contain/],
    ['ünïcode', /may only contain/],
    ['../etc', /may only contain/],
    ['x'.repeat(129), /129 characters; the limit is 128/],
  ])('session id %j → INVALID_ARGUMENT', (id, message) => {
    const call = () => validateSessionId(id);
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(message);
  });

  it('accepts ids of the documented alphabet up to 128 characters', () => {
    expect(validateSessionId('web:user-42.session_7')).toBe('web:user-42.session_7');
    expect(validateSessionId('a'.repeat(128))).toHaveLength(128);
  });

  it.each([
    ['', /empty or whitespace only/, 400],
    ['   \n\t ', /empty or whitespace only/, 400],
    [42, /text is required/, 400],
    ['x'.repeat(2001), /2001 characters; the limit is 2000/, 413],
    ['hi\u0000there', /control characters/, 400],
  ])('text %j → INVALID_ARGUMENT', (text, message, httpStatus) => {
    try {
      validateMessageText(text, 2000);
      throw new Error('did not throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'text', httpStatus, retriable: false });
      expect((err as Error).message).toMatch(message);
    }
  });

  it('trims accepted text, keeps inner newlines and accepts exactly the limit', () => {
    expect(validateMessageText('  hello\nthere  ', 2000)).toBe('hello\nthere');
    expect(validateMessageText('x'.repeat(2000), 2000)).toHaveLength(2000);
  });

  it('defaults the locale to en and rejects malformed tags', () => {
    expect(validateLocale('')).toBe('en');
    expect(validateLocale(undefined)).toBe('en');
    expect(validateLocale('zh-Hans-CN')).toBe('zh-Hans-CN');
    expect(validateLocale('en_GB')).toBe('en_GB');
    expect(() => validateLocale('english please')).toThrow(/not a BCP 47 language tag/);
    expect(() => validateLocale('e')).toThrow(ValidationError);
  });

  it('echoes at most 64 characters of a rejected locale in the message', () => {
    const long = `${'a'.repeat(60)}-${'b'.repeat(10_000)}`;
    const message = (() => {
      try {
        validateLocale(long);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/not a BCP 47 language tag/);
    expect(message).toContain('10061 characters');
    expect(message.length).toBeLessThan(200);
    expect(() => validateLocale({ toString: () => 'x'.repeat(10_000) })).toThrow(/not a BCP 47/);
  });

  it('echoValue: short values as JSON, long ones cut at the limit with their length', () => {
    expect(echoValue('close')).toBe('"close"');
    expect(echoValue(undefined)).toBe('undefined');
    expect(echoValue('x'.repeat(100))).toBe(`"${'x'.repeat(64)}"… (100 characters)`);
    expect(echoValue({ a: 'y'.repeat(100) }).length).toBeLessThanOrEqual(65);
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(echoValue(circular)).toBe('object');
  });

  it('hasControlCharacters: C0 controls other than tab, LF and CR', () => {
    expect(hasControlCharacters('tab\there\r\nnewline')).toBe(false);
    expect(hasControlCharacters('bell\u0007')).toBe(true);
    expect(hasControlCharacters('nul\u0000')).toBe(true);
    expect(hasControlCharacters('esc\u001b[0m')).toBe(true);
  });

  it('requires a handoff reason only when asked, and bounds its length', () => {
    expect(validateHandoffReason(undefined, 500, false)).toBe('');
    expect(validateHandoffReason('  customer asked  ', 500, true)).toBe('customer asked');
    expect(() => validateHandoffReason(' ', 500, true)).toThrow(/reason is required/);
    expect(() => validateHandoffReason('x'.repeat(501), 500, true)).toThrow(/501 characters; the limit is 500/);
    expect(() => validateHandoffReason(7, 500, false)).toThrow(/must be a string/);
  });
});
