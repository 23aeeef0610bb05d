/** Ranking: pick a user, see the top-k with scores and reasons, click an item to send feedback and watch the list update. */
import { html, LitElement, nothing } from 'lit';
import type { RankingJson } from '@tuneline/console';
import { postJson } from './api';
import { RANKING_POLL_MS, RANKING_WAIT_MS, rankingUnchangedNote } from './ranking-wait';

const signature = (r: RankingJson | undefined): string => (r ? r.items.map((i) => i.itemId).join(',') : '');

export class RankingView extends LitElement {
  static override properties = { ranking: { state: true }, error: { state: true }, note: { state: true }, busy: { state: true } };
  declare ranking: RankingJson | undefined;
  declare error: string;
  declare note: string;
  declare busy: boolean;
  private userId = '1';
  private k = 10;

  constructor() {
    super();
    this.ranking = undefined;
    this.error = '';
    this.note = '';
    this.busy = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private async load(): Promise<RankingJson | undefined> {
    try {
      this.ranking = await postJson<RankingJson>('/api/recommend', { userId: this.userId, k: this.k });
      this.error = '';
      return this.ranking;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      return undefined;
    }
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    this.userId = String(data.get('user') ?? '').trim() || '1';
    this.k = Number(data.get('k') ?? 10);
    this.note = '';
    this.busy = true;
    await this.load();
    this.busy = false;
  }

  private async pick(itemId: string, title: string): Promise<void> {
    const before = signature(this.ranking);
    this.busy = true;
    this.note = `Sent "like" for ${title}; waiting for the ranking to update (up to ${RANKING_WAIT_MS / 1000} s)…`;
    try {
      await postJson('/api/feedback/item', { userId: this.userId, itemId, type: 'like' });
      // The profile changes when the recommender consumes user.events. Poll until the liked item
      // has left the list (the recommender filters items the user has seen): the order alone can
      // change first, from the item counters the same event updates on another path.
      const until = Date.now() + RANKING_WAIT_MS;
      for (;;) {
        const r = await this.load();
        if (!r) {
          this.note = `Feedback on ${title} recorded, but the ranking could not be fetched again (see the error).`;
          break;
        }
        if (signature(r) !== before && !r.items.some((i) => i.itemId === itemId)) {
          this.note = `Ranking updated after your feedback on ${title}.`;
          break;
        }
        if (Date.now() > until) {
          this.note = rankingUnchangedNote(title);
          break;
        }
        await new Promise((r2) => setTimeout(r2, RANKING_POLL_MS));
      }
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.note = '';
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const r = this.ranking;
    return html`
      <section aria-labelledby="ranking-title">
        <h2 id="ranking-title">Ranking explorer</h2>
        <form class="filters" @submit=${(e: Event) => this.submit(e)}>
          <label>User id <input name="user" value=${this.userId} inputmode="numeric" /></label>
          <label>Top k
            <select name="k"><option>5</option><option selected>10</option><option>20</option></select>
          </label>
          <button type="submit" ?disabled=${this.busy}>Show ranking</button>
        </form>
        ${this.error ? html`<p class="error" role="alert" data-testid="ranking-error">${this.error}</p>` : nothing}
        ${this.note ? html`<p class="note" role="status" data-testid="ranking-note">${this.note}</p>` : nothing}
        ${r
          ? html`<p class="muted">User ${r.userId}${r.coldStart ? ' (cold start: popular and fresh items)' : ''}${r.model ? html` · model ${r.model.name} v${r.model.version}` : nothing}</p>
              <ol class="ranking" aria-label="Ranked items">
                ${r.items.map(
                  (item) => html`<li data-testid="ranked-item" data-item-id=${item.itemId}>
                    <button type="button" class="item" ?disabled=${this.busy} @click=${() => this.pick(item.itemId, item.title)}>
                      <span class="sr-only">Like </span><span class="rank">${item.rank}</span>
                      <span class="title">${item.title}</span>
                      <span class="score"><span class="sr-only">score </span>${item.score.toFixed(3)}</span>
                    </button>
                    ${item.reasons.length > 0
                      ? html`<ul class="reasons">${item.reasons.slice(0, 3).map((x) => html`<li>${x.name} ${x.value >= 0 ? '+' : ''}${x.value.toFixed(2)}</li>`)}</ul>`
                      : nothing}
                  </li>`,
                )}
              </ol>
              ${r.rules.length > 0 ? html`<ul class="muted">${r.rules.map((x) => html`<li>${x.rule}: ${x.explanation}</li>`)}</ul>` : nothing}`
          : html`<p class="muted">Pick a user and press "Show ranking". Click an item to like it.</p>`}
      </section>
    `;
  }
}
customElements.define('tl-ranking', RankingView);
