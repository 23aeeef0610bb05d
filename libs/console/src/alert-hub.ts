/**
 * One upstream StreamAlerts subscription per console process, fanned out to every browser:
 * N open Alerts tabs cost the sentiment monitor one stream, not N, and the hub keeps what a
 * page opened later needs (the recent alerts, each entity's negative-share points). On a
 * failure it reconnects with backoff from its last resume token, so no alert the replica
 * still holds is lost; while it is down, `state()` says why (the BFF answers 503 with it).
 */
import type { SentimentBackend } from './backends';
import { EntitySeries } from './entity-series';
import type { AlertFilter } from './requests';
import type { AlertJson } from './types';

export interface AlertHubOptions {
  readonly backend: Pick<SentimentBackend, 'streamAlerts'>;
  readonly series?: EntitySeries;
  /** Alerts kept for /api/alerts/recent. */
  readonly recentLimit?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onError?: (err: unknown) => void;
}

export interface AlertHubState {
  up: boolean;
  /** Why the upstream stream is not open (the service's error text, naming it). */
  detail: string;
}

type Listener = (alert: AlertJson) => void;

export const INITIAL_RESUME_TOKEN = 'djE6';

const SEVERITY_RANK: Record<AlertJson['severity'], number> = { unspecified: 0, warning: 1, critical: 2 };

/** The same selection StreamAlertsRequest makes (entity alerts by entity, topic alerts by topic), applied locally. */
export function alertMatches(alert: AlertJson, filter: AlertFilter): boolean {
  if (filter.entity.length > 0 || filter.topic.length > 0) {
    const byEntity = alert.entity !== '' && filter.entity.includes(alert.entity);
    const byTopic = alert.entity === '' && alert.topic !== '' && filter.topic.includes(alert.topic);
    if (!byEntity && !byTopic) return false;
  }
  return filter.severity === undefined || SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[filter.severity];
}

export class AlertHub {
  readonly series: EntitySeries;
  private readonly recent: AlertJson[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(state: AlertHubState) => void>();
  private readonly abort = new AbortController();
  /**
   * "v1:" = nothing seen yet (docs/sentiment-monitor.md): the first stream replays every alert the
   * replica holds, so a console started after an alert still lists it; later ones resume after the last.
   */
  private resumeToken: string | undefined = INITIAL_RESUME_TOKEN;
  private current: AlertHubState = { up: false, detail: 'sentiment-monitor: connecting' };
  private loop: Promise<void> | undefined;

  constructor(private readonly options: AlertHubOptions) {
    this.series = options.series ?? new EntitySeries();
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  state(): AlertHubState {
    return { ...this.current };
  }

  recentAlerts(filter: AlertFilter): AlertJson[] {
    return this.recent.filter((a) => alertMatches(a, filter));
  }

  /** Calls `listener` with every later alert that matches; returns the unsubscribe. */
  subscribe(filter: AlertFilter, listener: Listener): () => void {
    const wrapped: Listener = (a) => {
      if (alertMatches(a, filter)) listener(a);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** Calls `listener` on every change of the upstream state (an open SSE stream tells the page). */
  subscribeState(listener: (state: AlertHubState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(next: AlertHubState): void {
    const changed = next.up !== this.current.up || next.detail !== this.current.detail;
    this.current = next;
    if (changed) for (const l of this.stateListeners) l({ ...next });
  }

  /** Visible for tests: what the upstream loop does with one alert. */
  accept(alert: AlertJson): void {
    if (this.recent.some((a) => a.alertId === alert.alertId)) return; // a redelivery after a resume
    this.recent.unshift(alert);
    this.recent.length = Math.min(this.recent.length, this.options.recentLimit ?? 100);
    if (alert.entity !== '' && alert.windowEnd) {
      this.series.add(alert.entity, { at: alert.windowEnd, negativeShare: alert.negativeShare, total: alert.totalCount, source: 'alert' });
    }
    for (const l of this.listeners) l(alert);
  }

  private async run(): Promise<void> {
    const min = this.options.minBackoffMs ?? 500;
    const max = this.options.maxBackoffMs ?? 5_000;
    let backoff = min;
    const everything: AlertFilter = { entity: [], topic: [] };
    while (!this.abort.signal.aborted) {
      try {
        const stream = this.options.backend.streamAlerts(everything, this.resumeToken, this.abort.signal);
        // grpc-js reports a refused connection only when the first read fails: up once iteration starts cleanly.
        this.setState({ up: true, detail: 'streaming' });
        for await (const message of stream) {
          backoff = min;
          if (message.resumeToken) this.resumeToken = message.resumeToken;
          this.accept(message.alert);
        }
        if (this.abort.signal.aborted) return;
        this.setState({ up: false, detail: 'sentiment-monitor ended the alert stream' });
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.setState({ up: false, detail: err instanceof Error ? err.message : String(err) });
        this.options.onError?.(err);
      }
      await sleep(backoff, this.abort.signal);
      backoff = Math.min(max, backoff * 2);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
