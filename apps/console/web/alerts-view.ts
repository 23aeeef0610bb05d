/** Alerts: live SSE stream with entity/topic/severity filters and a negative-share sparkline per entity. */
import { html, LitElement, nothing, svg } from 'lit';
import type { AlertJson, EntitySeriesJson, SeriesPointJson } from '@tuneline/console';
import { getJson, pct } from './api';

const RETRY_MS = 3_000;

export function sparkline(points: readonly SeriesPointJson[], label: string) {
  const w = 120;
  const h = 28;
  if (points.length === 0) return html`<span class="muted">no data yet</span>`;
  const xs = points.map((_, i) => (points.length === 1 ? w / 2 : (i * w) / (points.length - 1)));
  const ys = points.map((p) => h - 2 - p.negativeShare * (h - 4));
  const path = xs.map((x, i) => `${x.toFixed(1)},${(ys[i] ?? 0).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  return html`<svg class="spark" width=${w} height=${h} viewBox="0 0 ${w} ${h}" role="img" aria-label="${label}: negative share over ${points.length} points, latest ${pct(last?.negativeShare ?? 0)}">
    ${svg`<polyline fill="none" stroke="currentColor" stroke-width="2" points=${path}></polyline>`}
  </svg>`;
}

export class AlertsView extends LitElement {
  static override properties = { alerts: { state: true }, error: { state: true }, series: { state: true }, filter: { state: true } };
  declare alerts: AlertJson[];
  declare error: string;
  declare series: Record<string, SeriesPointJson[]>;
  declare filter: { entity: string; topic: string; severity: string };
  private source: EventSource | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.alerts = [];
    this.error = '';
    this.series = {};
    this.filter = { entity: '', topic: '', severity: '' };
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.close();
  }

  private query(): string {
    const q = new URLSearchParams();
    if (this.filter.entity) q.set('entity', this.filter.entity);
    if (this.filter.topic) q.set('topic', this.filter.topic);
    if (this.filter.severity) q.set('severity', this.filter.severity);
    return q.toString();
  }

  private close(): void {
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.retry);
  }

  /** Recent alerts first, then the live stream; on failure the error state, and a retry. */
  private async open(): Promise<void> {
    this.close();
    const query = this.query();
    try {
      this.alerts = await getJson<AlertJson[]>(`/api/alerts/recent?${query}`);
      for (const a of this.alerts) void this.loadSeries(a.entity);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
    const source = new EventSource(`/api/alerts/stream?${query}`);
    this.source = source;
    source.addEventListener('ready', () => {
      this.error = '';
    });
    source.addEventListener('alert', (e) => {
      const alert = JSON.parse((e as MessageEvent<string>).data) as AlertJson;
      if (this.alerts.some((a) => a.alertId === alert.alertId)) return;
      this.alerts = [alert, ...this.alerts].slice(0, 100);
      void this.loadSeries(alert.entity);
    });
    source.addEventListener('unavailable', (e) => {
      this.error = (JSON.parse((e as MessageEvent<string>).data) as { detail: string }).detail;
    });
    source.addEventListener('error', () => {
      // A refused stream (503: sentiment-monitor down) closes the EventSource: ask the BFF why, retry later.
      if (source.readyState !== EventSource.CLOSED) return;
      void fetch(`/api/alerts/stream?${query}`).then(async (res) => {
        if (!res.ok) {
          const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
          this.error = body?.error?.message ?? `alerts stream failed (${res.status})`;
        } else {
          void res.body?.cancel();
        }
      });
      this.retry = setTimeout(() => void this.open(), RETRY_MS);
    });
  }

  private async loadSeries(entity: string): Promise<void> {
    if (!entity) return;
    try {
      const s = await getJson<EntitySeriesJson>(`/api/entities/${encodeURIComponent(entity)}/series`);
      this.series = { ...this.series, [entity]: s.points };
    } catch {
      // the list still shows the alert; the sparkline stays empty
    }
  }

  private applyFilter(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.filter = { entity: String(data.get('entity') ?? '').trim(), topic: String(data.get('topic') ?? '').trim(), severity: String(data.get('severity') ?? '') };
    void this.open();
  }

  protected override render() {
    const entities = [...new Set(this.alerts.map((a) => a.entity).filter((x) => x !== ''))];
    return html`
      <section aria-labelledby="alerts-title">
        <h2 id="alerts-title">Sentiment alerts</h2>
        <form class="filters" @submit=${(e: Event) => this.applyFilter(e)}>
          <label>Entity <input name="entity" .value=${this.filter.entity} placeholder="e.g. Northwind Bank" /></label>
          <label>Topic <input name="topic" .value=${this.filter.topic} placeholder="e.g. earnings" /></label>
          <label>Severity
            <select name="severity" .value=${this.filter.severity}>
              <option value="">any</option><option value="warning">warning or worse</option><option value="critical">critical</option>
            </select>
          </label>
          <button type="submit">Apply filters</button>
        </form>
        ${this.error ? html`<p class="error" role="alert" data-testid="alerts-error">${this.error}</p>` : nothing}
        ${entities.length > 0
          ? html`<ul class="sparks" aria-label="Negative share per entity">
              ${entities.map((e) => html`<li><span class="entity">${e}</span> ${sparkline(this.series[e] ?? [], e)}</li>`)}
            </ul>`
          : nothing}
        <p class="muted" aria-live="polite">${this.alerts.length === 0 ? 'Waiting for alerts…' : `${this.alerts.length} alert${this.alerts.length === 1 ? '' : 's'}`}</p>
        <ul class="alerts" aria-label="Alerts">
          ${this.alerts.map(
            (a) => html`<li class="alert ${a.severity}" data-testid="alert" data-alert-id=${a.alertId} data-entity=${a.entity} data-raised-at=${a.raisedAt ?? ""}>
              <div class="row-between">
                <strong>${a.entity || a.topic}</strong>
                <span class="badge sev-${a.severity}">${a.severity}</span>
              </div>
              <p>Negative share ${pct(a.negativeShare)} (baseline ${pct(a.baselineNegativeShare)}, z ${a.zScore.toFixed(1)}) over ${a.totalCount} items${a.topic && a.entity ? html`, topic ${a.topic}` : nothing}</p>
              ${a.headlines.length > 0 ? html`<ul class="headlines">${a.headlines.map((h) => html`<li>${h.title}</li>`)}</ul>` : nothing}
              <p class="muted">${a.windowStart ?? ''} – ${a.windowEnd ?? ''}</p>
            </li>`,
          )}
        </ul>
      </section>
    `;
  }
}
customElements.define('tl-alerts', AlertsView);
