import { ValidationError } from '@tuneline/platform';
import type { TopicScorer } from '@tuneline/sentiment';
import type { SentimentRun } from './sentiment-model';
import { scoreTexts, type ScoreTextsDeps } from './score-texts';

const topics: TopicScorer = {
  method: 'embedding-similarity',
  score: (e) => (e?.[0] === 1 ? [{ label: 'earnings', score: 0.8 }, { label: 'other', score: 0.2 }] : [{ label: 'other', score: 0.9 }]),
};

function deps(overrides: Partial<ScoreTextsDeps> = {}): ScoreTextsDeps & { runs: string[][] } {
  const runs: string[][] = [];
  return {
    runs,
    model: {
      name: 'fin',
      run: async (texts): Promise<SentimentRun> => {
        runs.push([...texts]);
        return {
          model: 'fin',
          version: '3',
          modelVersion: 'fin@3',
          // Columns in another order than the label list: read by name.
          labels: ['positive', 'negative', 'neutral'],
          rows: texts.map((_, i) => (i === 0 ? Float32Array.from([0.1, 0.8, 0.1]) : Float32Array.from([0.6, 0.1, 0.3]))),
          embeddings: texts.map((_, i) => Float32Array.from([i === 0 ? 1 : 0])),
          topics,
        };
      },
    },
    isReady: () => true,
    limits: { maxTexts: 3, maxTextChars: 20 },
    ...overrides,
  };
}

describe('scoreTexts', () => {
  it('scores in request order: sentiment by label name, best first, score = P(pos) - P(neg), topics from the embedding', async () => {
    const d = deps();
    const out = await scoreTexts([{ id: 'a', text: 'shares plunge' }, { id: 'b', text: 'record profit' }], d);
    expect(d.runs).toEqual([['shares plunge', 'record profit']]);
    expect(out.model).toEqual({ name: 'fin', version: '3' });
    const [a, b] = out.results;
    expect(a).toMatchObject({ id: 'a', sentiment: 'negative', topic: 'earnings', topicMethod: 'embedding-similarity' });
    expect(a?.score).toBeCloseTo(0.1 - 0.8);
    // Equal probabilities keep the order negative, neutral, positive.
    expect(a?.sentimentScores.map((s) => s.label)).toEqual(['negative', 'neutral', 'positive']);
    expect(b?.sentimentScores.map((s) => s.label)).toEqual(['positive', 'neutral', 'negative']);
    expect(b).toMatchObject({ id: 'b', sentiment: 'positive', topic: 'other' });
    expect(b?.score).toBeCloseTo(0.5);
  });

  it('refuses an empty batch, too many texts, an empty or too long text as INVALID_ARGUMENT naming the field, before any inference', async () => {
    const d = deps();
    const cases: [unknown[], RegExp][] = [
      [[], /texts must not be empty/],
      [[1, 2, 3, 4].map((i) => ({ id: String(i), text: 'x' })), /too many texts: 4 > limit 3/],
      [[{ id: 'a', text: 'ok' }, { id: 'b', text: '   ' }], /texts\[1\]\.text is empty/],
      [[{ id: 'a', text: 'x'.repeat(21) }], /texts\[0\]\.text has 21 characters; limit is 20/],
    ];
    for (const [texts, message] of cases) {
      const err = await scoreTexts(texts as { id: string; text: string }[], d).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
    }
    expect(d.runs).toEqual([]);
  });

  it('is UNAVAILABLE while the model is loading', async () => {
    await expect(scoreTexts([{ id: 'a', text: 'x' }], deps({ isReady: () => false }))).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
  });
});
