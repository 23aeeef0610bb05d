import type { LabelScore } from '../types';
import { byScoreDescending, OTHER_TOPIC, parseTopicDefinitions, type TopicDefinition, type TopicScorer } from './topic-scorer';

/**
 * Zero-shot topics: each topic is the normalised mean of its descriptions' embeddings (a
 * centroid), an item's cosine to each centroid becomes a probability by softmax(cos / T).
 * `other` competes with a fixed cosine of `otherThreshold` (or its own centroid's cosine,
 * when topics.json describes it, whichever is higher): it is assigned whenever every other
 * topic's cosine falls below the threshold, and, when described, when its centroid is closest.
 *
 * Defaults measured with bge-small-en-v1.5 (tools/replay/topic-fit.ts on samples/
 * financial-topics.jsonl, 387 sentences): the best topic cosine is 0.55 / 0.64 / 0.71 at
 * p5 / p50 / p95 and leads the runner-up by a median 0.04, so T = 0.02 turns that lead into
 * e^2 ≈ 7x the odds; off-domain texts (sport, recipes, weather) score 0.45-0.58, so a 0.5
 * threshold sends the clearly unrelated ones to `other` and 0.5% of the on-domain ones.
 * Argmax accuracy on those sentences: 0.71 over the 8 topics. Other encoders: re-measure.
 */
export const DEFAULT_TOPIC_TEMPERATURE = 0.02;
export const DEFAULT_OTHER_THRESHOLD = 0.5;

export interface SimilarityTopicOptions {
  readonly temperature?: number;
  readonly otherThreshold?: number;
}

export type EmbedTexts = (texts: string[]) => Promise<Float32Array[]>;

function normalised(v: ArrayLike<number>, field: string): Float64Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (!Number.isFinite(x)) throw new RangeError(`${field}: component ${i} is not a finite number`);
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  if (norm === 0) throw new RangeError(`${field}: zero vector`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / norm;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

class SimilarityTopicScorer implements TopicScorer {
  readonly method = 'embedding-similarity' as const;

  constructor(
    private readonly names: readonly string[],
    private readonly centroids: readonly Float64Array[],
    private readonly temperature: number,
    private readonly otherThreshold: number,
  ) {}

  score(embedding: Float32Array | undefined): LabelScore[] {
    if (embedding === undefined) throw new TypeError('embedding: the embedding-similarity topic scorer needs the item embedding (infer with withEmbedding: true)');
    const dim = this.centroids[0]?.length ?? 0;
    if (embedding.length !== dim) throw new RangeError(`embedding: expected ${dim} dimensions (the topic descriptions' encoder), got ${embedding.length}`);
    const e = normalised(embedding, 'embedding');
    const cosines = this.centroids.map((c) => dot(e, c));
    const names = [...this.names];
    const otherAt = names.indexOf(OTHER_TOPIC);
    if (otherAt >= 0) cosines[otherAt] = Math.max(cosines[otherAt] as number, this.otherThreshold);
    else {
      names.push(OTHER_TOPIC);
      cosines.push(this.otherThreshold);
    }
    // Softmax, shifted by the max for stability. Ties: configured order, the fallback last.
    const max = Math.max(...cosines);
    const weights = cosines.map((c) => Math.exp((c - max) / this.temperature));
    const sum = weights.reduce((a, b) => a + b, 0);
    return byScoreDescending(names.map((label, i) => ({ label, score: (weights[i] as number) / sum })));
  }
}

/**
 * Embeds every description once (one `embed` call), then scores items from their embeddings
 * alone; the item embedding must come from the same encoder (same dimension is checked).
 */
export async function createSimilarityTopicScorer(
  topics: readonly TopicDefinition[],
  embed: EmbedTexts,
  options: SimilarityTopicOptions = {},
): Promise<TopicScorer> {
  const defs = parseTopicDefinitions(topics);
  if (typeof embed !== 'function') throw new TypeError('embed: expected a function (texts) => Promise<Float32Array[]>');
  const temperature = options.temperature ?? DEFAULT_TOPIC_TEMPERATURE;
  if (!(Number.isFinite(temperature) && temperature > 0)) throw new RangeError(`temperature: expected a number > 0, got ${temperature}`);
  const otherThreshold = options.otherThreshold ?? DEFAULT_OTHER_THRESHOLD;
  if (!(Number.isFinite(otherThreshold) && otherThreshold >= -1 && otherThreshold <= 1)) {
    throw new RangeError(`otherThreshold: expected a cosine in [-1, 1], got ${otherThreshold}`);
  }
  const texts = defs.flatMap((d) => d.descriptions);
  const vectors = await embed(texts);
  if (!Array.isArray(vectors) || vectors.length !== texts.length) {
    throw new RangeError(`embed: returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} descriptions`);
  }
  const dim = vectors[0]?.length ?? 0;
  let k = 0;
  const centroids = defs.map((d) => {
    const mean = new Float64Array(dim);
    for (let n = 0; n < d.descriptions.length; n++) {
      const field = `embed: vector ${k} ("${d.name}")`;
      const v = vectors[k++] as Float32Array;
      if (v.length !== dim || dim === 0) throw new RangeError(`${field}: expected ${dim || 'a non-zero number of'} dimensions, got ${v.length}`);
      const u = normalised(v, field);
      for (let i = 0; i < dim; i++) mean[i] += u[i];
    }
    return normalised(mean, `topics "${d.name}" centroid`);
  });
  return new SimilarityTopicScorer(defs.map((d) => d.name), centroids, temperature, otherThreshold);
}
