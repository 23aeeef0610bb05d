import type { SubmitOptions } from '../batching/dynamic-batcher';
import { ModelFormatError } from '../errors';
import { TextModel, type TextModelOptions } from '../text-model';

export interface Prediction {
  /** Best label (classification) or every label above threshold joined by the caller (multi-label: see `labels`). */
  readonly label: string;
  readonly labels: readonly string[];
  readonly scores: Readonly<Record<string, number>>;
}

export interface PredictionsOptions {
  /** Multi-label model: `labels` holds every label at or above `threshold`, not only the best. */
  readonly multilabel?: boolean;
  /** Default 0.5. */
  readonly threshold?: number;
}

/**
 * Reads a classifier's output rows: column i is `labels[i]`, the best label (first on a
 * tie) is `label`. Pure, so callers that run the model themselves (ModelRepository.infer,
 * which returns the labels of the version that produced the rows) share Classifier's reading.
 * Throws ModelFormatError when a row's width is not the number of labels: rows read with
 * another version's labels.
 */
export function predictionsOf(rows: readonly ArrayLike<number>[], labels: readonly string[], options: PredictionsOptions = {}): Prediction[] {
  const threshold = options.threshold ?? 0.5;
  return rows.map((row, r) => {
    if (labels.length === 0 || row.length !== labels.length) {
      throw new ModelFormatError(`output row ${r} has ${row.length} scores but there are ${labels.length} labels`);
    }
    const scores: Record<string, number> = {};
    let best = 0;
    for (let i = 0; i < labels.length; i++) {
      scores[labels[i] as string] = row[i] as number;
      if ((row[i] as number) > (row[best] as number)) best = i;
    }
    const bestLabel = labels[best] as string;
    const above = options.multilabel ? labels.filter((l) => (scores[l] as number) >= threshold) : [bestLabel];
    return { label: bestLabel, labels: above, scores };
  });
}

/** Fine-tuned classifiers whose fused graph outputs logits or probabilities. */
export class Classifier {
  private constructor(
    readonly model: TextModel,
    readonly labels: readonly string[],
    private readonly threshold: number,
  ) {}

  static async load(path: string, options: TextModelOptions & { multilabelThreshold?: number } = {}): Promise<Classifier> {
    const model = await TextModel.load(path, options);
    const { task } = model.dir.config;
    if (task === 'embedding' || !model.dir.labels) {
      await model.dispose();
      throw new ModelFormatError(`${path} is an embedding model with no labels; load it as an Encoder`);
    }
    return new Classifier(model, model.dir.labels, options.multilabelThreshold ?? 0.5);
  }

  static fromModel(model: TextModel): Classifier {
    if (!model.dir.labels) throw new ModelFormatError(`${model.dir.path} has no labels.json`);
    return new Classifier(model, model.dir.labels, 0.5);
  }

  async predict(texts: readonly string[], options?: SubmitOptions): Promise<Prediction[]> {
    const rows = await this.model.infer(texts, options);
    return predictionsOf(rows, this.labels, { multilabel: this.model.dir.config.task === 'multilabel', threshold: this.threshold });
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
