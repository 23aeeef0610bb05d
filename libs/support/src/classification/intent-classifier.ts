/**
 * What the handler needs from an intent model. The app wires libs/inference's
 * Classifier (from its ModelRepository, so hot swaps change `version`); unit tests
 * use a fake. `confidence` is the probability of `label`; `scores` holds every label's.
 */
export interface IntentPrediction {
  readonly label: string;
  readonly confidence: number;
  readonly scores: Readonly<Record<string, number>>;
  /**
   * The model version that produced this prediction, when the classifier knows it (a
   * repository that hot-swaps: read from the same version that ran). Reported with the
   * turn in preference to `IntentClassifier.version`, which may have changed meanwhile.
   */
  readonly modelVersion?: string;
  /**
   * The message's sentence embedding, when the model computed one on the way to its
   * scores (a fused classifier: encoder + pooling + head in one graph). Only reused for
   * retrieval when `encoderChecksum` equals the knowledge base's `modelChecksum`.
   */
  readonly embedding?: Float32Array;
  /** sha256 of the encoder that produced `embedding` (the model card's `baseModel.sha256`). */
  readonly encoderChecksum?: string;
}

export interface IntentClassifier {
  /** One prediction per text, in order. */
  classify(texts: readonly string[]): Promise<IntentPrediction[]>;
  /**
   * Model name and version reported with every turn (proto ModelRef); a prediction's own
   * `modelVersion`, when set, is reported instead of `version`.
   */
  readonly name: string;
  readonly version: string;
  /**
   * Every label the model can predict (libs/inference's Classifier has them). Optional:
   * when present, feedback's `correctIntent` must be one of them.
   */
  readonly labels?: readonly string[];
  /**
   * The encoder checksum the version served now attaches to its predictions' embeddings,
   * when it returns them. A hint: when it equals the knowledge base's `modelChecksum` the
   * handler waits for the prediction's embedding instead of embedding the query alongside
   * (the prediction is still checked, a swap may change it); otherwise both run in parallel.
   */
  readonly encoderChecksum?: string;
}

export interface LabelScore {
  label: string;
  score: number;
}

/** The `n` best labels, best first; ties by label so the order is stable. */
export function topIntents(scores: Readonly<Record<string, number>>, n: number): LabelScore[] {
  return Object.entries(scores)
    .map(([label, score]) => ({ label, score }))
    .sort((a, b) => b.score - a.score || a.label.localeCompare(b.label))
    .slice(0, n);
}
