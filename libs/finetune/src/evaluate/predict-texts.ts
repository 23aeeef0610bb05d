import { Classifier, DEFAULT_INPUT_LIMITS, type Prediction } from '@tuneline/inference';

/** Texts per Classifier call: the inference library refuses more than this in one call. */
export const PREDICT_CHUNK_SIZE = DEFAULT_INPUT_LIMITS.maxBatchTexts;
/** Chunks queued at once, so the dynamic batcher always has the next batch ready. */
const CHUNKS_IN_FLIGHT = 2;

export interface PredictOptions {
  /** At most PREDICT_CHUNK_SIZE (256). */
  readonly chunkSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A loaded fine-tuned model that accepts any number of texts (it chunks them). */
export interface Predictor {
  readonly dir: string;
  readonly labels: readonly string[];
  readonly task: 'classification' | 'multilabel';
  predict(texts: readonly string[], options?: PredictOptions): Promise<Prediction[]>;
  dispose(): Promise<void>;
}

function chunkSizeOf(options: PredictOptions): number {
  const size = options.chunkSize ?? PREDICT_CHUNK_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > PREDICT_CHUNK_SIZE) {
    throw new RangeError(`chunkSize must be an integer in [1, ${PREDICT_CHUNK_SIZE}], got ${size}`);
  }
  return size;
}

/** Loads the model directory once; throws ModelFormatError when it is missing or not a classifier. */
export async function openPredictor(modelDir: string): Promise<Predictor> {
  const clf = await Classifier.load(modelDir);
  const task = clf.model.dir.config.task === 'multilabel' ? 'multilabel' : 'classification';
  return {
    dir: modelDir,
    labels: clf.labels,
    task,
    async predict(texts, options = {}) {
      const size = chunkSizeOf(options);
      const out: Prediction[] = [];
      for (let s = 0; s < texts.length; s += size * CHUNKS_IN_FLIGHT) {
        const chunks: (readonly string[])[] = [];
        for (let k = 0; k < CHUNKS_IN_FLIGHT && s + k * size < texts.length; k++) chunks.push(texts.slice(s + k * size, s + (k + 1) * size));
        for (const result of await Promise.all(chunks.map((c) => clf.predict(c)))) out.push(...result);
        options.onProgress?.(out.length, texts.length);
      }
      return out;
    },
    dispose: () => clf.dispose(),
  };
}

/** One-shot: load the model, predict every text in chunks of 256, dispose. */
export async function predictTexts(modelDir: string, texts: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
  chunkSizeOf(options);
  const predictor = await openPredictor(modelDir);
  try {
    return await predictor.predict(texts, options);
  } finally {
    await predictor.dispose();
  }
}
