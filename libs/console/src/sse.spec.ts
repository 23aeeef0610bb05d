import { parseSse, sseComment, sseFrame } from './sse';

describe('SSE framing', () => {
  it('frames an event as one data line of JSON, with an optional id, that parses back', () => {
    const frame = sseFrame('chunk', { index: 0, text: 'line one\nline two' }, 'a-1');
    expect(frame).toBe('id: a-1\nevent: chunk\ndata: {"index":0,"text":"line one\\nline two"}\n\n');
    expect(parseSse(frame + sseComment() + sseFrame('final', { ok: true }))).toEqual([
      { event: 'chunk', data: { index: 0, text: 'line one\nline two' }, id: 'a-1' },
      { event: 'final', data: { ok: true } },
    ]);
  });

  it('refuses event names and ids that would split the frame', () => {
    expect(() => sseFrame('final\ndata: {}', {})).toThrow(RangeError);
    expect(() => sseFrame('alert', {}, 'x\ny')).toThrow('line break');
  });

  it('keeps comments to one line', () => {
    expect(sseComment('a\nb')).toBe(': a b\n\n');
  });
});
