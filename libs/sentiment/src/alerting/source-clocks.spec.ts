import { SourceClocks } from './source-clocks';

const MIN = 60_000;
const params = { allowedLatenessMs: 2 * MIN, sourceIdleMs: 30 * MIN, idleKeyTtlMs: 60 * MIN };

describe('SourceClocks', () => {
  it('the clock is the newest second-newest time of any source; the watermark the slowest active source − lateness', () => {
    const c = new SourceClocks(params);
    expect([c.clockMs, c.watermarkMs]).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    c.observe('a', 0);
    c.observe('b', 0);
    expect(c.clockMs).toBe(0); // the first event until a source confirms a later time
    c.observe('a', 40 * MIN);
    expect(c.clockMs).toBe(0); // one item of a: not confirmed
    c.observe('a', 41 * MIN);
    expect(c.clockMs).toBe(40 * MIN);
    // b (at 0) is 40 minutes behind: idle; a alone sets the watermark.
    expect(c.watermarkMs).toBe(39 * MIN);
    c.observe('a', 10 * MIN); // an old item moves nothing
    expect([c.clockMs, c.watermarkMs]).toEqual([40 * MIN, 39 * MIN]);
  });

  it('holds the watermark at the first event − sourceIdleMs for sourceIdleMs of clock (unseen sources)', () => {
    const c = new SourceClocks(params);
    for (let m = 0; m <= 30; m++) c.observe('a', m * MIN);
    expect(c.clockMs).toBe(29 * MIN);
    // An unseen source may still bring items up to sourceIdleMs older than the first one.
    expect(c.watermarkMs).toBe(-params.sourceIdleMs);
    c.observe('a', 31 * MIN);
    expect(c.watermarkMs).toBe(29 * MIN);
  });

  it('never moves the watermark back when a slower source appears', () => {
    const c = new SourceClocks(params);
    for (let m = 0; m <= 40; m++) c.observe('a', m * MIN);
    const w = c.watermarkMs;
    c.observe('late-comer', 20 * MIN);
    expect(c.watermarkMs).toBe(w);
  });

  it('forgets a source max(sourceIdleMs, idleKeyTtlMs) behind the clock', () => {
    const c = new SourceClocks(params);
    c.observe('old', 0);
    c.observe('a', 0);
    c.observe('a', 61 * MIN);
    expect(c.size).toBe(2);
    c.observe('a', 62 * MIN);
    expect(c.state().sources.map((s) => s.source)).toEqual(['a']);
  });

  it('state() restores to clocks that behave the same', () => {
    const a = new SourceClocks(params);
    for (const [s, t] of [['x', 0], ['y', 5], ['x', 7], ['y', 3], ['x', 40]] as const) a.observe(s, t * MIN);
    const b = new SourceClocks(params, JSON.parse(JSON.stringify(a.state())));
    expect(b.state()).toEqual(a.state());
    a.observe('y', 45 * MIN);
    b.observe('y', 45 * MIN);
    expect(b.state()).toEqual(a.state());
    expect(a.state().sources).toEqual([
      { source: 'x', newestMs: 40 * MIN, confirmedMs: 7 * MIN },
      { source: 'y', newestMs: 45 * MIN, confirmedMs: 5 * MIN },
    ]);
  });
});
