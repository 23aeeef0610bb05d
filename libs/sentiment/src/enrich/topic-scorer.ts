import type { LabelScore } from '../types';

/**
 * Topic scoring contract shared by the two scorers. `score` returns every topic it knows with
 * a score, the assigned topic first (then by score, descending); `OTHER_TOPIC` is assigned
 * when no configured topic is a confident fit.
 */
export const OTHER_TOPIC = 'other';

export type TopicMethod = 'classifier' | 'embedding-similarity';

export interface TopicDefinition {
  readonly name: string;
  /** Sentences describing the topic, as news would phrase it (3-5 work well). */
  readonly descriptions: readonly string[];
}

/** A multi-label topic model's output for one item: per-label probabilities (sigmoid, independent). */
export interface TopicProbabilities {
  readonly labels: readonly string[];
  readonly probabilities: ArrayLike<number>;
}

export interface TopicScorer {
  readonly method: TopicMethod;
  /** `embedding`: the item's sentence embedding (similarity); `topicProbs`: the topic model's row (classifier). */
  score(embedding: Float32Array | undefined, topicProbs?: TopicProbabilities): LabelScore[];
}

const MAX_TOPIC_NAME = 200;

/** Validates topic definitions (e.g. the parsed topics.json): names unique, descriptions non-empty. */
export function parseTopicDefinitions(value: unknown): TopicDefinition[] {
  if (!Array.isArray(value) || value.length === 0) throw new TypeError('topics: expected a non-empty array of { name, descriptions }');
  const seen = new Set<string>();
  return value.map((t: unknown, i) => {
    const at = `topics[${i}]`;
    if (typeof t !== 'object' || t === null) throw new TypeError(`${at}: expected { name, descriptions }`);
    const { name, descriptions } = t as { name?: unknown; descriptions?: unknown };
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_TOPIC_NAME) throw new TypeError(`${at}.name: expected 1..${MAX_TOPIC_NAME} characters`);
    if (seen.has(name.trim())) throw new TypeError(`${at}.name: "${name}" is listed twice`);
    seen.add(name.trim());
    if (!Array.isArray(descriptions) || descriptions.length === 0) throw new TypeError(`${at}.descriptions: expected a non-empty array of sentences`);
    descriptions.forEach((d: unknown, j) => {
      if (typeof d !== 'string' || d.trim() === '') throw new TypeError(`${at}.descriptions[${j}]: expected a non-empty string`);
    });
    return { name: name.trim(), descriptions: (descriptions as string[]).map((d) => d.trim()) };
  });
}

/** Sorts scores descending; equal scores keep their given order (Array#sort is stable). */
export function byScoreDescending(scores: LabelScore[]): LabelScore[] {
  return scores.sort((a, b) => b.score - a.score);
}
