import { parseNewsLines, rebaseTimes } from './news-lines';

const good = (id: string, at = '2025-01-06T08:00:00Z') => JSON.stringify({ id, source: 's', published_at: at, title: 't', body: '', language: 'en' });

describe('parseNewsLines', () => {
  it('keeps valid lines, skips blank ones and reports bad ones with 1-based line numbers', () => {
    const text = [good('a'), '', '{not json', JSON.stringify({ id: 'b' }), good('c'), JSON.stringify({ id: 'd', source: 's', published_at: 'x', title: '', body: '', language: 'en' }), ''].join('\n');
    const { records, bad } = parseNewsLines(text);
    expect(records.map((r) => [r.line, r.value.id])).toEqual([[1, 'a'], [5, 'c']]);
    expect(bad.map((b) => b.line)).toEqual([3, 4, 6]);
    expect(bad[0]?.reason).toMatch(/^not JSON/);
    expect(bad[1]?.reason).toMatch(/source/);
    expect(bad[2]?.reason).toMatch(/published_at/);
  });

  it('accepts CRLF line endings', () => {
    expect(parseNewsLines(`${good('a')}\r\n${good('b')}\r\n`).records).toHaveLength(2);
  });
});

describe('rebaseTimes', () => {
  it('moves the newest item to now and keeps every gap, late items included', () => {
    const values = parseNewsLines([good('a', '2025-01-06T08:00:10Z'), good('b', '2025-01-06T08:00:00+00:00'), good('c', '2025-01-06T09:30:00+01:00')].join('\n')).records.map((r) => r.value);
    const now = Date.UTC(2026, 1, 1, 12, 0, 0);
    expect(rebaseTimes(values, now).map((v) => v.published_at)).toEqual(['2026-02-01T11:30:10.000Z', '2026-02-01T11:30:00.000Z', '2026-02-01T12:00:00.000Z']);
    expect(rebaseTimes([], now)).toEqual([]);
  });

  it('takes a stream far longer than a call stack can spread (300 000 items)', () => {
    const base = Date.UTC(2025, 0, 6);
    const values = Array.from({ length: 300_000 }, (_, i) => ({ id: `n${i}`, source: 's', published_at: new Date(base + i * 1_000).toISOString(), title: 't', body: '', language: 'en' }));
    const out = rebaseTimes(values, base + 1_000_000_000);
    expect(out.at(-1)?.published_at).toBe(new Date(base + 1_000_000_000).toISOString());
    expect(Date.parse(out[1]?.published_at ?? '') - Date.parse(out[0]?.published_at ?? '')).toBe(1_000);
  });
});
