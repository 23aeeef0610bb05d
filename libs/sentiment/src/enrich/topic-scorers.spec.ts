import { createClassifierTopicScorer } from './topic-classifier';
import { OTHER_TOPIC, parseTopicDefinitions, type TopicDefinition } from './topic-scorer';
import { createSimilarityTopicScorer, DEFAULT_OTHER_THRESHOLD } from './topic-similarity';

// A fake encoder over three axes: earnings words, deal words, everything else.
function fakeEmbed(text: string): Float32Array {
  const t = text.toLowerCase();
  const v = new Float32Array([/profit|earnings|revenue/.test(t) ? 1 : 0, /merger|acquire|deal/.test(t) ? 1 : 0, 0.2]);
  return v;
}
const embed = async (texts: string[]) => texts.map(fakeEmbed);
const TOPICS: TopicDefinition[] = [
  { name: 'earnings', descriptions: ['Quarterly profit and revenue', 'Earnings beat'] },
  { name: 'm&a', descriptions: ['A merger deal', 'Company to acquire rival'] },
];

describe('createSimilarityTopicScorer', () => {
  it('assigns the closest topic first, scores summing to 1, method embedding-similarity', async () => {
    const scorer = await createSimilarityTopicScorer(TOPICS, embed);
    expect(scorer.method).toBe('embedding-similarity');
    const scores = scorer.score(new Float32Array([0.9, 0.1, 0.1]));
    expect(scores.map((s) => s.label)).toEqual(['earnings', OTHER_TOPIC, 'm&a']);
    expect(scores.reduce((a, s) => a + s.score, 0)).toBeCloseTo(1, 6);
    expect(scores[0]?.score).toBeGreaterThan(0.9);
  });

  it('assigns other exactly when the best cosine is below the threshold', async () => {
    const scorer = await createSimilarityTopicScorer(TOPICS, embed, { otherThreshold: 0.5 });
    // cosine to earnings centroid [~0.98,0,~0.2] of [1,0,1]/√2 is ~0.83; of [0.1,0,1] ~0.29
    expect(scorer.score(new Float32Array([1, 0, 1]))[0]?.label).toBe('earnings');
    expect(scorer.score(new Float32Array([0.1, 0, 1]))[0]?.label).toBe(OTHER_TOPIC);
    expect(DEFAULT_OTHER_THRESHOLD).toBeGreaterThan(0);
  });

  it('lets a described other topic compete with its own centroid', async () => {
    const scorer = await createSimilarityTopicScorer([...TOPICS, { name: 'other', descriptions: ['misc'] }], embed, { otherThreshold: -1 });
    const scores = scorer.score(new Float32Array([0, 0, 1]));
    expect(scores[0]?.label).toBe('other');
    expect(scores.filter((s) => s.label === 'other')).toHaveLength(1);
  });

  it('sharpens with a lower temperature', async () => {
    const hot = await createSimilarityTopicScorer(TOPICS, embed, { temperature: 1 });
    const cold = await createSimilarityTopicScorer(TOPICS, embed, { temperature: 0.01 });
    const e = new Float32Array([0.8, 0.3, 0.1]);
    expect(cold.score(e)[0]?.score).toBeGreaterThan(hot.score(e)[0]?.score as number);
  });

  it('embeds all descriptions in one call', async () => {
    const calls: string[][] = [];
    await createSimilarityTopicScorer(TOPICS, async (texts) => (calls.push(texts), texts.map(fakeEmbed)));
    expect(calls).toEqual([['Quarterly profit and revenue', 'Earnings beat', 'A merger deal', 'Company to acquire rival']]);
  });

  it('rejects bad options, bad embedder output and bad item embeddings', async () => {
    await expect(createSimilarityTopicScorer(TOPICS, embed, { temperature: 0 })).rejects.toThrow(/^temperature/);
    await expect(createSimilarityTopicScorer(TOPICS, embed, { otherThreshold: 2 })).rejects.toThrow(/^otherThreshold/);
    await expect(createSimilarityTopicScorer(TOPICS, async () => [])).rejects.toThrow(/^embed: returned 0 vectors for 4/);
    await expect(createSimilarityTopicScorer(TOPICS, async (t) => t.map((_, i) => new Float32Array(i === 2 ? 2 : 3)))).rejects.toThrow(RangeError);
    await expect(createSimilarityTopicScorer(TOPICS, async (t) => t.map(() => new Float32Array(3)))).rejects.toThrow(/zero vector/);
    await expect(createSimilarityTopicScorer([], embed)).rejects.toThrow(/^topics: expected a non-empty array/);
    const scorer = await createSimilarityTopicScorer(TOPICS, embed);
    expect(() => scorer.score(undefined)).toThrow(/^embedding: .*withEmbedding/);
    expect(() => scorer.score(new Float32Array(4))).toThrow(/^embedding: expected 3 dimensions/);
    expect(() => scorer.score(new Float32Array([NaN, 1, 1]))).toThrow(/not a finite number/);
  });
});

