/** Models: the version each service serves, and model.published events as they arrive. */
import { html, LitElement, nothing } from 'lit';
import type { ModelsJson, PublishedModelJson } from '@tuneline/console';
import { getJson } from './api';

export class ModelsView extends LitElement {
  static override properties = { models: { state: true }, live: { state: true }, error: { state: true } };
  declare models: ModelsJson | undefined;
  declare live: PublishedModelJson[];
  declare error: string;
  private source: EventSource | undefined;

  constructor() {
    super();
    this.models = undefined;
    this.live = [];
    this.error = '';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.source = new EventSource('/api/models/stream');
    this.source.addEventListener('published', (e) => {
      const event = JSON.parse((e as MessageEvent<string>).data) as PublishedModelJson;
      this.live = [event, ...this.live].slice(0, 50);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.source?.close();
  }

  private async refresh(): Promise<void> {
    try {
      this.models = await getJson<ModelsJson>('/api/models');
      this.error = '';
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  protected override render() {
    const m = this.models;
    return html`
      <section aria-labelledby="models-title">
        <h2 id="models-title">Models</h2>
        <button type="button" @click=${() => this.refresh()}>Refresh</button>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <table>
          <caption>Version each service is serving</caption>
          <thead><tr><th scope="col">Service</th><th scope="col">State</th><th scope="col">Model</th></tr></thead>
          <tbody>
            ${(m?.served ?? []).map(
              (s) => html`<tr data-testid="served-model">
                <td>${s.service}</td>
                <td><span class="badge ${s.up ? 'up' : 'down'}">${s.up ? 'up' : 'down'}</span></td>
                <td>${s.model ? `${s.model.name} v${s.model.version}` : html`<span class="muted">${s.detail ?? 'unknown'}</span>`}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        <h3>model.published</h3>
        <p class="muted" aria-live="polite">${this.live.length} new event${this.live.length === 1 ? '' : 's'} since this page opened</p>
        <table>
          <caption>Latest published version per model (live events first)</caption>
          <thead><tr><th scope="col">Model</th><th scope="col">Version</th><th scope="col">Task</th><th scope="col">Published</th></tr></thead>
          <tbody>
            ${[...this.live, ...(m?.published ?? [])].map(
              (p) => html`<tr data-testid="published-model"><td>${p.model}</td><td>${p.version}</td><td>${p.task}</td><td>${p.publishedAt}</td></tr>`,
            )}
          </tbody>
        </table>
      </section>
    `;
  }
}
customElements.define('tl-models', ModelsView);
