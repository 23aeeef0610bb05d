import { TOPICS, type NewsRawValue } from '@tuneline/events';
import { AlertEngine, type SentimentAlert } from '@tuneline/sentiment';
import {
  backlogRecords,
  DEFAULT_LATENCY_STREAM,
  LATENCY_ALERTING,
  LATENCY_ALERTING_ENV,
  latencyAlertingOptions,
  planLatencyStream,
  splitRate,
  stampAt,
  type LatencyPlan,
  type TextPool,
} from './sentiment-throughput-stream';

const template = (i: number, extra: Partial<NewsRawValue> = {}): NewsRawValue => ({
  id: `t${i}`,
  source: 'wire',
  published_at: '2025-01-06T08:00:00.000Z',
  title: `Headline ${i}`,
  body: '',
  language: 'en',
  ...extra,
});

const POOL: TextPool = {
  negative: [template(1, { title: 'Shares collapsed after the fraud probe.' }), template(2, { title: 'The lender booked a heavy loss.' })],
  other: [template(3, { title: 'The company held its investor day.' }), template(4, { title: 'Profit rose.', tickers: ['NWB'] })],
};

describe('backlogRecords', () => {
  it('cycles the templates under fresh ids with event times a second apart ending at endMs, valid news.raw records without tickers', () => {
    const templates = [template(1, { entities: ['Acme Robotics'], tickers: ['ACMR'] }), template(2)];
    const out = backlogRecords(templates, 5, 'run1', Date.parse('2026-01-01T00:00:10.000Z'));
    expect(out.map((r) => r.id)).toEqual(['run1-b0', 'run1-b1', 'run1-b2', 'run1-b3', 'run1-b4']);
    expect(out.map((r) => r.title)).toEqual(['Headline 1', 'Headline 2', 'Headline 1', 'Headline 2', 'Headline 1']);
    expect(out.map((r) => r.published_at)).toEqual(['06', '07', '08', '09', '10'].map((s) => `2026-01-01T00:00:${s}.000Z`));
    expect(out[0]).toMatchObject({ entities: ['Acme Robotics'] });
    expect(out.every((r) => r.tickers === undefined)).toBe(true);
    for (const r of out) expect(TOPICS.newsRaw.schema.safeParse(r).success).toBe(true);
  });

  it('refuses no templates and a bad count, naming the field', () => {
    expect(() => backlogRecords([], 1, 'r', 0)).toThrow(/^templates:/);
    expect(() => backlogRecords([template(1)], 0, 'r', 0)).toThrow(/^n:/);
  });
});

