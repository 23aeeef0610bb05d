import type { NewsRawValue } from '@tuneline/events';
import type { SurgeSpec } from './durations';
import { injectEntity } from './inject-entity';
import { createRng, type Rng } from './prng';
import { countIn, entityCounts, type LabelledEvent, type StreamTruth, type SurgeTruth } from './truth';

/**
 * Synthesises a news.raw stream with known negative surges from a sentiment-labelled corpus
 * (e.g. the Financial PhraseBank training file), for alert-quality measurement:
 * - each entity gets a Poisson stream at `entityRatePerHour`; its sentences are drawn from
 *   the whole corpus, so its negative share is the corpus's (~12% for PhraseBank);
 * - during a surge the entity's rate is multiplied by `surgeRateMultiplier` and each item is a
 *   negative sentence with probability `surgeNegativeShare` (else drawn as usual);
 * - background items (no entity) arrive at `backgroundRatePerHour`;
 * - sentences are dealt from per-label shuffled decks, so repeats only start once a deck is spent.
 * Records are in event-time order; ids are `<idPrefix>-<n>`.
 */
export type CorpusLabel = 'negative' | 'neutral' | 'positive';

export interface LabelledSentence {
  readonly text: string;
  readonly label: CorpusLabel;
}

export interface SynthOptions {
  readonly sentences: readonly LabelledSentence[];
  readonly entities: readonly string[];
  readonly surges: readonly SurgeSpec[];
  readonly seed: number;
  readonly startMs?: number;
  readonly durationMs?: number;
  readonly entityRatePerHour?: number;
  readonly backgroundRatePerHour?: number;
  readonly surgeRateMultiplier?: number;
  readonly surgeNegativeShare?: number;
  /** Put the entity in the record's `entities` too (default true); false leaves it to watch-list matching. */
  readonly tagEntities?: boolean;
  readonly idPrefix?: string;
  readonly source?: string;
  readonly language?: string;
}

export const SYNTH_DEFAULTS = {
  startMs: Date.UTC(2025, 0, 6, 8, 0, 0),
  durationMs: 6 * 3_600_000,
  entityRatePerHour: 24,
  backgroundRatePerHour: 60,
  surgeRateMultiplier: 3,
  surgeNegativeShare: 0.8,
  tagEntities: true,
  idPrefix: 'syn',
  source: 'synth',
  language: 'en',
} as const;

export interface SynthOutput {
  readonly records: NewsRawValue[];
  readonly truth: StreamTruth;
}

const LABELS: readonly CorpusLabel[] = ['negative', 'neutral', 'positive'];
const TITLE_MAX = 1000;

