import { SupportChatHandler } from '../../src/handler/support-chat-handler';
import type { LanguagePack } from '../../src/handler/language-pack';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base';
import { loadArticlesFromDir } from '../../src/knowledge/load-articles';
import { sampleContentPaths } from '../../src/samples';
import { InMemorySessionStore } from '../../src/session/in-memory-session-store';
import { AnswerTemplates } from '../../src/templates/answer-templates';
import { FakeClock } from '../../src/testing/fake-clock';
import { FakeIntentClassifier, type FakeIntentRule } from '../../src/testing/fake-intent-classifier';
import { hashingEmbedder } from '../../src/testing/hashing-embedder';

// A handler over the sample packs with fakes, for specs that need real turns, feedback and handoffs.

const EN_LABELS = ['account_balance', 'card_arrival', 'card_lost', 'change_address', 'close_account', 'exchange_rate', 'pin_reset', 'refund_request', 'talk_to_human', 'transfer_failed'];
const ZH_LABELS = ['refund_request', 'card_lost', 'talk_to_human'];

async function samplePack(language: 'en' | 'zh', labels: string[], rules: FakeIntentRule[]): Promise<LanguagePack> {
  const paths = sampleContentPaths(language);
  return {
    classifier: new FakeIntentClassifier(labels, rules, { label: labels[0] as string, confidence: 0.3 }, `${language}-7`),
    knowledge: await KnowledgeBase.build(loadArticlesFromDir(paths.articlesDir), { embed: hashingEmbedder(512), modelChecksum: 'fake' }),
    templates: AnswerTemplates.fromFile(paths.templates),
  };
}

export async function handlerWithSamples() {
  const time = new FakeClock();
  const store = new InMemorySessionStore({ ttlMs: 60_000, clock: time.clock });
  let ids = 0;
  const handler = new SupportChatHandler({
    languages: {
      en: await samplePack('en', EN_LABELS, [
        { pattern: /refund/i, label: 'refund_request', confidence: 0.9 },
        { pattern: /lost my card/i, label: 'card_lost', confidence: 0.95 },
      ]),
      zh: await samplePack('zh', ZH_LABELS, [{ pattern: /退款/, label: 'refund_request', confidence: 0.9 }]),
    },
    store,
    clock: time.clock,
    requestId: () => `req-${++ids}`,
    options: { retrievalMinScore: 0.2 },
  });
  return { handler, store, time };
}
