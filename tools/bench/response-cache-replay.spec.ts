import { buildReplay, repeatShare } from './response-cache-replay';

const unique = Array.from({ length: 5000 }, (_, i) => `message ${i}`);

describe('response-cache replay', () => {
  it('repeats earlier messages at about the asked rate, the same stream for the same seed', () => {
    const stream = buildReplay(unique, { requests: 4000, repeatRate: 0.3, seed: 17 });
    expect(stream).toHaveLength(4000);
    expect(repeatShare(stream)).toBeGreaterThan(0.27);
    expect(repeatShare(stream)).toBeLessThan(0.33);
    expect(buildReplay(unique, { requests: 4000, repeatRate: 0.3, seed: 17 })).toEqual(stream);
  });

  it('makes early (popular) messages repeat most, and none at rate 0', () => {
    const stream = buildReplay(unique, { requests: 4000, repeatRate: 0.5, seed: 1 });
    const count = (t: string) => stream.filter((s) => s === t).length;
    expect(count('message 0')).toBeGreaterThan(count('message 500') + 20);
    expect(repeatShare(buildReplay(unique, { requests: 1000, repeatRate: 0, seed: 1 }))).toBe(0);
    expect(() => buildReplay(unique, { requests: 10, repeatRate: 1, seed: 1 })).toThrow(RangeError);
  });
});