function positive(name: string, v: number): number {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${name}: expected a number > 0, got ${v}`);
  return v;
}

/** Draws sentences label by label from shuffled decks (reshuffled when spent). */
function decks(rng: Rng, sentences: readonly LabelledSentence[]) {
  const pools = new Map(LABELS.map((l) => [l, sentences.filter((s) => s.label === l)]));
  const open = new Map<CorpusLabel, LabelledSentence[]>();
  const draw = (label: CorpusLabel): LabelledSentence => {
    let deck = open.get(label);
    if (!deck || deck.length === 0) {
      deck = rng.shuffle(pools.get(label) ?? []);
      open.set(label, deck);
    }
    return deck.pop() as LabelledSentence;
  };
  // Natural mix: a corpus-wide draw picks the label in proportion to the corpus.
  const any = (): LabelledSentence => draw((rng.pick(sentences) as LabelledSentence).label);
  return { draw, any, has: (label: CorpusLabel) => (pools.get(label)?.length ?? 0) > 0 };
}

/** Arrival times of a Poisson process whose rate is piecewise constant (memoryless restarts at boundaries). */
function arrivals(rng: Rng, fromMs: number, toMs: number, rateAt: (ms: number) => { perMs: number; untilMs: number }): number[] {
  const out: number[] = [];
  let t = fromMs;
  while (t < toMs) {
    const { perMs, untilMs } = rateAt(t);
    const next = t + rng.exponential(1 / perMs);
    const boundary = Math.min(untilMs, toMs);
    if (next >= boundary) {
      t = boundary;
      continue;
    }
    out.push(Math.floor(next));
    t = next;
  }
  return out;
}

export function synthesizeStream(options: SynthOptions): SynthOutput {
  const o = { ...SYNTH_DEFAULTS, ...options };
  if (!Array.isArray(o.sentences) || o.sentences.length === 0) throw new RangeError('sentences: the corpus is empty');
  o.sentences.forEach((s, i) => {
    if (typeof s?.text !== 'string' || s.text.trim() === '') throw new TypeError(`sentences[${i}].text: expected a non-empty string`);
    if (!LABELS.includes(s.label)) throw new TypeError(`sentences[${i}].label: expected negative, neutral or positive, got ${JSON.stringify(s.label)}`);
  });
  const entities = o.entities.map((e, i) => {
    if (typeof e !== 'string' || e.trim() === '') throw new TypeError(`entities[${i}]: expected a non-empty name`);
    return e.trim();
  });
  if (new Set(entities).size !== entities.length) throw new TypeError('entities: a name is listed twice');
  positive('durationMs', o.durationMs);
  positive('entityRatePerHour', o.entityRatePerHour);
  if (!(Number.isFinite(o.backgroundRatePerHour) && o.backgroundRatePerHour >= 0)) throw new RangeError(`backgroundRatePerHour: expected a number >= 0, got ${o.backgroundRatePerHour}`);
  if (!(Number.isFinite(o.surgeRateMultiplier) && o.surgeRateMultiplier >= 1)) throw new RangeError(`surgeRateMultiplier: expected a number >= 1, got ${o.surgeRateMultiplier}`);
  if (!(o.surgeNegativeShare >= 0 && o.surgeNegativeShare <= 1)) throw new RangeError(`surgeNegativeShare: expected a share in [0, 1], got ${o.surgeNegativeShare}`);
  if (!Number.isFinite(o.startMs)) throw new RangeError(`startMs: expected a time in ms, got ${o.startMs}`);
  const endMs = o.startMs + o.durationMs;
  const surges = o.surges.map((s, i) => {
    if (!entities.includes(s.entity)) throw new RangeError(`surges[${i}].entity: "${s.entity}" is not one of the entities (${entities.join(', ')})`);
    if (!(s.offsetMs >= 0 && s.durationMs > 0 && s.offsetMs + s.durationMs <= o.durationMs)) {
      throw new RangeError(`surges[${i}]: ${s.entity} from +${s.offsetMs} ms for ${s.durationMs} ms does not fit in the ${o.durationMs} ms stream`);
    }
    return { entity: s.entity, fromMs: o.startMs + s.offsetMs, toMs: o.startMs + s.offsetMs + s.durationMs };
  });
  surges.forEach((a, i) => surges.slice(i + 1).forEach((b) => {
    if (a.entity === b.entity && a.fromMs < b.toMs && b.fromMs < a.toMs) throw new RangeError(`surges: two surges of ${a.entity} overlap`);
  }));

  const rng = createRng(o.seed);
  const deck = decks(rng, o.sentences);
  if (surges.length > 0 && o.surgeNegativeShare > 0 && !deck.has('negative')) throw new RangeError('sentences: surges need negative sentences, the corpus has none');
  const base = o.entityRatePerHour / 3_600_000;
  const events: (LabelledEvent & { text: string })[] = [];
  for (const entity of entities) {
    const mine = surges.filter((s) => s.entity === entity).sort((a, b) => a.fromMs - b.fromMs);
    const inSurge = (t: number) => mine.find((s) => t >= s.fromMs && t < s.toMs);
    const rateAt = (t: number) => {
      const s = inSurge(t);
      if (s) return { perMs: base * o.surgeRateMultiplier, untilMs: s.toMs };
      return { perMs: base, untilMs: mine.find((x) => x.fromMs > t)?.fromMs ?? endMs };
    };
    for (const t of arrivals(rng, o.startMs, endMs, rateAt)) {
      const s = inSurge(t) && rng.next() < o.surgeNegativeShare ? deck.draw('negative') : deck.any();
      events.push({ entity, eventMs: t, label: s.label, text: injectEntity(s.text.trim(), entity, rng) });
    }
  }
  if (o.backgroundRatePerHour > 0) {
    const perMs = o.backgroundRatePerHour / 3_600_000;
    for (const t of arrivals(rng, o.startMs, endMs, () => ({ perMs, untilMs: endMs }))) {
      const s = deck.any();
      events.push({ entity: undefined, eventMs: t, label: s.label, text: s.text.trim() });
    }
  }
  events.sort((a, b) => a.eventMs - b.eventMs || (a.entity ?? '').localeCompare(b.entity ?? ''));

  const width = Math.max(6, String(events.length).length);
  const records: NewsRawValue[] = events.map((e, i) => ({
    id: `${o.idPrefix}-${String(i + 1).padStart(width, '0')}`,
    source: o.source,
    published_at: new Date(e.eventMs).toISOString(),
    // PhraseBank sentences are one line each; a longer text goes to the body (news.raw caps titles at 1000).
    title: e.text.length <= TITLE_MAX ? e.text : '',
    body: e.text.length <= TITLE_MAX ? '' : e.text,
    language: o.language,
    ...(e.entity !== undefined && o.tagEntities ? { entities: [e.entity] } : {}),
  }));
  const surgeTruth: SurgeTruth[] = surges.map((s) => ({
    entity: s.entity, key: `entity:${s.entity}`,
    start: new Date(s.fromMs).toISOString(), end: new Date(s.toMs).toISOString(), startMs: s.fromMs, endMs: s.toMs,
    ...countIn(events, s.entity, s.fromMs, s.toMs),
  }));
  return {
    records,
    truth: {
      version: 1,
      generator: 'tools/replay/synth.ts',
      seed: o.seed,
      start: new Date(o.startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      items: records.length,
      surges: surgeTruth,
      steady: entities.filter((e) => !surges.some((s) => s.entity === e)),
      spikes: [],
      entities: entityCounts(events),
    },
  };
}
