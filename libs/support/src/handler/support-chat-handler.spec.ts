import { supportV1 } from '@tuneline/proto';
import { NotFoundError, SessionConflictError, SessionHandedOffError, TurnCancelledError, TurnLimitError, ValidationError } from '../errors';
import { deterministicTicketId } from '../handoff/ticket-id';
import { KnowledgeBase } from '../knowledge/knowledge-base';
import { loadArticlesFromDir } from '../knowledge/load-articles';
import { sampleContentPaths } from '../samples';
import type { SentimentScorer } from '../sentiment/sentiment-scorer';
import { InMemorySessionStore } from '../session/in-memory-session-store';
import { conversationEventOf, handoffEventOf } from '../publishing/conversation-events';
import { AnswerTemplates } from '../templates/answer-templates';
import { FakeClock } from '../testing/fake-clock';
import { FakeIntentClassifier } from '../testing/fake-intent-classifier';
import { hashingEmbedder } from '../testing/hashing-embedder';
import type { SupportOptions } from '../config/support-options';
import type { LanguagePack } from './language-pack';
import { SupportChatHandler, type SupportChatHandlerDeps } from './support-chat-handler';

const LABELS = ['account_balance', 'card_arrival', 'card_lost', 'change_address', 'close_account', 'exchange_rate', 'pin_reset', 'refund_request', 'talk_to_human', 'transfer_failed'];
const EN_RULES = [
  { pattern: /refund/i, label: 'refund_request', confidence: 0.9 },
  { pattern: /card.*arrive|new card/i, label: 'card_arrival', confidence: 0.85 },
  { pattern: /stolen|lost my card/i, label: 'card_lost', confidence: 0.95 },
  { pattern: /\bpin\b/i, label: 'pin_reset', confidence: 0.8 },
  { pattern: /transfer/i, label: 'transfer_failed', confidence: 0.7 },
];
const ZH_RULES = [
  { pattern: /退款/, label: 'refund_request', confidence: 0.9 },
  { pattern: /丢/, label: 'card_lost', confidence: 0.9 },
];

async function pack(language: 'en' | 'zh', rules: typeof EN_RULES, embedTexts: string[][]): Promise<LanguagePack> {
  const paths = sampleContentPaths(language);
  const base = hashingEmbedder(512);
  const embed = async (texts: readonly string[]) => {
    embedTexts.push([...texts]);
    return base(texts);
  };
  return {
    classifier: new FakeIntentClassifier(LABELS, rules, { label: 'exchange_rate', confidence: 0.3 }, `${language}-7`),
    knowledge: await KnowledgeBase.build(loadArticlesFromDir(paths.articlesDir), { embed, modelChecksum: 'fake' }),
    templates: AnswerTemplates.fromFile(paths.templates),
  };
}

