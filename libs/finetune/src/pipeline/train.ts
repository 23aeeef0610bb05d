import type { TaskRow } from '../data/task-rows';
import { trainHead, type EmbeddedSplit, type EpochRecord, type TrainResult } from '../train/train-head';
import type { TrainOptions } from '../train/train-options';

export interface TrainStageInput {
  readonly labels: readonly string[];
  readonly train: readonly TaskRow[];
  readonly validation: readonly TaskRow[];
  readonly dim: number;
  /** Embeddings of train rows, then validation rows. */
  readonly X: Float64Array;
  readonly multilabel: boolean;
  readonly options?: Partial<TrainOptions>;
  readonly onEpoch?: (record: EpochRecord, totalEpochs: number) => void;
}

export interface TrainedHead {
  readonly result: TrainResult;
  readonly validation: EmbeddedSplit;
}

export function toEmbeddedSplit(rows: readonly TaskRow[], X: Float64Array, labels: readonly string[], multilabel: boolean): EmbeddedSplit {
  const index = new Map(labels.map((l, i) => [l, i]));
  const targets = Int32Array.from(rows.map((r) => index.get(r.labels[0] as string) as number));
  if (!multilabel) return { X, n: rows.length, targets };
  const multiHot = new Float64Array(rows.length * labels.length);
  rows.forEach((r, i) => r.labels.forEach((l) => { multiHot[i * labels.length + (index.get(l) as number)] = 1; }));
  return { X, n: rows.length, targets, multiHot };
}

/** Stage 3: train the head on the embeddings (the temperature is fitted on validation). */
export function trainOnEmbeddings(input: TrainStageInput): TrainedHead {
  const { dim, labels, multilabel } = input;
  const nTrain = input.train.length;
  const train = toEmbeddedSplit(input.train, input.X.subarray(0, nTrain * dim), labels, multilabel);
  const validation = toEmbeddedSplit(input.validation, input.X.subarray(nTrain * dim), labels, multilabel);
  const result = trainHead({ dim, labels, train, validation, multilabel, ...(input.options ? { options: input.options } : {}), ...(input.onEpoch ? { onEpoch: input.onEpoch } : {}) });
  return { result, validation };
}
