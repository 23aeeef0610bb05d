import { alertingOptions, EntityMatcher, type TopicScorer } from '@tuneline/sentiment';
import { synthesizeStream, type LabelledSentence } from '../replay/synthesize';
import { replayAlerts, type RunSentimentModel } from './sentiment-alert-replay';
import { entityAlertOf, matchSurges } from './sentiment-quality-metrics';
import { planSurges } from './surge-plan';

const MIN = 60_000;
const HOUR = 60 * MIN;

// A corpus whose label a keyword gives away, and a fake model that reads the keyword: a
// perfect classifier, so whatever is missed is the alerting's doing.
const CORPUS: LabelledSentence[] = [
  ...['Sales fell sharply in the quarter .', 'The company swung to a loss .', 'Operating profit fell by a third .', 'The bank cut jobs after a loss .'].map((text) => ({ text, label: 'negative' as const })),
  ...['The company will hold its meeting in May .', 'The firm has offices in Oslo .', 'The group employs 300 people .', 'The report covers the year .'].map((text) => ({ text, label: 'neutral' as const })),
  ...['Net sales rose by 12 % .', 'The company won a large order and profit rose .', 'Profit rose to a record .', 'Orders rose strongly .'].map((text) => ({ text, label: 'positive' as const })),
];
const LABELS = ['negative', 'neutral', 'positive'];
const rowOf = (text: string) => (/fell|loss/.test(text) ? [0.9, 0.05, 0.05] : /rose/.test(text) ? [0.05, 0.05, 0.9] : [0.05, 0.9, 0.05]);
const fakeModel = (): { run: RunSentimentModel; calls: number[]; texts: string[] } => {
  const calls: number[] = [];
  const seen: string[] = [];
  return {
    calls,
    texts: seen,
    run: async (texts) => {
      calls.push(texts.length);
      seen.push(...texts);
      return { version: '1', labels: LABELS, rows: texts.map((t) => Float32Array.from(rowOf(t))), embeddings: texts.map(() => Float32Array.from([1, 0])) };
    },
  };
};
const oneTopic: TopicScorer = { method: 'embedding-similarity', score: () => [{ label: 'other', score: 1 }] };

describe('replayAlerts (the service stages without Kafka, on a fake model)', () => {
  const entities = ['Acme', 'Globex', 'Initech'];
  const surges = planSurges({ entities: ['Acme', 'Globex'], surgesPerEntity: 1, streamMs: 8 * HOUR, warmupMs: 2 * HOUR, surgeMinMs: 30 * MIN, surgeMaxMs: 30 * MIN, restMs: 2 * HOUR, seed: 3 });
  const stream = synthesizeStream({ sentences: CORPUS, entities, surges, seed: 3, durationMs: 8 * HOUR });
  const deps = (run: RunSentimentModel, batchSize?: number) => ({
    model: 'financial-sentiment', run, matcher: new EntityMatcher(entities.map((name) => ({ name }))), topics: oneTopic, alerting: alertingOptions(),
    ...(batchSize !== undefined ? { batchSize } : {}),
  });

  it('scores every item once, fans out one window event per entity plus the topic, and detects every surge', async () => {
    const model = fakeModel();
    const r = await replayAlerts(stream.records, deps(model.run));
    expect(model.calls.reduce((a, b) => a + b, 0)).toBe(stream.records.length);
    expect(Math.max(...model.calls)).toBeLessThanOrEqual(256);
    expect(r.items).toHaveLength(stream.records.length);
    const tagged = stream.records.filter((x) => (x.entities ?? []).length > 0).length;
    expect(r.windowEvents).toBe(stream.records.length + tagged);
    expect(r.engine.lateDropped).toBe(0);
    // The model reads the texts with the watch-listed names masked, as the service does.
    expect(model.texts.some((t) => /Acme|Globex|Initech/.test(t))).toBe(false);
    expect(model.texts.some((t) => /the company/i.test(t))).toBe(true);
    // A perfect model: predicted negatives are the corpus negatives the generator drew.
    for (const s of stream.truth.surges) {
      const inSurge = r.items.filter((it) => it.entities.includes(s.entity) && it.eventTimeMs >= s.startMs && it.eventTimeMs < s.endMs);
      expect(inSurge.filter((it) => it.sentiment === 'negative')).toHaveLength(s.negatives);
    }
    const m = matchSurges(stream.truth.surges, r.alerts.filter((a) => a.kind === 'entity').map(entityAlertOf));
    // One surge per entity, each far above the prior share: any sane rule set detects both.
    expect(m.surges).toBe(2);
    expect(m.recall).toBe(1);
    expect(r.alerts.every((a) => a.modelVersion === 'financial-sentiment@1')).toBe(true);
  });

  it('batch size does not change the alerts (items are processed in order either way)', async () => {
    const a = await replayAlerts(stream.records, deps(fakeModel().run));
    const b = await replayAlerts(stream.records, deps(fakeModel().run, 7));
    expect(b.alerts.map((x) => x.alertId)).toEqual(a.alerts.map((x) => x.alertId));
    expect(a.alerts.length).toBeGreaterThan(0);
  });

  it('refuses a bad batch size and surfaces a model with the wrong labels', async () => {
    await expect(replayAlerts(stream.records, deps(fakeModel().run, 0))).rejects.toThrow(/batchSize/);
    const wrong: RunSentimentModel = async (texts) => ({ ...(await fakeModel().run(texts)), labels: ['bad', 'neutral', 'positive'] });
    await expect(replayAlerts(stream.records, deps(wrong))).rejects.toThrow(/labels/);
  });
});