describe('SupportChatHandler', () => {
  let en: LanguagePack;
  let zh: LanguagePack;
  let embedded: string[][];

  beforeAll(async () => {
    embedded = [];
    en = await pack('en', EN_RULES, embedded);
    zh = await pack('zh', ZH_RULES, []);
  });

  function setup(options: Partial<SupportOptions> = {}, extra: Partial<SupportChatHandlerDeps> = {}) {
    const time = new FakeClock();
    const store = new InMemorySessionStore({ ttlMs: options.sessionTtlMs ?? 60_000, clock: time.clock });
    const warnings: string[] = [];
    let ids = 0;
    const handler = new SupportChatHandler({
      languages: { en, zh },
      store,
      clock: time.clock,
      requestId: () => `req-${++ids}`,
      onWarning: (m) => warnings.push(m),
      options: { retrievalMinScore: 0.2, ...options },
      ...extra,
    });
    return { handler, store, time, warnings };
  }

  it('answers a confident intent from its template with message slots, citations, top intents and a turn record', async () => {
    const { handler } = setup();
    const turn = await handler.handleTurn({ sessionId: 's-1', text: 'I want a refund of €40 from 2025-03-01', locale: 'en-GB' });
    expect(turn.response).toMatchObject({ sessionId: 's-1', intent: 'refund_request', confidence: 0.9, handoff: false, model: { name: 'fake-intents', version: 'en-7' } });
    expect(turn.response.reply).toMatch(/^Refunds of 40 EUR are started by the merchant/);
    expect(turn.response.reply).toContain('one sent on 2025-03-01');
    expect(turn.response.citations[0]).toMatchObject({ passageId: expect.stringMatching(/^refunds#\d+$/), title: 'Refunds from merchants' });
    expect(turn.response.citations.length).toBeLessThanOrEqual(3);
    expect(turn.response.topIntents).toHaveLength(5);
    expect(turn.response.topIntents[0]).toEqual({ label: 'refund_request', score: 0.9 });
    expect(turn.record).toMatchObject({
      requestId: 'req-1',
      sessionId: 's-1',
      turn: 1,
      language: 'en',
      intent: 'refund_request',
      inherited: false,
      answerKind: 'template',
      slotsUsed: ['amount', 'date'],
      modelVersion: 'en-7',
      sentiment: 'absent',
      at: '2025-03-14T12:00:00.000Z',
    });
    expect(turn.record.passages.map((p) => p.passageId)).toEqual(turn.response.citations.map((c) => c.passageId));
    expect(turn.handoff).toBeUndefined();
  });

  it('produces a reply the generated proto ChatResponse carries field for field', async () => {
    const { handler } = setup();
    const { response } = await handler.handleTurn({ sessionId: 's-proto', text: 'I want a refund' });
    const proto: supportV1.ChatResponse = response; // compile-time: same field names and types
    const decoded = supportV1.ChatResponse.decode(supportV1.ChatResponse.encode(proto).finish());
    expect(decoded.reply).toBe(response.reply);
    expect(decoded.citations.map((c) => c.passageId)).toEqual(response.citations.map((c) => c.passageId));
    expect(decoded.topIntents.map((t) => t.label)).toEqual(response.topIntents.map((t) => t.label));
    expect(decoded.model).toEqual(response.model);
  });

  it('fills a later template with slots remembered from earlier turns', async () => {
    const { handler } = setup();
    await handler.handleTurn({ sessionId: 's-2', text: 'When will my new debit card ending in 4242 arrive?' });
    const turn = await handler.handleTurn({ sessionId: 's-2', text: 'Also I forgot my PIN' });
    expect(turn.response.intent).toBe('pin_reset');
    expect(turn.response.reply).toContain('for your card ending in 4242');
    expect(turn.record.turn).toBe(2);
  });

  it('resolves a short follow-up against the last intent and retrieves with the previous message as context', async () => {
    const { handler } = setup();
    await handler.handleTurn({ sessionId: 's-3', text: 'I want a refund' });
    embedded.length = 0;
    const turn = await handler.handleTurn({ sessionId: 's-3', text: 'and how long does that take?' });
    expect(turn.response).toMatchObject({ intent: 'refund_request', handoff: false });
    expect(turn.record).toMatchObject({ inherited: true, answerKind: 'template' });
    expect(turn.response.confidence).toBeCloseTo(0.7 / 9, 6); // the classifier's own score for refund_request
    expect(embedded).toEqual([['I want a refund\nand how long does that take?']]);
  });

  it('does not inherit in a new session or once the session has expired (TTL, fake clock)', async () => {
    const { handler, time, store } = setup({ sessionTtlMs: 1_000, lowConfidenceHandoffCount: 5 });
    await handler.handleTurn({ sessionId: 's-4', text: 'I want a refund' });
    time.advance(1_000);
    expect(await store.get('s-4')).toBeUndefined();
    const turn = await handler.handleTurn({ sessionId: 's-4', text: 'and top up with Apple Pay then?' });
    expect(turn.record).toMatchObject({ turn: 1, inherited: false, intent: 'exchange_rate', answerKind: 'retrieval' });
  });

  it('answers from retrieval alone below the threshold when a passage is close enough', async () => {
    const { handler } = setup();
    const turn = await handler.handleTurn({ sessionId: 's-5', text: 'can I top up with Apple Pay or Google Pay?' });
    expect(turn.record.answerKind).toBe('retrieval');
    expect(turn.response.handoff).toBe(false);
    expect(turn.response.reply).toMatch(/^Here is what I found in our help centre:\n\n/);
    expect(turn.response.citations[0]?.passageId).toMatch(/^top-ups#/);
    expect(turn.response.reply).toContain(turn.response.citations[0]?.text);
  });

  it('uses a language pack\'s own retrieval minimum over the global option', async () => {
    const strict = new SupportChatHandler({ languages: { en: { ...en, retrievalMinScore: 0.99 } }, store: new InMemorySessionStore(), options: { retrievalMinScore: 0.2 } });
    const turn = await strict.handleTurn({ sessionId: 's-5b', text: 'can I top up with Apple Pay or Google Pay?' });
    expect(turn.record).toMatchObject({ answerKind: 'handoff', handoffReason: 'no_answer' });
    expect(() => new SupportChatHandler({ languages: { en: { ...en, retrievalMinScore: 2 } }, store: new InMemorySessionStore() })).toThrow(/languages.en.retrievalMinScore/);
  });

  describe('handoff triggers', () => {
    it('an explicit request: handoff with transcript, reason and a deterministic ticket; later turns are refused', async () => {
      const { handler, store } = setup();
      await handler.handleTurn({ sessionId: 's-6', text: 'I want a refund' });
      const turn = await handler.handleTurn({ sessionId: 's-6', text: 'this is useless, agent please' });
      const session = await store.get('s-6');
      const ticket = deterministicTicketId(session as NonNullable<typeof session>);
      expect(turn.response.handoff).toBe(true);
      expect(turn.record).toMatchObject({ answerKind: 'handoff', handoffReason: 'explicit_request', ticketId: ticket });
      expect(turn.response.reply).toContain(`(ticket ${ticket})`);
      expect(turn.response.citations).toEqual([]);
      expect(turn.handoff).toMatchObject({ ticketId: ticket, sessionId: 's-6', reason: 'explicit_request', lastIntent: 'refund_request', language: 'en' });
      expect(turn.handoff?.transcript.map((e) => e.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
      expect(turn.handoff?.transcript[2]?.text).toBe('this is useless, agent please');
      await expect(handler.handleTurn({ sessionId: 's-6', text: 'hello?' })).rejects.toBeInstanceOf(SessionHandedOffError);
      await expect(handler.handleTurn({ sessionId: 's-6', text: 'hello?' })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
      // EndSession after an automatic handoff names the same ticket.
      expect((await handler.endSession({ sessionId: 's-6', action: 'handoff', reason: 'customer waiting' })).handoffTicketId).toBe(ticket);
    });

    it('a sensitive intent: urgent advice first, then the handoff note', async () => {
      const { handler } = setup();
      const turn = await handler.handleTurn({ sessionId: 's-7', text: 'my credit card ending in 1234 was stolen' });
      expect(turn.record).toMatchObject({ handoffReason: 'sensitive_intent', intent: 'card_lost' });
      expect(turn.response.reply).toMatch(/^Please freeze your credit card ending in 1234 now/);
      expect(turn.response.reply).toMatch(/For your security, one of our agents will take it from here \(ticket HO-[0-9A-F]{12}\)\.$/);
    });

    it('negative sentiment from the optional scorer', async () => {
      const scorer: SentimentScorer = { scoreNegative: async () => 0.95 };
      const { handler } = setup({}, { sentiment: scorer });
      const turn = await handler.handleTurn({ sessionId: 's-8', text: 'I want a refund NOW' });
      expect(turn.record).toMatchObject({ handoffReason: 'negative_sentiment', sentiment: 0.95 });
    });

    it('N consecutive low-confidence turns, even when retrieval could answer', async () => {
      const { handler } = setup({ lowConfidenceHandoffCount: 2 });
      const first = await handler.handleTurn({ sessionId: 's-9', text: 'top up with Apple Pay' });
      const second = await handler.handleTurn({ sessionId: 's-9', text: 'top up by debit card limits' });
      expect([first.record.answerKind, second.record.answerKind, second.record.handoffReason]).toEqual(['retrieval', 'handoff', 'low_confidence']);
    });

    it('a confident turn resets the low-confidence count', async () => {
      const { handler } = setup({ lowConfidenceHandoffCount: 2 });
      await handler.handleTurn({ sessionId: 's-10', text: 'top up with Apple Pay' });
      await handler.handleTurn({ sessionId: 's-10', text: 'I want a refund' });
      const third = await handler.handleTurn({ sessionId: 's-10', text: 'top up by debit card limits' });
      expect(third.record.answerKind).toBe('retrieval');
    });

    it('nothing close enough to answer from', async () => {
      const { handler } = setup();
      const turn = await handler.handleTurn({ sessionId: 's-11', text: 'zebra xylophone quantum' });
      expect(turn.record).toMatchObject({ answerKind: 'handoff', handoffReason: 'no_answer' });
      expect(turn.response.reply).toMatch(/^I couldn't find an answer to that/);
    });
  });

  describe('card numbers (PII)', () => {
    const CARD = '4111 1111 1111 1111';
    const digitsOf = (value: unknown): string => JSON.stringify(value).replace(/[^0-9]/g, '');

    it('masks a Luhn-valid card number before anything sees, keeps or publishes it; last_four still fills', async () => {
      const texts: string[] = [];
      const scorer: SentimentScorer = { scoreNegative: async (t) => (texts.push(t), 0.1) };
      const { handler, store } = setup({}, { sentiment: scorer });
      const first = await handler.handleTurn({ sessionId: 'pii-1', text: `I want a refund for my card ${CARD}` });
      const second = await handler.handleTurn({ sessionId: 'pii-1', text: `agent please, the card is 4111-1111-1111-1111` });
      const session = await store.get('pii-1');
      expect(second.handoff).toBeDefined();
      const outputs = {
        session,
        record: first.record,
        record2: second.record,
        conversation: conversationEventOf(first.record),
        conversation2: conversationEventOf(second.record),
        handoff: handoffEventOf(second.handoff as NonNullable<typeof second.handoff>),
        classified: (en.classifier as FakeIntentClassifier).calls.slice(-2),
        sentiment: texts,
      };
      for (const [name, value] of Object.entries(outputs)) {
        expect({ name, hasCard: digitsOf(value).includes('4111111111111111') || JSON.stringify(value).includes(CARD) }).toEqual({ name, hasCard: false });
      }
      expect(first.record.text).toBe('I want a refund for my card **** **** **** 1111');
      expect(session?.transcript[0]?.text).toBe('I want a refund for my card **** **** **** 1111');
      expect(session?.slots).toMatchObject({ last_four: '1111' });
    });

    it('masks one in an EndSession handoff note too (it goes to support.handoff)', async () => {
      const { handler } = setup();
      await handler.handleTurn({ sessionId: 'pii-3', text: 'I want a refund' });
      const ended = await handler.endSession({ sessionId: 'pii-3', action: 'handoff', reason: `customer read out ${CARD}` });
      expect(ended.handoff?.note).toBe('customer read out **** **** **** 1111');
    });

    it('leaves a number that fails Luhn (an order number) as the user wrote it', async () => {
      const { handler, store } = setup();
      const turn = await handler.handleTurn({ sessionId: 'pii-2', text: 'refund for order 1234 5678 1234 5678' });
      expect(turn.record.text).toBe('refund for order 1234 5678 1234 5678');
      expect((await store.get('pii-2'))?.transcript[0]?.text).toBe('refund for order 1234 5678 1234 5678');
    });
  });

  it('keeps answering when the sentiment scorer fails or times out, and says so', async () => {
    const failing = setup({}, { sentiment: { scoreNegative: async () => Promise.reject(new Error('down')) } });
    const t1 = await failing.handler.handleTurn({ sessionId: 's-12', text: 'I want a refund' });
    expect([t1.record.answerKind, t1.record.sentiment]).toEqual(['template', 'failed']);
    expect(failing.warnings).toEqual(['sentiment scorer failed: down; answering without it']);
    const slow = setup({ sentimentTimeoutMs: 5 }, { sentiment: { scoreNegative: () => new Promise(() => undefined) } });
    const t2 = await slow.handler.handleTurn({ sessionId: 's-13', text: 'I want a refund' });
    expect([t2.record.answerKind, t2.record.sentiment]).toEqual(['template', 'timeout']);
    expect(slow.warnings[0]).toMatch(/timed out after 5 ms/);
  });

  it('rejects the turn after the turn limit with a non-retriable RESOURCE_EXHAUSTED and leaves the session as it was', async () => {
    const { handler, store } = setup({ maxTurns: 2 });
    await handler.handleTurn({ sessionId: 's-14', text: 'I want a refund' });
    await handler.handleTurn({ sessionId: 's-14', text: 'I want a refund' });
    const third = handler.handleTurn({ sessionId: 's-14', text: 'I want a refund' });
    await expect(third).rejects.toBeInstanceOf(TurnLimitError);
    await expect(third).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', retriable: false, httpStatus: 429 });
    expect((await store.get('s-14'))?.userTurns).toBe(2);
  });

  it('reports the model version the prediction came from, not the one the classifier names before or after (hot swap)', async () => {
    let served = 'v1';
    const classifier = {
      name: 'intents',
      labels: LABELS,
      get version() {
        return served;
      },
      classify: async (texts: readonly string[]) => {
        const predictions = await en.classifier.classify(texts);
        served = 'v3'; // another swap landed after this request ran on v2
        return predictions.map((p) => ({ ...p, modelVersion: 'v2' }));
      },
    };
    const handler = new SupportChatHandler({ languages: { en: { ...en, classifier } }, store: new InMemorySessionStore(), options: { retrievalMinScore: 0.2 } });
    const turn = await handler.handleTurn({ sessionId: 'mv-1', text: 'I want a refund' });
    expect(turn.response.model).toEqual({ name: 'intents', version: 'v2' });
    expect(turn.record).toMatchObject({ modelName: 'intents', modelVersion: 'v2' });
    // Without a version on the prediction, the classifier's own is reported.
    const plain = await setup().handler.handleTurn({ sessionId: 'mv-2', text: 'I want a refund' });
    expect(plain.record.modelVersion).toBe('en-7');
  });

  it('measures latency with the injected clock', async () => {
    const time = new FakeClock();
    const slowClassifier = new FakeIntentClassifier(LABELS, EN_RULES, { label: 'exchange_rate', confidence: 0.3 });
    const classify = slowClassifier.classify.bind(slowClassifier);
    slowClassifier.classify = async (texts) => {
      time.advance(42);
      return classify(texts);
    };
    const handler = new SupportChatHandler({ languages: { en: { ...en, classifier: slowClassifier } }, store: new InMemorySessionStore({ clock: time.clock }), clock: time.clock });
    expect((await handler.handleTurn({ sessionId: 's-15', text: 'I want a refund' })).record.latencyMs).toBe(42);
  });

  it('serves Chinese from the zh pack (templates, slots, human-request patterns)', async () => {
    const { handler } = setup();
    const refund = await handler.handleTurn({ sessionId: 'zh-1', text: '我要退款500元', locale: 'zh-CN' });
    expect(refund.record).toMatchObject({ language: 'zh', intent: 'refund_request', answerKind: 'template' });
    expect(refund.response.reply).toMatch(/^退款（500 CNY）需要由商户发起/);
    const human = await handler.handleTurn({ sessionId: 'zh-1', text: '转人工', locale: 'zh' });
    expect(human.record.handoffReason).toBe('explicit_request');
    expect(human.response.reply).toMatch(/^正在为您转接人工客服（工单号 HO-/);
  });

  it('does not save anything when the classifier fails, and passes its coded error through', async () => {
    const busy = Object.assign(new Error('queue full'), { code: 'RESOURCE_EXHAUSTED', retriable: true });
    const classifier = { name: 'x', version: '1', classify: async () => Promise.reject(busy) };
    const store = new InMemorySessionStore();
    const handler = new SupportChatHandler({ languages: { en: { ...en, classifier } }, store });
    await expect(handler.handleTurn({ sessionId: 's-16', text: 'I want a refund' })).rejects.toBe(busy);
    expect(store.size).toBe(0);
  });

  it('lets one of two concurrent turns of a new session win; the other gets a retriable conflict', async () => {
    const { handler, store } = setup();
    const results = await Promise.allSettled([
      handler.handleTurn({ sessionId: 's-17', text: 'I want a refund' }),
      handler.handleTurn({ sessionId: 's-17', text: 'my transfer failed' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(SessionConflictError);
    expect((await store.get('s-17'))?.userTurns).toBe(1);
  });

  describe('abort (request signal)', () => {
    it('a turn aborted before it starts throws CANCELLED (499) and touches nothing', async () => {
      const { handler, store } = setup();
      const calls = (en.classifier as FakeIntentClassifier).calls.length;
      const controller = new AbortController();
      controller.abort();
      const call = handler.handleTurn({ sessionId: 'ab-1', text: 'I want a refund', signal: controller.signal });
      await expect(call).rejects.toBeInstanceOf(TurnCancelledError);
      await expect(call).rejects.toMatchObject({ code: 'CANCELLED', httpStatus: 499, retriable: false, name: 'AbortError' });
      expect(store.size).toBe(0);
      expect((en.classifier as FakeIntentClassifier).calls.length).toBe(calls);
    });

    it('a turn aborted while it was being answered (before the save) is not saved: the session is unchanged', async () => {
      const { handler, store } = setup();
      await handler.handleTurn({ sessionId: 'ab-2', text: 'I want a refund of €40' });
      const before = await store.get('ab-2');
      const controller = new AbortController();
      const classifier = { ...en.classifier, name: en.classifier.name, version: en.classifier.version, classify: async (texts: readonly string[]) => {
        const predictions = await en.classifier.classify(texts);
        controller.abort(); // the client went away while the model ran
        return predictions;
      } };
      const aborting = new SupportChatHandler({ languages: { en: { ...en, classifier } }, store, options: { retrievalMinScore: 0.2 } });
      await expect(aborting.handleTurn({ sessionId: 'ab-2', text: 'my transfer failed', signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(await store.get('ab-2')).toEqual(before);
      expect(before).toMatchObject({ userTurns: 1, revision: 1 });
    });

    it('a deadline as the abort reason is DEADLINE_EXCEEDED (504, retriable); the reason is the cause', async () => {
      const { handler, store } = setup();
      const reason = Object.assign(new Error('Deadline exceeded'), { code: 'DEADLINE_EXCEEDED' });
      const call = handler.handleTurn({ sessionId: 'ab-3', text: 'I want a refund', signal: AbortSignal.abort(reason) });
      await expect(call).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED', httpStatus: 504, retriable: true, cause: reason });
      expect(store.size).toBe(0);
    });

    it('a signal that never aborts changes nothing', async () => {
      const { handler, store } = setup();
      const turn = await handler.handleTurn({ sessionId: 'ab-4', text: 'I want a refund', signal: new AbortController().signal });
      expect(turn.record.turn).toBe(1);
      expect((await store.get('ab-4'))?.userTurns).toBe(1);
    });
  });

  describe('bad input', () => {
    it.each([
      ['empty text', { sessionId: 'ok', text: '' }, /text is empty/],
      ['whitespace-only text', { sessionId: 'ok', text: ' \n ' }, /text is empty/],
      ['text over the limit', { sessionId: 'ok', text: 'x'.repeat(2001) }, /the limit is 2000/],
      ['bad session id characters', { sessionId: 'no spaces', text: 'hi' }, /session_id may only contain/],
      ['missing session id', { sessionId: '', text: 'hi' }, /session_id is required/],
      ['malformed locale', { sessionId: 'ok', text: 'hi', locale: '12' }, /not a BCP 47/],
      ['unsupported language', { sessionId: 'ok', text: 'bonjour', locale: 'fr-FR' }, /not supported; supported languages: en, zh/],
    ])('%s → INVALID_ARGUMENT, nothing stored', async (_why, request, message) => {
      const { handler, store } = setup();
      const call = handler.handleTurn(request);
      await expect(call).rejects.toBeInstanceOf(ValidationError);
      await expect(call).rejects.toThrow(message);
      expect(store.size).toBe(0);
    });

    it('honours a configured message limit', async () => {
      const { handler } = setup({ maxMessageChars: 10 });
      await expect(handler.handleTurn({ sessionId: 'ok', text: 'x'.repeat(11) })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', httpStatus: 413 });
    });
  });

  describe('endSession', () => {
    it('close: discards the session and reports its turn count; a second close is NOT_FOUND', async () => {
      const { handler, store } = setup();
      await handler.handleTurn({ sessionId: 'e-1', text: 'I want a refund' });
      await handler.handleTurn({ sessionId: 'e-1', text: 'my transfer failed' });
      expect(await handler.endSession({ sessionId: 'e-1', action: 'close' })).toEqual({ sessionId: 'e-1', action: 'close', handoffTicketId: '', turnCount: 2, newlyHandedOff: false });
      expect(await store.get('e-1')).toBeUndefined();
      await expect(handler.endSession({ sessionId: 'e-1', action: 'close' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('handoff: ticket, transcript and the free-text note; repeating it returns the same ticket', async () => {
      const { handler } = setup();
      await handler.handleTurn({ sessionId: 'e-2', text: 'I want a refund' });
      const first = await handler.endSession({ sessionId: 'e-2', action: 'handoff', reason: ' customer asked for a human ' });
      expect(first).toMatchObject({ action: 'handoff', turnCount: 1, handoffTicketId: expect.stringMatching(/^HO-/) });
      expect(first.handoff).toMatchObject({ reason: 'agent_requested', note: 'customer asked for a human', ticketId: first.handoffTicketId });
      expect(first.handoff?.transcript).toHaveLength(2);
      const again = await handler.endSession({ sessionId: 'e-2', action: 'handoff', reason: 'again' });
      expect(again.handoffTicketId).toBe(first.handoffTicketId);
    });

    it('says whether this call handed the session off (newlyHandedOff), so the handoff is published once', async () => {
      const { handler } = setup();
      await handler.handleTurn({ sessionId: 'e-4', text: 'I want a refund' });
      const first = await handler.endSession({ sessionId: 'e-4', action: 'handoff', reason: 'customer asked' });
      expect(first.newlyHandedOff).toBe(true);
      const again = await handler.endSession({ sessionId: 'e-4', action: 'handoff', reason: 'again' });
      expect(again).toMatchObject({ newlyHandedOff: false, handoffTicketId: first.handoffTicketId });
      expect(again.handoff).toBeDefined(); // the payload is still there for the caller that wants it
      // A session the policy already handed off (its event went out with the turn) is not new either.
      const auto = await handler.handleTurn({ sessionId: 'e-5', text: 'agent please' });
      expect(auto.handoff).toBeDefined();
      expect((await handler.endSession({ sessionId: 'e-5', action: 'handoff', reason: 'desk' })).newlyHandedOff).toBe(false);
      // close never hands off.
      await handler.handleTurn({ sessionId: 'e-6', text: 'I want a refund' });
      expect((await handler.endSession({ sessionId: 'e-6', action: 'close' })).newlyHandedOff).toBe(false);
    });

    it('echoes at most 64 characters of a bad action in the message', async () => {
      const { handler } = setup();
      const err: unknown = await handler.endSession({ sessionId: 'e-7', action: 'z'.repeat(10_000) as 'close' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toMatch(/^action must be "close" or "handoff", got "z{64}"… \(10000 characters\)$/);
    });

    it.each([
      ['an unknown session', { sessionId: 'nobody', action: 'close' as const }, NotFoundError, 'NOT_FOUND'],
      ['a bad session id', { sessionId: 'bad id', action: 'close' as const }, ValidationError, 'INVALID_ARGUMENT'],
      ['an unspecified action', { sessionId: 'e-3', action: '' as 'close' }, ValidationError, 'INVALID_ARGUMENT'],
      ['a handoff without a reason', { sessionId: 'e-3', action: 'handoff' as const }, ValidationError, 'INVALID_ARGUMENT'],
      ['a reason over 500 characters', { sessionId: 'e-3', action: 'handoff' as const, reason: 'x'.repeat(501) }, ValidationError, 'INVALID_ARGUMENT'],
    ])('rejects %s', async (_why, request, type, code) => {
      const { handler } = setup();
      await handler.handleTurn({ sessionId: 'e-3', text: 'I want a refund' });
      const call = handler.endSession(request);
      await expect(call).rejects.toBeInstanceOf(type);
      await expect(call).rejects.toMatchObject({ code });
    });
  });

  it('needs at least one language pack and valid options', () => {
    expect(() => new SupportChatHandler({ languages: {}, store: new InMemorySessionStore() })).toThrow(/at least one language pack/);
    expect(() => new SupportChatHandler({ languages: { en }, store: new InMemorySessionStore(), options: { confidenceThreshold: 2 } })).toThrow(RangeError);
  });
});

describe('SupportChatHandler: one encoder pass when the intent model embeds with the knowledge base\'s encoder', () => {
  const base = hashingEmbedder(512);

  /** The fake classifier's predictions plus the message's embedding from `base`, tagged with `encoderChecksum`. */
  class EmbeddingClassifier extends FakeIntentClassifier {
    constructor(readonly encoderChecksum: string, private readonly tagged = encoderChecksum) {
      super(LABELS, EN_RULES, { label: 'exchange_rate', confidence: 0.3 }, 'en-7');
    }

    override async classify(texts: readonly string[]) {
      const vectors = await base(texts);
      return (await super.classify(texts)).map((p, i) => ({ ...p, embedding: vectors[i] as Float32Array, encoderChecksum: this.tagged }));
    }
  }

  async function turnWith(classifier: FakeIntentClassifier, text = 'I want a refund for a card payment') {
    const queries: string[][] = [];
    const paths = sampleContentPaths('en');
    const knowledge = await KnowledgeBase.build(loadArticlesFromDir(paths.articlesDir), {
      embed: async (texts) => {
        queries.push([...texts]);
        return base(texts);
      },
      modelChecksum: 'kb-encoder',
    });
    queries.length = 0; // only the turn's query embeddings count
    const handler = new SupportChatHandler({
      languages: { en: { classifier, knowledge, templates: AnswerTemplates.fromFile(paths.templates) } },
      store: new InMemorySessionStore({ ttlMs: 60_000 }),
      options: { retrievalMinScore: 0.2 },
    });
    const turn = await handler.handleTurn({ sessionId: 's-1', text, locale: 'en' });
    return { turn, queries, handler };
  }

  it('searches with the prediction\'s embedding (no embed call) and cites the same passages as a second pass would', async () => {
    const one = await turnWith(new EmbeddingClassifier('kb-encoder'));
    const two = await turnWith(new FakeIntentClassifier(LABELS, EN_RULES, { label: 'exchange_rate', confidence: 0.3 }, 'en-7'));
    expect(one.queries).toEqual([]);
    expect(two.queries).toEqual([['I want a refund for a card payment']]);
    expect(one.turn.response.citations.length).toBeGreaterThan(0);
    expect(one.turn.response.citations).toEqual(two.turn.response.citations);
    expect(one.turn.response.intent).toBe('refund_request');
  });

  it('embeds the query itself when the encoder differs, or the prediction\'s embedding turns out to come from another one', async () => {
    expect((await turnWith(new EmbeddingClassifier('other-encoder'))).queries).toEqual([['I want a refund for a card payment']]);
    // The served version's hint matched, but this prediction came from a version on another base (a swap).
    expect((await turnWith(new EmbeddingClassifier('kb-encoder', 'other-encoder'))).queries).toEqual([['I want a refund for a card payment']]);
  });

  it('embeds a follow-up query (joined to the previous message) itself: the prediction embeds only the message', async () => {
    const { handler, queries } = await turnWith(new EmbeddingClassifier('kb-encoder'), 'I want a refund');
    expect(queries).toEqual([]);
    await handler.handleTurn({ sessionId: 's-1', text: 'and how long does that take?', locale: 'en' });
    expect(queries).toEqual([['I want a refund\nand how long does that take?']]);
  });
});
