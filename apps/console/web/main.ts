/**
 * The console SPA's shell: four views behind tabs (hash routes, so a reload keeps the view)
 * and a status bar of the services (/api/status every few seconds).
 */
import { html, LitElement, nothing } from 'lit';
import type { StatusJson } from '@tuneline/console';
import { getJson } from './api';
import './alerts-view';
import './chat-view';
import './models-view';
import './ranking-view';

const VIEWS = [
  { id: 'chat', label: 'Chat', tag: html`<tl-chat></tl-chat>` },
  { id: 'alerts', label: 'Alerts', tag: html`<tl-alerts></tl-alerts>` },
  { id: 'ranking', label: 'Ranking', tag: html`<tl-ranking></tl-ranking>` },
  { id: 'models', label: 'Models', tag: html`<tl-models></tl-models>` },
] as const;

const STATUS_MS = 3_000;

class ConsoleApp extends LitElement {
  static override properties = { view: { state: true }, status: { state: true }, statusError: { state: true } };
  declare view: string;
  declare status: StatusJson | undefined;
  declare statusError: string;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.view = this.viewOfHash();
    this.status = undefined;
    this.statusError = '';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private viewOfHash(): string {
    const id = location.hash.replace(/^#\/?/, '');
    return VIEWS.some((v) => v.id === id) ? id : 'chat';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', () => (this.view = this.viewOfHash()));
    void this.poll();
    this.timer = setInterval(() => void this.poll(), STATUS_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    try {
      this.status = await getJson<StatusJson>('/api/status');
      this.statusError = '';
    } catch (err) {
      this.statusError = `console API unreachable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  protected override render() {
    const current = VIEWS.find((v) => v.id === this.view) ?? VIEWS[0];
    return html`
      <header>
        <h1>Tuneline console</h1>
        <nav aria-label="Views">
          ${VIEWS.map((v) => html`<a href="#/${v.id}" aria-current=${v.id === this.view ? 'page' : nothing}>${v.label}</a>`)}
        </nav>
        <ul class="status" aria-label="Service status" data-testid="status">
          ${(this.status?.services ?? []).map(
            (s) => html`<li class="badge ${s.up ? 'up' : 'down'}" title=${s.detail} data-service=${s.service}>${s.service}: ${s.up ? 'up' : 'down'}</li>`,
          )}
        </ul>
        ${this.statusError ? html`<p class="error" role="alert">${this.statusError}</p>` : nothing}
      </header>
      <main>${current.tag}</main>
    `;
  }
}
customElements.define('tl-console', ConsoleApp);