describe('parseTopicDefinitions', () => {
  it.each<[unknown, RegExp]>([
    [{}, /^topics: expected a non-empty array/],
    [[{ name: '', descriptions: ['x'] }], /^topics\[0\]\.name/],
    [[{ name: 'a', descriptions: [] }], /^topics\[0\]\.descriptions: expected a non-empty array/],
    [[{ name: 'a', descriptions: ['x', ' '] }], /^topics\[0\]\.descriptions\[1\]/],
    [[{ name: 'a', descriptions: ['x'] }, { name: 'a', descriptions: ['y'] }], /^topics\[1\]\.name: "a" is listed twice/],
  ])('rejects %j', (value, message) => {
    expect(() => parseTopicDefinitions(value)).toThrow(message);
  });
});

describe('createClassifierTopicScorer', () => {
  const scorer = createClassifierTopicScorer();

  it('reads probabilities by label name, best first, method classifier', () => {
    expect(scorer.method).toBe('classifier');
    const scores = scorer.score(undefined, { labels: ['macro', 'earnings', 'm&a'], probabilities: new Float32Array([0.2, 0.75, 0.5]) });
    expect(scores.map((s) => s.label)).toEqual(['earnings', 'm&a', 'macro']);
    expect(scores[0]?.score).toBeCloseTo(0.75, 6);
  });

  it('puts other first when no label reaches the threshold', () => {
    const scores = scorer.score(undefined, { labels: ['earnings', 'macro'], probabilities: [0.3, 0.1] });
    expect(scores[0]).toEqual({ label: OTHER_TOPIC, score: 0.7 });
    expect(scores.map((s) => s.label)).toEqual([OTHER_TOPIC, 'earnings', 'macro']);
    const own = scorer.score(undefined, { labels: ['earnings', 'other'], probabilities: [0.3, 0.2] });
    expect(own).toEqual([{ label: 'other', score: 0.2 }, { label: 'earnings', score: 0.3 }]);
  });

  it('honours a custom threshold', () => {
    const low = createClassifierTopicScorer({ threshold: 0.25 });
    expect(low.score(undefined, { labels: ['earnings', 'macro'], probabilities: [0.3, 0.1] })[0]?.label).toBe('earnings');
  });

  it('rejects missing or malformed probabilities and a bad threshold', () => {
    expect(() => scorer.score(undefined)).toThrow(/^topicProbs: /);
    expect(() => scorer.score(undefined, { labels: ['a', 'b'], probabilities: [0.1] })).toThrow(/expected 2 values/);
    expect(() => scorer.score(undefined, { labels: ['a', 'a'], probabilities: [0.1, 0.2] })).toThrow(/duplicate label/);
    expect(() => scorer.score(undefined, { labels: ['a'], probabilities: [1.5] })).toThrow(/^topicProbs\.probabilities\[0\] \("a"\)/);
    expect(() => scorer.score(undefined, { labels: [], probabilities: [] })).toThrow(TypeError);
    expect(() => createClassifierTopicScorer({ threshold: -0.1 })).toThrow(RangeError);
  });
});
