import type { NewsRawValue } from '@tuneline/events';
import type { WatchEntity } from '@tuneline/sentiment';
import { createRng, type Rng } from './prng';
import { fillTemplate, OTHER_COMPANIES, TEMPLATES, type Sentiment, type Template, type Topic } from './sample-templates';
import { countIn, entityCounts, isoWithOffset, type LabelledEvent, type StreamTruth } from './truth';

/**
 * Builds libs/sentiment/samples from the templates, deterministically from a seed:
 * - sentences: every template filled 3 times with random companies (watch-listed or not, so
 *   no company predicts a label), as {id, text, label} and as {id, text, labels: [topic]};
 * - a 6-hour news.raw stream (SAMPLE_PLAN): a negative surge for one entity, a steady mix for
 *   another, a positive volume spike for a third, a sprinkle of the rest and background items;
 *   ~2% of items arrive up to 90 s late (file order is arrival order, not event order).
 */
export interface SampleSentence {
  readonly id: string;
  readonly text: string;
  readonly label: Sentiment;
}

export interface SampleTopicExample {
  readonly id: string;
  readonly text: string;
  readonly labels: readonly Topic[];
}

export interface SampleOutput {
  readonly sentences: SampleSentence[];
  readonly topicExamples: SampleTopicExample[];
  readonly records: NewsRawValue[];
  readonly truth: StreamTruth;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Label mixes, as blocks dealt in shuffled order so every stretch of items holds the mix. */
const MIXED: readonly Sentiment[] = ['negative', 'negative', 'neutral', 'neutral', 'neutral', 'positive', 'positive', 'positive'];
const SURGE: readonly Sentiment[] = [...Array<Sentiment>(17).fill('negative'), 'neutral', 'neutral', 'positive'];
const GOOD_DAY: readonly Sentiment[] = [...Array<Sentiment>(4).fill('positive'), 'neutral'];

interface SteadyPlan { readonly kind: 'steady'; readonly entity: string; readonly everyMs: number; readonly jitterMs: number }
interface BurstPlan {
  readonly kind: 'burst'; readonly entity: string; readonly fromMs: number; readonly toMs: number; readonly count: number;
  readonly mix: readonly Sentiment[]; readonly topics?: readonly Topic[]; readonly role: 'surge' | 'spike';
}

/** The seed the committed samples were generated with. */
export const DEFAULT_SAMPLE_SEED = 20250106;
export const SAMPLE_START_MS = Date.UTC(2025, 0, 6, 8, 0, 0);
export const SAMPLE_DURATION_MS = 6 * HOUR;
export const SAMPLE_SURGE_ENTITY = 'Northwind Bank';
export const SAMPLE_STEADY_ENTITY = 'Acme Robotics';
export const SAMPLE_SPIKE_ENTITY = 'Helios Energy';

export const SAMPLE_PLAN: readonly (SteadyPlan | BurstPlan)[] = [
  { kind: 'steady', entity: SAMPLE_SURGE_ENTITY, everyMs: 225_000, jitterMs: 60_000 },
  { kind: 'burst', entity: SAMPLE_SURGE_ENTITY, fromMs: 3 * HOUR, toMs: 3 * HOUR + 30 * MINUTE, count: 40, mix: SURGE, topics: ['regulation', 'litigation', 'management'], role: 'surge' },
  { kind: 'steady', entity: SAMPLE_STEADY_ENTITY, everyMs: 150_000, jitterMs: 30_000 },
  { kind: 'steady', entity: SAMPLE_SPIKE_ENTITY, everyMs: 600_000, jitterMs: 120_000 },
  { kind: 'burst', entity: SAMPLE_SPIKE_ENTITY, fromMs: 4 * HOUR + 30 * MINUTE, toMs: 5 * HOUR, count: 20, mix: GOOD_DAY, topics: ['earnings'], role: 'spike' },
  ...['Bluefin Insurance', 'Quantra Semiconductors', 'Meridian Motors', 'Kestrel Pharma', 'Crédit Alpin'].map(
    (entity): SteadyPlan => ({ kind: 'steady', entity, everyMs: 900_000, jitterMs: 300_000 }),
  ),
];
/** Items about no watch-listed entity (fictional companies off the list, markets). */
const BACKGROUND_EVERY_MS = 300_000;

interface Draft extends LabelledEvent {
  readonly title: string;
  readonly body: string;
  readonly arrivalMs: number;
  readonly tickers?: string[];
  readonly entities?: string[];
}

function dealer(rng: Rng, mix: readonly Sentiment[]): () => Sentiment {
  let deck: Sentiment[] = [];
  return () => {
    if (deck.length === 0) deck = rng.shuffle(mix);
    return deck.pop() as Sentiment;
  };
}

function templatesFor(label: Sentiment, withCompany: boolean, topics?: readonly Topic[]): Template[] {
  return TEMPLATES.filter((t) => t.label === label && (!withCompany || t.text.includes('{co}')) && (!topics || topics.includes(t.topic)));
}

/** How the text names the entity: its name, an alias, or the name with its ticker. */
function surfaceForm(rng: Rng, e: WatchEntity): string {
  const r = rng.next();
  if (r < 0.3 && e.aliases?.length) return rng.pick(e.aliases);
  if (r > 0.85 && e.tickers?.length) return `${e.name} (${rng.pick(e.tickers)})`;
  return e.name;
}

/** Upstream tags: 35% ticker only, 15% name only, 10% both, 40% none (the matcher finds those). */
function tags(rng: Rng, e: WatchEntity): { tickers?: string[]; entities?: string[] } {
  const r = rng.next();
  const ticker = e.tickers?.[0];
  if (r < 0.35 && ticker) return { tickers: [ticker] };
  if (r < 0.5) return { entities: [e.name] };
  if (r < 0.6 && ticker) return { tickers: [ticker], entities: [e.name] };
  return {};
}

function draftAbout(rng: Rng, e: WatchEntity, eventMs: number, label: Sentiment, topics?: readonly Topic[]): Omit<Draft, 'arrivalMs'> {
  const template = rng.pick(templatesFor(label, true, topics));
  const title = fillTemplate(template, surfaceForm(rng, e), rng);
  const body = rng.next() < 0.4 ? fillTemplate(rng.pick(templatesFor(label, true)), e.name, rng) : '';
  return { entity: e.name, eventMs, label, title, body, ...tags(rng, e) };
}

function background(rng: Rng, eventMs: number, label: Sentiment): Omit<Draft, 'arrivalMs'> {
  const template = rng.pick(templatesFor(label, false));
  return { entity: undefined, eventMs, label, title: fillTemplate(template, rng.pick(OTHER_COMPANIES), rng), body: '' };
}

function buildSentences(rng: Rng, watchList: readonly WatchEntity[]): { sentences: SampleSentence[]; topicExamples: SampleTopicExample[] } {
  const companies = [...watchList.map((e) => e.name), ...OTHER_COMPANIES];
  const rows = TEMPLATES.flatMap((template) => [0, 1, 2].map(() => ({ template, text: fillTemplate(template, rng.pick(companies), rng) })));
  const shuffled = rng.shuffle(rows);
  const sentences = shuffled.map((r, i) => ({ id: `fs-${String(i + 1).padStart(4, '0')}`, text: r.text, label: r.template.label }));
  const topicExamples = shuffled.map((r, i) => ({ id: `ft-${String(i + 1).padStart(4, '0')}`, text: r.text, labels: [r.template.topic] }));
  return { sentences, topicExamples };
}

export function buildSamples(watchList: readonly WatchEntity[], seed: number): SampleOutput {
  const rng = createRng(seed);
  const { sentences, topicExamples } = buildSentences(rng, watchList);
  const byName = new Map(watchList.map((e) => [e.name, e]));
  const entity = (name: string): WatchEntity => {
    const e = byName.get(name);
    if (!e) throw new RangeError(`watchList: the sample plan needs "${name}"`);
    return e;
  };
  const drafts: Omit<Draft, 'arrivalMs'>[] = [];
  const endMs = SAMPLE_START_MS + SAMPLE_DURATION_MS;
  for (const plan of SAMPLE_PLAN) {
    if (plan.kind === 'steady') {
      const next = dealer(rng, MIXED);
      for (let t = SAMPLE_START_MS + rng.int(0, plan.everyMs - 1); t < endMs; t += plan.everyMs) {
        const eventMs = Math.min(endMs - 1, Math.max(SAMPLE_START_MS, t + rng.int(-plan.jitterMs, plan.jitterMs)));
        drafts.push(draftAbout(rng, entity(plan.entity), eventMs, next()));
      }
    } else {
      const next = dealer(rng, plan.mix);
      for (let i = 0; i < plan.count; i++) {
        const eventMs = SAMPLE_START_MS + plan.fromMs + rng.int(0, plan.toMs - plan.fromMs - 1);
        const label = next();
        drafts.push(draftAbout(rng, entity(plan.entity), eventMs, label, label === 'negative' ? plan.topics : plan.role === 'spike' ? plan.topics : undefined));
      }
    }
  }
  const nextBackground = dealer(rng, MIXED);
  for (let t = SAMPLE_START_MS + rng.int(0, BACKGROUND_EVERY_MS - 1); t < endMs; t += BACKGROUND_EVERY_MS) {
    drafts.push(background(rng, Math.min(endMs - 1, t + rng.int(-150_000, 150_000)), nextBackground()));
  }
  // Event order first (ties by title) so the draws below do not depend on plan order quirks.
  drafts.sort((a, b) => a.eventMs - b.eventMs || (a.title < b.title ? -1 : 1));
  const arrived: Draft[] = drafts.map((d) => ({ ...d, arrivalMs: d.eventMs + (rng.next() < 0.02 ? rng.int(30, 90) * 1000 : 0) }));
  arrived.sort((a, b) => a.arrivalMs - b.arrivalMs || a.eventMs - b.eventMs);
  const sources = ['newswire', 'market-wire', 'regional-press', 'analyst-notes'];
  const records: NewsRawValue[] = arrived.map((d, i) => ({
    id: `ns-${String(i + 1).padStart(4, '0')}`,
    source: rng.pick(sources),
    published_at: isoWithOffset(d.eventMs, rng.next() < 0.1 ? 60 : 0),
    title: d.title,
    body: d.body,
    language: 'en',
    ...(d.tickers ? { tickers: d.tickers } : {}),
    ...(d.entities ? { entities: d.entities } : {}),
  }));
  return { sentences, topicExamples, records, truth: sampleTruth(seed, arrived) };
}

function sampleTruth(seed: number, events: readonly LabelledEvent[]): StreamTruth {
  const span = (fromMs: number, toMs: number) => ({
    start: new Date(SAMPLE_START_MS + fromMs).toISOString(), end: new Date(SAMPLE_START_MS + toMs).toISOString(),
    startMs: SAMPLE_START_MS + fromMs, endMs: SAMPLE_START_MS + toMs,
  });
  const bursts = SAMPLE_PLAN.filter((p): p is BurstPlan => p.kind === 'burst');
  const withCounts = (p: BurstPlan) => {
    const s = span(p.fromMs, p.toMs);
    return { entity: p.entity, key: `entity:${p.entity}`, ...s, ...countIn(events, p.entity, s.startMs, s.endMs) };
  };
  return {
    version: 1,
    generator: 'tools/replay/make-sample-stream.ts',
    seed,
    start: new Date(SAMPLE_START_MS).toISOString(),
    end: new Date(SAMPLE_START_MS + SAMPLE_DURATION_MS).toISOString(),
    items: events.length,
    surges: bursts.filter((p) => p.role === 'surge').map(withCounts),
    steady: [SAMPLE_STEADY_ENTITY],
    spikes: bursts.filter((p) => p.role === 'spike').map((p) => {
      const { entity, key, start, end, items, negatives } = withCounts(p);
      return { entity, key, start, end, items, negatives };
    }),
    entities: entityCounts(events),
  };
}

const jsonl = (rows: readonly unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** File contents by SENTIMENT_SAMPLE_FILES key, exactly as committed. */
export function renderSampleFiles(out: SampleOutput): Record<'sentiment' | 'topicExamples' | 'newsStream' | 'newsStreamTruth', string> {
  return {
    sentiment: jsonl(out.sentences),
    topicExamples: jsonl(out.topicExamples),
    newsStream: jsonl(out.records),
    newsStreamTruth: JSON.stringify(out.truth, null, 2) + '\n',
  };
}
