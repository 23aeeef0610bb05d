/** A minimal Server-Sent Events client over fetch for the specs: records comments and events as they arrive. */
import { waitFor } from './harness';

export interface SseEventRecord<T = { alertId: string }> {
  readonly id: string;
  readonly event: string;
  readonly data: T;
}

export class SseClient {
  private readonly controller = new AbortController();
  private readonly events: SseEventRecord[] = [];
  private readonly comments: string[] = [];
  private status = 0;
  private failure: unknown;

  constructor(url: string, headers: Record<string, string> = {}) {
    void this.read(url, headers).catch((err: unknown) => {
      if (!this.controller.signal.aborted) this.failure = err;
    });
  }

  /** Resolves once the server said `: subscribed` (the hub subscription is in place). */
  async subscribed(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.comments.includes('subscribed') || this.failure !== undefined, timeoutMs, () => `the SSE subscription (status ${this.status})`);
    if (this.failure !== undefined) throw this.failure;
  }

  alerts(): SseEventRecord[] {
    return this.events.filter((e) => e.event === 'alert');
  }

  all(): readonly SseEventRecord[] {
    return this.events;
  }

  /** `: heartbeat` comments so far. The server sends one only after a quiet spell, behind every frame queued before it. */
  heartbeats(): number {
    return this.comments.filter((c) => c === 'heartbeat').length;
  }

  /** Waits for the next heartbeat: whatever the server had queued by now has arrived. */
  async quiet(timeoutMs = 10_000): Promise<void> {
    const seen = this.heartbeats();
    await waitFor(() => this.heartbeats() > seen || this.failure !== undefined, timeoutMs, () => 'a heartbeat');
    if (this.failure !== undefined) throw this.failure;
  }

  close(): void {
    this.controller.abort();
  }

  private async read(url: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.controller.signal });
    this.status = res.status;
    if (res.status !== 200 || !res.body) throw new Error(`SSE answered ${res.status}: ${await res.text()}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.take(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  private take(block: string): void {
    let id = '';
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(': ')) this.comments.push(line.slice(2));
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (data !== '') this.events.push({ id, event, data: JSON.parse(data) as { alertId: string } });
  }
}
