import { samples } from '../test/support/samples';
import { decodeHeaders, decodeValue, encodeValue, isUtf8 } from './codec';
import { DecodeError, SchemaValidationError } from './errors';
import { TOPICS } from './topics';

describe('codec', () => {
  it('round-trips a value through JSON', () => {
    const { bytes, parsed } = encodeValue(TOPICS.userEvents, samples.userEvent());
    expect(parsed).toEqual(samples.userEvent());
    expect(decodeValue(TOPICS.userEvents, bytes)).toEqual(samples.userEvent());
  });

  it('refuses to encode a value that breaks the schema', () => {
    const bad = { ...samples.userEvent(), type: 'hover' } as unknown as ReturnType<typeof samples.userEvent>;
    expect(() => encodeValue(TOPICS.userEvents, bad)).toThrow(SchemaValidationError);
  });

  it('raises DecodeError for null, non-UTF-8 and non-JSON values', () => {
    expect(() => decodeValue(TOPICS.userEvents, null)).toThrow(new DecodeError('user.events', 'value is null (tombstone)'));
    expect(() => decodeValue(TOPICS.userEvents, Buffer.from([0xff, 0xfe, 0x00]))).toThrow(/not valid UTF-8/);
    expect(() => decodeValue(TOPICS.userEvents, Buffer.from('{"userId":'))).toThrow(/not JSON/);
  });

  it('raises SchemaValidationError for valid JSON of the wrong shape', () => {
    const error = (() => {
      try {
        decodeValue(TOPICS.userEvents, Buffer.from(JSON.stringify({ userId: 'u' })));
      } catch (err) {
        return err as SchemaValidationError;
      }
      throw new Error('expected a SchemaValidationError');
    })();
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['itemId', 'ts', 'type']);
  });

  it('decodes headers to strings, first value wins', () => {
    expect(decodeHeaders({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('1'), '2'], d: undefined })).toEqual({ a: 'x', b: 'y', c: '1' });
    expect(decodeHeaders(undefined)).toEqual({});
    // A header without a value reaches KafkaJS's consumer as null: left out, never a TypeError.
    expect(decodeHeaders({ a: null, b: [null, 'x'], c: 'y' })).toEqual({ b: 'x', c: 'y' });
  });

  it('detects UTF-8', () => {
    expect(isUtf8(Buffer.from('héllo'))).toBe(true);
    expect(isUtf8(Buffer.from([0xc3, 0x28]))).toBe(false);
  });
});
