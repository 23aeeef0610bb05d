import { parseWindowKey, windowKeyOf } from './window-key';

describe('window keys', () => {
  it('round-trips kind and name, names may contain colons', () => {
    expect(windowKeyOf('entity', 'Acme Corp')).toBe('entity:Acme Corp');
    expect(parseWindowKey('topic:rates:us')).toEqual({ kind: 'topic', name: 'rates:us' });
    expect(parseWindowKey(windowKeyOf('entity', 'X'))).toEqual({ kind: 'entity', name: 'X' });
  });

  it.each(['', 'entity:', ':x', 'ticker:ACME', 'entity'])('rejects %j naming the field', (key) => {
    expect(() => parseWindowKey(key)).toThrow(/^key: /);
  });

  it('rejects an empty name or an unknown kind', () => {
    expect(() => windowKeyOf('entity', '')).toThrow(TypeError);
    expect(() => windowKeyOf('ticker' as never, 'x')).toThrow(/^kind: /);
  });
});
