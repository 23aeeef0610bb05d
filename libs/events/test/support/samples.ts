import type {
  ModelPublished,
  NewsRaw,
  SentimentAlert,
  SentimentScored,
  SupportConversationTurn,
  UserEvent,
} from '../../src';

// One valid value per registered topic, shared by unit and integration specs.
export const samples = {
  newsRaw: (): NewsRaw => ({
    id: 'news-1',
    source: 'reuters',
    text: 'Acme Corp beats expectations for the third quarter.',
    entities: ['ACME'],
    publishedAt: '2026-11-28T10:00:00.000Z',
  }),
  sentimentScored: (): SentimentScored => ({
    id: 'news-1',
    topic: 'ACME',
    sentiment: 'positive',
    scores: { negative: 0.05, neutral: 0.15, positive: 0.8 },
    entities: ['ACME'],
    modelVersion: 'finbert-ft/3',
    scoredAt: '2026-11-28T10:00:01.000Z',
  }),
  sentimentAlert: (): SentimentAlert => ({
    entity: 'ACME',
    windowStart: '2026-11-28T10:00:00.000Z',
    windowEnd: '2026-11-28T10:15:00.000Z',
    negativeShare: 0.6,
    baseline: 0.2,
    surgeRatio: 3,
    sampleIds: ['news-1', 'news-2'],
  }),
  supportTurn: (): SupportConversationTurn => ({
    sessionId: 'sess-42',
    turn: 0,
    role: 'user',
    text: 'My card was charged twice',
    intent: 'card_payment_wrong_exchange_rate',
    confidence: 0.91,
    handoff: false,
  }),
  userEvent: (userId = 'u-1', itemId = 'i-1'): UserEvent => ({
    userId,
    itemId,
    type: 'click',
    ts: '2026-11-28T10:00:00.000Z',
  }),
  modelPublished: (): ModelPublished => ({
    model: 'sentiment-finbert',
    version: '3',
    path: '/models/sentiment-finbert/3',
    sha256: 'a'.repeat(64),
    task: 'text-classification',
    labels: ['negative', 'neutral', 'positive'],
    metrics: { accuracy: 0.93, macroF1: 0.91 },
    publishedAt: '2026-11-28T09:00:00.000Z',
  }),
};
