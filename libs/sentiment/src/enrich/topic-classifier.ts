import type { LabelScore } from '../types';
import { byScoreDescending, OTHER_TOPIC, type TopicProbabilities, type TopicScorer } from './topic-scorer';

/**
 * Topics from a fine-tuned multi-label head (libs/finetune task 'multilabel', trained on
 * MultiLabelExample rows such as samples/financial-topics.jsonl): the model gives each label an
 * independent sigmoid probability. Labels are read by name (a new model version may order
 * them differently). The best label is assigned when its probability reaches `threshold`;
 * otherwise `other` is, first in the list: with the model's own `other` probability when it
 * has that label, else 1 − the best probability (the chance that no listed topic applies, if
 * the best one is the only candidate).
 */
export const DEFAULT_TOPIC_PROBABILITY_THRESHOLD = 0.5;

export interface ClassifierTopicOptions {
  readonly threshold?: number;
}

class ClassifierTopicScorer implements TopicScorer {
  readonly method = 'classifier' as const;

  constructor(private readonly threshold: number) {}

  score(_embedding: Float32Array | undefined, topicProbs?: TopicProbabilities): LabelScore[] {
    if (topicProbs === undefined) throw new TypeError('topicProbs: the classifier topic scorer needs the topic model\'s probabilities');
    const { labels, probabilities } = topicProbs;
    if (!Array.isArray(labels) || labels.length === 0) throw new TypeError('topicProbs.labels: expected the topic model\'s labels');
    if (probabilities?.length !== labels.length) {
      throw new RangeError(`topicProbs.probabilities: expected ${labels.length} values (one per label), got ${probabilities?.length}`);
    }
    if (new Set(labels).size !== labels.length) throw new TypeError('topicProbs.labels: duplicate label');
    const scores = labels.map((label: string, i) => {
      const p = probabilities[i] as number;
      if (!(Number.isFinite(p) && p >= 0 && p <= 1)) throw new RangeError(`topicProbs.probabilities[${i}] ("${label}"): expected a probability in [0, 1], got ${p}`);
      return { label, score: p };
    });
    byScoreDescending(scores);
    const best = scores[0] as LabelScore;
    if (best.label === OTHER_TOPIC || best.score >= this.threshold) return scores;
    const own = scores.findIndex((s) => s.label === OTHER_TOPIC);
    const other = own >= 0 ? (scores.splice(own, 1)[0] as LabelScore) : { label: OTHER_TOPIC, score: 1 - best.score };
    return [other, ...scores];
  }
}

export function createClassifierTopicScorer(options: ClassifierTopicOptions = {}): TopicScorer {
  const threshold = options.threshold ?? DEFAULT_TOPIC_PROBABILITY_THRESHOLD;
  if (!(Number.isFinite(threshold) && threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold: expected a probability in [0, 1], got ${threshold}`);
  return new ClassifierTopicScorer(threshold);
}