describe('planLatencyStream', () => {
  const plan = (ratePerSec: number, seconds = 120): LatencyPlan => planLatencyStream(POOL, { ...DEFAULT_LATENCY_STREAM, ratePerSec, seconds }, 'run2');

  it('holds about rate × seconds items in time order, surges rotating over the entities, each surge all negative', () => {
    const p = plan(15);
    expect(p.items.length).toBeGreaterThan(15 * 120 * 0.9);
    expect(p.items.length).toBeLessThan(15 * 120 * 1.1);
    for (let i = 1; i < p.items.length; i++) expect(p.items[i]?.atMs).toBeGreaterThanOrEqual(p.items[i - 1]?.atMs as number);
    expect(p.surges.length).toBe(Math.floor((120_000 - 20_000 - 2_000) / 4_000) + 1);
    expect(p.surges.slice(0, 16).map((s) => s.entity)).toEqual([...DEFAULT_LATENCY_STREAM.entities, DEFAULT_LATENCY_STREAM.entities[0]]);
    const surgeItems = p.items.filter((it) => it.surge !== undefined);
    expect(surgeItems.length).toBe(p.surges.length * p.surgeItems);
    expect(surgeItems.every((it) => it.negative && POOL.negative.some((n) => n.title === it.value.title))).toBe(true);
    const calm = p.items.filter((it) => it.surge === undefined);
    const share = calm.filter((it) => it.negative).length / calm.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.2);
    expect(new Set(p.items.map((it) => it.value.id)).size).toBe(p.items.length);
    expect(p.items.every((it) => it.value.entities?.length === 1 && it.value.entities[0] === it.entity && it.value.tickers === undefined)).toBe(true);
  });

  it('sizes a surge against an entity\'s calm items per window, never below the minimum, and keeps the total rate', () => {
    // 15 entities, 20 s windows, a surge every 4 s: calm c with 1.5 · c · 20/15 = 2c items per surge, and c + 2c/4 = rate.
    const at = (ratePerSec: number) => splitRate({ ...DEFAULT_LATENCY_STREAM, ratePerSec });
    expect(at(30)).toEqual({ calmRatePerSec: 20, surgeItems: 40 });
    expect(at(9)).toEqual({ calmRatePerSec: 6, surgeItems: 12 });
  });

  it('is the same plan for the same seed', () => {
    expect(plan(12, 30)).toEqual(plan(12, 30));
  });

  it('stamps event times rebased to the start', () => {
    const p = plan(10, 30);
    const item = p.items[5];
    if (!item) throw new Error('no item');
    expect(stampAt(item, Date.parse('2026-01-01T00:00:00.000Z')).published_at).toBe(new Date(Date.parse('2026-01-01T00:00:00.000Z') + item.atMs).toISOString());
  });

  it('refuses a rate the surges alone would fill, and an empty pool side', () => {
    expect(() => plan(5)).toThrow(/^ratePerSec: .*surges of 12; needs at least 6\.0\/s/);
    expect(() => planLatencyStream({ negative: [], other: POOL.other }, { ...DEFAULT_LATENCY_STREAM, ratePerSec: 10, seconds: 10 }, 'r')).toThrow(/^pool\.negative:/);
    expect(() => planLatencyStream(POOL, { ...DEFAULT_LATENCY_STREAM, ratePerSec: 10, seconds: 10, minSurgeItems: 0 }, 'r')).toThrow(/^minSurgeItems:/);
  });

  /** The entity window events of a plan, sentiment as planned, through the engine the service runs with the bench's settings. */
  function alertsOf(p: LatencyPlan): SentimentAlert[] {
    const engine = new AlertEngine(latencyAlertingOptions());
    return p.items.flatMap((it) =>
      engine.process({
        key: `entity:${it.entity}`,
        kind: 'entity',
        name: it.entity,
        itemId: it.value.id,
        eventTimeMs: it.atMs + 1_000_000,
        sentiment: it.negative ? 'negative' : 'neutral',
        negativeProb: it.negative ? 0.9 : 0.1,
        title: it.value.title,
        modelVersion: 'm@1',
        source: '0',
      }),
    );
  }

  it.each([10, 15, 40])('at %d items/s, with the bench alerting settings, nearly every surge alerts (a surge item triggers it) and calm news rarely does', (rate) => {
    const p = plan(rate, 180);
    const alerts = alertsOf(p);
    const byId = new Map(p.items.map((it) => [it.value.id, it]));
    const surgeAlerts = alerts.filter((a) => byId.get(a.triggerItemId)?.surge !== undefined);
    const alerted = new Set(surgeAlerts.map((a) => byId.get(a.triggerItemId)?.surge));
    expect(alerted.size).toBeGreaterThanOrEqual(Math.floor(p.surges.length * 0.9));
    expect(p.surges.length).toBeGreaterThanOrEqual(30);
    expect(alerts.length - surgeAlerts.length).toBeLessThanOrEqual(alerts.length * 0.1);
  });

  it('maps the bench alerting settings onto the service variables', () => {
    expect(LATENCY_ALERTING_ENV).toEqual({
      SENTIMENT_WINDOW_MS: '20000',
      SENTIMENT_HOP_MS: '20000',
      SENTIMENT_ALLOWED_LATENESS_MS: '10000',
      SENTIMENT_COOLDOWN_MS: '20000',
      SENTIMENT_MIN_BASELINE_WINDOWS: '100000',
    });
    expect(latencyAlertingOptions()).toMatchObject(LATENCY_ALERTING);
  });
});
