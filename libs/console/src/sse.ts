/**
 * Server-sent events framing. Data is JSON on one line (JSON.stringify never emits raw
 * newlines), so an event is always one `data:` line; event names are checked because a
 * newline in one would split the frame and let data forge events.
 */
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function sseFrame(event: string, data: unknown, id?: string): string {
  if (!EVENT_NAME.test(event)) throw new RangeError(`SSE event name "${event}" must match ${EVENT_NAME}`);
  if (id !== undefined && /[\r\n]/.test(id)) throw new RangeError('SSE id must not contain a line break');
  const json = JSON.stringify(data ?? null);
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${json}\n\n`;
}

/** A comment line: keeps proxies and the browser from timing an idle stream out. */
export function sseComment(text = 'keep-alive'): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** Parses frames back (tests, and any Node client of the BFF). Comments are dropped. */
export function parseSse(text: string): { event: string; data: unknown; id?: string }[] {
  const out: { event: string; data: unknown; id?: string }[] = [];
  for (const block of text.split('\n\n')) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('id: ')) id = line.slice(4);
    }
    if (data.length > 0) out.push({ event, data: JSON.parse(data.join('\n')) as unknown, ...(id !== undefined ? { id } : {}) });
  }
  return out;
}
