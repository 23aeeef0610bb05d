import { TOPICS, validateValue } from '@tuneline/events';
import { toCorpus } from './corpus';
import { injectEntity } from './inject-entity';
import { createRng } from './prng';
import { synthesizeStream, type LabelledSentence, type SynthOptions } from './synthesize';

// A made-up corpus with PhraseBank-like proportions (1 negative in 8).
const corpus: LabelledSentence[] = [
  ...Array.from({ length: 10 }, (_, i) => ({ text: `The company cut ${i + 1} hundred jobs .`, label: 'negative' as const })),
  ...Array.from({ length: 50 }, (_, i) => ({ text: `Sales were flat in region ${i + 1} .`, label: 'neutral' as const })),
  ...Array.from({ length: 20 }, (_, i) => ({ text: `Profit rose ${i + 1} % .`, label: 'positive' as const })),
];
const HOUR = 3_600_000;
const base: SynthOptions = { sentences: corpus, entities: ['Acme', 'Globex'], surges: [{ entity: 'Acme', offsetMs: 2 * HOUR, durationMs: HOUR / 2 }], seed: 42 };

describe('synthesizeStream', () => {
  const { records, truth } = synthesizeStream(base);

  it('is deterministic for a seed and differs across seeds', () => {
    expect(synthesizeStream(base)).toEqual({ records, truth });
    expect(synthesizeStream({ ...base, seed: 43 }).records).not.toEqual(records);
  });

  it('writes valid news.raw records in event-time order with unique ids', () => {
    for (const r of records) validateValue(TOPICS.newsRaw, r);
    const times = records.map((r) => Date.parse(r.published_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(truth.items).toBe(records.length);
  });

  it('puts the surge at the asked time with a far higher negative share than the entity\'s baseline', () => {
    expect(truth.surges).toHaveLength(1);
    const s = truth.surges[0];
    const acme = truth.entities['Acme'];
    if (!s || !acme) throw new Error('no Acme surge in the truth');
    expect(s).toMatchObject({ entity: 'Acme', key: 'entity:Acme', start: '2025-01-06T10:00:00.000Z', end: '2025-01-06T10:30:00.000Z' });
    const baselineShare = (acme.negatives - s.negatives) / (acme.items - s.items);
    expect(s.negatives / s.items).toBeGreaterThan(0.6);
    expect(baselineShare).toBeLessThan(0.3);
    // volume: ~3x the 24/h base rate over half an hour (Poisson, so a wide margin)
    expect(s.items).toBeGreaterThan(20);
    expect(truth.steady).toEqual(['Globex']);
  });

  it('tags surge records with their entity and injects the name into the text', () => {
    const acme = records.filter((r) => r.entities?.includes('Acme'));
    expect(acme.length).toBe(truth.entities['Acme']?.items);
    for (const r of acme) expect(r.title).toContain('Acme');
    const untagged = synthesizeStream({ ...base, tagEntities: false }).records;
    expect(untagged.some((r) => r.entities)).toBe(false);
  });

  it('adds background items about no entity', () => {
    const background = records.filter((r) => !r.entities);
    expect(background.length).toBeGreaterThan(200); // 60/h over 6 h
    expect(synthesizeStream({ ...base, backgroundRatePerHour: 0 }).records.every((r) => r.entities)).toBe(true);
  });

  it.each<[string, Partial<SynthOptions>, RegExp]>([
    ['an empty corpus', { sentences: [] }, /^sentences: the corpus is empty/],
    ['a bad label', { sentences: [{ text: 'x', label: 'bad' as 'negative' }] }, /^sentences\[0\]\.label/],
    ['a surge for an unknown entity', { surges: [{ entity: 'Initech', offsetMs: 0, durationMs: 1 }] }, /^surges\[0\]\.entity: "Initech" is not one of/],
    ['a surge past the end', { surges: [{ entity: 'Acme', offsetMs: 6 * HOUR, durationMs: 1 }] }, /does not fit/],
    ['overlapping surges', { surges: [{ entity: 'Acme', offsetMs: 0, durationMs: HOUR }, { entity: 'Acme', offsetMs: HOUR / 2, durationMs: HOUR }] }, /overlap/],
    ['a duplicate entity', { entities: ['Acme', 'Acme'] }, /listed twice/],
    ['a share above 1', { surgeNegativeShare: 1.5 }, /^surgeNegativeShare/],
    ['a multiplier below 1', { surgeRateMultiplier: 0.5 }, /^surgeRateMultiplier/],
    ['surges without negatives', { sentences: corpus.filter((s) => s.label !== 'negative') }, /need negative sentences/],
  ])('rejects %s', (_what, patch, message) => {
    expect(() => synthesizeStream({ ...base, ...patch })).toThrow(message);
  });
});

describe('injectEntity', () => {
  it('replaces a generic subject or tags the sentence, keeping the rest', () => {
    const outs = Array.from({ length: 40 }, (_, i) => injectEntity('The company said sales fell .', 'Acme', createRng(i)));
    expect(outs).toContain('Acme said sales fell .');
    expect(outs.every((o) => o.includes('Acme') && o.includes('said sales fell'))).toBe(true);
    const tagged = Array.from({ length: 20 }, (_, i) => injectEntity('Sales fell .', 'Acme', createRng(i)));
    expect(new Set(tagged)).toEqual(new Set(['Acme: Sales fell .', 'Sales fell . (Acme)']));
  });
});

describe('toCorpus', () => {
  it('lower-cases labels and names the record with a bad one', () => {
    expect(toCorpus([{ text: 'a', label: 'Negative' }], 'f.jsonl')).toEqual([{ text: 'a', label: 'negative' }]);
    expect(() => toCorpus([{ text: 'a', label: 'neutral' }, { text: 'b', label: 'mixed' }], 'f.jsonl')).toThrow(/^f\.jsonl: record 2 has label "mixed"/);
  });
});
