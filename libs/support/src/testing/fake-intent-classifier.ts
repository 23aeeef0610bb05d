import type { IntentClassifier, IntentPrediction } from '../classification/intent-classifier';

export interface FakeIntentRule {
  /** Tested against the message. */
  readonly pattern: RegExp;
  readonly label: string;
  readonly confidence: number;
}

/**
 * Keyword classifier for unit tests: the first matching rule gives the label and its
 * confidence; no match gives `fallbackLabel` at `fallbackConfidence`. The rest of the
 * probability is spread evenly over the other labels, so scores sum to 1.
 */
export class FakeIntentClassifier implements IntentClassifier {
  readonly name = 'fake-intents';
  readonly calls: string[][] = [];

  constructor(
    readonly labels: readonly string[],
    private readonly rules: readonly FakeIntentRule[],
    private readonly fallback: { label: string; confidence: number },
    readonly version = 'test-1',
  ) {}

  async classify(texts: readonly string[]): Promise<IntentPrediction[]> {
    this.calls.push([...texts]);
    return texts.map((t) => {
      const rule = this.rules.find((r) => r.pattern.test(t)) ?? { ...this.fallback, pattern: /$^/ };
      const others = this.labels.filter((l) => l !== rule.label);
      const rest = others.length > 0 ? (1 - rule.confidence) / others.length : 0;
      const scores = Object.fromEntries(this.labels.map((l) => [l, l === rule.label ? rule.confidence : rest]));
      return { label: rule.label, confidence: rule.confidence, scores };
    });
  }
}
