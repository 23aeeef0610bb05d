import * as ort from 'onnxruntime-node';
import type { BatcherOptions } from './batching/batcher-options';
import { DynamicBatcher, type DrainOptions, type SubmitOptions } from './batching/dynamic-batcher';
import { InvalidInputError, ModelFormatError } from './errors';
import type { InferenceMetrics } from './metrics';
import { loadFeatureModelDir, type FeatureModelDir } from './model/feature-model-config';
import type { ExecutionProviderName } from './session/execution-providers';
import { createModelSession, type GraphOptimizationLevel, type ModelSession } from './session/model-session';

export interface FeatureModelOptions {
  readonly executionProviders?: readonly ExecutionProviderName[];
  readonly intraOpNumThreads?: number;
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** `maxTokensPerBatch` counts rows here. */
  readonly batching?: Partial<BatcherOptions>;
  /** Most rows one call may score. Default 10 000. */
  readonly maxRows?: number;
  readonly metrics?: InferenceMetrics;
  readonly name?: string;
  readonly log?: (message: string) => void;
  /** @internal test seam, as TextModelOptions.createSession. */
  readonly createSession?: Parameters<typeof createModelSession>[0]['createSession'];
}

/**
 * Feature rows score in microseconds, so a run is cheap and batching is about sharing one
 * session call among concurrent requests: many requests, many rows, no wait to speak of.
 */
export const DEFAULT_FEATURE_BATCHING: Partial<BatcherOptions> = { maxBatchSize: 64, maxTokensPerBatch: 65_536, maxQueueDelayMs: 1 };
export const DEFAULT_FEATURE_MAX_ROWS = 10_000;

interface Rows {
  readonly features: Float32Array;
  readonly n: number;
}

/**
 * A feature-input model version (e.g. a ranking head): float32 rows [N, D] in, one score
 * per row out, through the same dynamic batcher and drain-on-dispose as TextModel, so the
 * ModelRepository hot-swaps it the same way.
 */
export class FeatureModel {
  readonly kind = 'features' as const;
  /** Feature models have no sentence-embedding output (kept so any served model can be asked). */
  readonly embeddingOutput: undefined = undefined;

  private constructor(
    readonly dir: FeatureModelDir,
    readonly name: string,
    private readonly session: ModelSession,
    private readonly batcher: DynamicBatcher<Rows, Float32Array>,
    private readonly maxRows: number,
    private readonly metrics: InferenceMetrics | undefined,
  ) {}

  static async load(path: string, options: FeatureModelOptions = {}): Promise<FeatureModel> {
    const dir = await loadFeatureModelDir(path);
    const maxRows = options.maxRows ?? DEFAULT_FEATURE_MAX_ROWS;
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`maxRows must be a positive integer, got ${String(maxRows)}`);
    const session = await createModelSession({
      modelPath: dir.onnxPath,
      expectedInputs: [dir.config.inputName],
      ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
      ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
      ...(options.graphOptimizationLevel ? { graphOptimizationLevel: options.graphOptimizationLevel } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.createSession ? { createSession: options.createSession } : {}),
    });
    try {
      if (!session.outputNames.includes(dir.config.outputName)) {
        throw new ModelFormatError(`${dir.onnxPath}: output "${dir.config.outputName}" not in graph outputs ${session.outputNames.join(', ')}`);
      }
      const name = options.name ?? dir.path;
      const batching = { ...DEFAULT_FEATURE_BATCHING, ...options.batching, maxTokensPerBatch: Math.max(maxRows, options.batching?.maxTokensPerBatch ?? 0, DEFAULT_FEATURE_BATCHING.maxTokensPerBatch as number) };
      const metrics = options.metrics;
      const batcher = new DynamicBatcher<Rows, Float32Array>(runner(session, dir), (r) => r.n, batching,
        metrics ? (s) => metrics.observeBatch(name, session.provider, s) : undefined, options.log);
      const model = new FeatureModel(dir, name, session, batcher, maxRows, metrics);
      const [probe] = await batcher.submitMany([{ features: new Float32Array(model.dimension), n: 1 }]);
      if (probe?.length !== 1) {
        await batcher.drain();
        throw new ModelFormatError(`${dir.onnxPath}: one row scored into ${probe?.length} values, expected 1`);
      }
      return model;
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  get provider(): ExecutionProviderName {
    return this.session.provider;
  }

  get queueDepth(): number {
    return this.batcher.queueDepth;
  }

  /** The batcher's settings in effect (`maxTokensPerBatch` counts rows). */
  get batching(): BatcherOptions {
    return this.batcher.settings;
  }

  get featureNames(): readonly string[] {
    return this.dir.config.featureNames;
  }

  /** Features per row. */
  get dimension(): number {
    return this.dir.config.featureNames.length;
  }

  /** Scores `n` rows of `features` (row-major, featureNames order): one float per row. */
  async score(features: Float32Array, n: number, options: SubmitOptions = {}): Promise<Float32Array> {
    if (!(features instanceof Float32Array)) throw new InvalidInputError('features must be a Float32Array');
    if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`n must be a positive integer, got ${String(n)}`);
    if (n > this.maxRows) throw new InvalidInputError(`too many rows: ${n} > limit ${this.maxRows} per call`);
    if (features.length !== n * this.dimension) throw new InvalidInputError(`features has ${features.length} values, expected n × ${this.dimension} = ${n * this.dimension}`);
    for (let i = 0; i < features.length; i++) {
      if (!Number.isFinite(features[i])) throw new InvalidInputError(`features[${i}] (row ${Math.floor(i / this.dimension)}, ${this.featureNames[i % this.dimension]}) is not finite`);
    }
    const started = performance.now();
    try {
      const out = await this.batcher.submit({ features, n }, options);
      this.metrics?.observeRequest(this.name, this.provider, (performance.now() - started) / 1000, 'ok');
      return out;
    } catch (err) {
      this.metrics?.observeRequest(this.name, this.provider, (performance.now() - started) / 1000, (err as { code?: string }).code ?? 'error');
      throw err;
    }
  }

  /** As TextModel.dispose: finish queued work, then release the session (see there for hung runs). */
  async dispose(options: DrainOptions = {}): Promise<void> {
    try {
      await this.batcher.drain(options);
    } catch (err) {
      void this.batcher.drain({ timeoutMs: Infinity }).then(() => this.session.release()).catch(() => undefined);
      throw err;
    }
    await this.session.release();
  }
}

/** Concatenates the batch's rows into one [N, D] tensor, runs, and splits the scores back per request. */
function runner(session: ModelSession, dir: FeatureModelDir) {
  const d = dir.config.featureNames.length;
  return async (batch: Rows[]): Promise<Float32Array[]> => {
    const total = batch.reduce((a, r) => a + r.n, 0);
    const data = new Float32Array(total * d);
    let at = 0;
    for (const r of batch) {
      data.set(r.features, at * d);
      at += r.n;
    }
    const outputs = await session.run({ [dir.config.inputName]: new ort.Tensor('float32', data, [total, d]) });
    const out = outputs[dir.config.outputName];
    if (!out) throw new ModelFormatError(`graph produced no "${dir.config.outputName}"`);
    const scores = out.data as Float32Array;
    if (scores.length !== total) throw new ModelFormatError(`graph scored ${total} rows into ${scores.length} values`);
    let from = 0;
    return batch.map((r) => {
      const part = scores.slice(from, from + r.n);
      from += r.n;
      return part;
    });
  };
}
