/** JSON over HTTP and a Server-Sent Events reader (global fetch), for the demo and the e2e test. */

export interface JsonResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** POST (with a body) or GET (without) a JSON endpoint; non-JSON answers come back as { text }. */
export async function requestJson(url: string, body?: unknown, timeoutMs = 30_000): Promise<JsonResponse> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  try {
    const parsed: unknown = JSON.parse(text);
    return { status: res.status, body: parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed } };
  } catch {
    return { status: res.status, body: { text } };
  }
}

export interface SseEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
}

/**
 * Reads an SSE stream until `until` accepts an event (resolves with it) or the timeout passes
 * (rejects, saying how many events came). Every event also goes to `onEvent`.
 */
export async function waitForSse(
  url: string,
  until: (ev: SseEvent) => boolean,
  opts: { readonly timeoutMs: number; readonly onEvent?: (ev: SseEvent) => void; readonly signal?: AbortSignal },
): Promise<SseEvent> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error(`timeout`)), opts.timeoutMs);
  opts.signal?.addEventListener('abort', () => ctl.abort(opts.signal?.reason));
  let seen = 0;
  try {
    const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: ctl.signal });
    if (res.status !== 200 || !res.body) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const ev = parseSseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!ev) continue;
        seen++;
        opts.onEvent?.(ev);
        if (until(ev)) return ev;
      }
    }
    throw new Error(`${url} ended after ${seen} event(s) without the one awaited`);
  } catch (err) {
    if (ctl.signal.aborted && !opts.signal?.aborted) throw new Error(`${url}: no awaited event in ${opts.timeoutMs} ms (${seen} event(s) seen)`);
    throw err;
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
}

/** One SSE block (lines up to a blank line); comments-only blocks (heartbeats) give undefined. */
export function parseSseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length && event === 'message') return undefined;
  return { event, ...(id !== undefined ? { id } : {}), data: data.join('\n') };
}
