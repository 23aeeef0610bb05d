import { parseDuration, parseSurgeSpecs } from './durations';

describe('parseDuration', () => {
  it.each([['2h', 7_200_000], ['30m', 1_800_000], ['1h30m', 5_400_000], ['45s', 45_000], ['1500ms', 1500], ['1.5h', 5_400_000], ['0s', 0]])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '2', 'h', '2d', '1h 30m', '-1h', '30mm'])('rejects %j naming the field', (text) => {
    expect(() => parseDuration(text, 'offset')).toThrow(RangeError);
    expect(() => parseDuration(text, 'offset')).toThrow(/^offset: /);
  });
});

describe('parseSurgeSpecs', () => {
  it('parses entity@offset:duration lists; the entity may contain @ and spaces', () => {
    expect(parseSurgeSpecs('Acme@2h:30m, Northwind Bank@4h:20m,a@b@0s:1m')).toEqual([
      { entity: 'Acme', offsetMs: 7_200_000, durationMs: 1_800_000 },
      { entity: 'Northwind Bank', offsetMs: 14_400_000, durationMs: 1_200_000 },
      { entity: 'a@b', offsetMs: 0, durationMs: 60_000 },
    ]);
    expect(parseSurgeSpecs('')).toEqual([]);
  });

  it.each([['Acme', /^surges\[0\]: "Acme" is not/], ['@2h:30m', /is not <entity>/], ['Acme@2h', /is not <entity>/], ['Acme@2h:0m', /duration must be > 0/], ['Acme@x:30m', /^surges\[0\] offset/]])(
    'rejects %j',
    (text, message) => {
      expect(() => parseSurgeSpecs(text)).toThrow(message);
    },
  );
});
