import { EntityMatcher, type TopicScorer } from '@tuneline/sentiment';
import type { LabelledSentence } from '../replay/synthesize';
import { validateAlerting, validationSeed } from './alerting-validation';
import { HEAD_CANDIDATES, selectionParts } from './head-selection';

// Sentences whose label one word gives away, and an "encoder" that maps that word to an axis:
// a linear head separates them exactly, so the validation model is perfect here.
const words = { negative: 'fell', neutral: 'met', positive: 'rose' } as const;
const ROWS: LabelledSentence[] = (['negative', 'neutral', 'positive'] as const).flatMap((label) =>
  Array.from({ length: 40 }, (_, i) => ({ text: `Item ${i} ${words[label]} in the quarter .`, label })));
const vec = (t: string) => (t.includes('fell') ? [1, 0, 0] : t.includes('rose') ? [0, 0, 1] : [0, 1, 0]);
const embed = async (texts: readonly string[]) => Float64Array.from(texts.flatMap(vec));
const oneTopic: TopicScorer = { method: 'embedding-similarity', score: () => [{ label: 'other', score: 1 }] };

describe('validateAlerting', () => {
  it('scores the candidates on a stream from the selection rows only, with the fit-only head', async () => {
    const logs: string[] = [];
    const X = await embed(ROWS.map((r) => r.text));
    const streamed: string[] = [];
    const spy = async (texts: readonly string[]) => { streamed.push(...texts); return embed(texts); };
    const v = await validateAlerting({
      rows: ROWS, X, dim: 3, labels: ['negative', 'neutral', 'positive'], head: HEAD_CANDIDATES[0] as (typeof HEAD_CANDIDATES)[number],
      selectionFraction: 0.2, seed: 5, embed: spy, matcher: new EntityMatcher([{ name: 'Acme' }, { name: 'Globex' }]), topics: oneTopic,
      stream: { surgingEntities: ['Acme'], steadyEntities: ['Globex'], surgesPerEntity: 1, hours: 6 },
      candidates: [{ name: 'defaults', overrides: {} }, { name: 'z 100', overrides: { zThreshold: 100, criticalZ: 100 } }], minPrecision: 0.9, log: (m) => logs.push(m),
    });
    expect(v.streamSeed).toBe(validationSeed(5));
    expect(v.selectionRows).toBe(24);
    expect(v.model).toEqual({ accuracy: 1, macroF1: 1, negativeRecall: 1 });
    expect(v.surges).toBe(1);
    expect(v.scoredItems).toHaveLength(v.items);
    // Only selection texts appear in the stream (the fit part never does).
    const { select } = selectionParts(ROWS.map((r) => r.label), 0.2, 5);
    const allowed = new Set(select.map((i) => (ROWS[i] as LabelledSentence).text));
    expect(streamed).toHaveLength(v.items);
    const sources = new Set(streamed.map((t) => ROWS.find((r) => t.includes(r.text.slice(0, -2)))?.text));
    expect([...sources].every((t) => t !== undefined && allowed.has(t))).toBe(true);
    expect(sources.size).toBeGreaterThan(10);
    const [defaults, never] = v.outcomes;
    expect(defaults).toMatchObject({ name: 'defaults', recall: 1 });
    expect(never).toMatchObject({ name: 'z 100', recall: 0, alerts: 0, precision: 1, delayMedianSec: null });
    expect(v.chosen?.name).toBe('defaults');
    expect(logs.some((l) => l.startsWith('validation stream:'))).toBe(true);
  });
});
