/** Chat: streamed replies with intent, confidence, cited passages, a marked handoff and feedback buttons. */
import { html, LitElement, nothing } from 'lit';
import type { ChatTurnJson } from '@tuneline/console';
import { pct, postJson, postSse } from './api';

interface Message {
  id: number;
  from: 'user' | 'bot';
  text: string;
  turn?: ChatTurnJson;
  streaming?: boolean;
  feedback?: 'helpful' | 'unhelpful';
}

export class ChatView extends LitElement {
  static override properties = { messages: { state: true }, error: { state: true }, busy: { state: true } };
  declare messages: Message[];
  declare error: string;
  declare busy: boolean;
  private readonly sessionId = `web-${Math.random().toString(36).slice(2, 10)}`;
  private nextId = 1;

  constructor() {
    super();
    this.messages = [];
    this.error = '';
    this.busy = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private async send(e: Event): Promise<void> {
    e.preventDefault();
    const input = this.querySelector<HTMLInputElement>('#chat-input');
    const text = input?.value.trim() ?? '';
    if (!text || this.busy) return;
    if (input) input.value = '';
    this.error = '';
    this.busy = true;
    const bot: Message = { id: this.nextId++, from: 'bot', text: '', streaming: true };
    this.messages = [...this.messages, { id: this.nextId++, from: 'user', text }, bot];
    const update = (patch: Partial<Message>) => {
      this.messages = this.messages.map((m) => (m.id === bot.id ? { ...m, ...patch } : m));
    };
    try {
      let sofar = '';
      await postSse('/api/chat/stream', { sessionId: this.sessionId, text }, (event, data) => {
        if (event === 'chunk') {
          sofar += (data as { text: string }).text;
          update({ text: sofar });
        } else if (event === 'final') {
          const turn = data as ChatTurnJson;
          update({ text: turn.reply, turn, streaming: false });
        } else if (event === 'error') {
          throw new Error((data as { error: { message: string } }).error.message);
        }
      });
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.messages = this.messages.filter((m) => m.id !== bot.id || m.text !== '');
      update({ streaming: false });
    } finally {
      this.busy = false;
    }
  }

  private async feedback(m: Message, helpful: boolean): Promise<void> {
    try {
      await postJson('/api/chat/feedback', { sessionId: this.sessionId, turnId: m.turn?.turnId, helpful });
      this.messages = this.messages.map((x) => (x.id === m.id ? { ...x, feedback: helpful ? 'helpful' : 'unhelpful' } : x));
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private renderTurn(m: Message) {
    const t = m.turn;
    if (!t) return nothing;
    return html`
      <div class="meta">
        <span class="badge" data-testid="intent">intent: ${t.intent}</span>
        <span class="badge" data-testid="confidence">confidence ${pct(t.confidence)}</span>
        ${t.handoff ? html`<span class="badge handoff" role="status" data-testid="handoff">Handed off to a human agent</span>` : nothing}
      </div>
      ${t.citations.length > 0
        ? html`<details class="citations"><summary>${t.citations.length} cited passage${t.citations.length === 1 ? '' : 's'}</summary>
            <ol>${t.citations.map((c) => html`<li><strong>${c.title}</strong> <span class="muted">(${pct(c.score)})</span><p>${c.text}</p></li>`)}</ol>
          </details>`
        : nothing}
      <div class="feedback" role="group" aria-label="Was this answer helpful?">
        ${m.feedback
          ? html`<span class="muted">Thanks: marked ${m.feedback}</span>`
          : html`<button type="button" class="small" @click=${() => this.feedback(m, true)}>Helpful</button>
              <button type="button" class="small" @click=${() => this.feedback(m, false)}>Not helpful</button>`}
      </div>
    `;
  }

  protected override render() {
    return html`
      <section aria-labelledby="chat-title">
        <h2 id="chat-title">Support chat</h2>
        ${this.error ? html`<p class="error" role="alert" data-testid="chat-error">${this.error}</p>` : nothing}
        <ol class="messages" aria-live="polite" aria-label="Conversation">
          ${this.messages.map(
            (m) => html`<li class="msg ${m.from}" data-testid="${m.from}-message">
              <span class="who">${m.from === 'user' ? 'You' : 'Assistant'}</span>
              <p class="text">${m.text}${m.streaming ? html`<span class="cursor" aria-hidden="true">▍</span>` : nothing}</p>
              ${m.from === 'bot' ? this.renderTurn(m) : nothing}
            </li>`,
          )}
        </ol>
        <form class="row" @submit=${(e: Event) => this.send(e)}>
          <label for="chat-input" class="sr-only">Your message</label>
          <input id="chat-input" name="text" maxlength="2000" autocomplete="off" placeholder="Ask about your card, transfers…" ?disabled=${this.busy} />
          <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : 'Send'}</button>
        </form>
      </section>
    `;
  }
}
customElements.define('tl-chat', ChatView);
