import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SubmitOptions } from '../batching/dynamic-batcher';
import { InvalidInputError, ModelFormatError, ModelNotFoundError, ModelUnavailableError } from '../errors';
import { FeatureModel, type FeatureModelOptions } from '../feature-model';
import type { InferenceMetrics } from '../metrics';
import { isFeatureModelDir } from '../model/feature-model-config';
import { TextModel, type TextModelOptions } from '../text-model';

/**
 * Triton-style model repository: `<root>/<model>/<version>/` holding model directories.
 * Latest version by default, or a pinned one. `load` warms the new version up, lets the
 * caller validate it, switches atomically, then drains and disposes the old one, so no
 * request fails during a swap. A version directory whose tuneline.json says task "ranking"
 * is a feature-input model (FeatureModel: float rows in, a score per row out, served by
 * `scoreFeatures`); every other one a TextModel (served by `infer`).
 */
export interface LoadedVersion {
  readonly model: string;
  readonly version: string;
  /**
   * The loaded runtime: a TextModel, or a FeatureModel for a feature-input version (`kind`
   * tells them apart). Both expose `dir` (labels, card), `provider` and `embeddingOutput`.
   */
  readonly textModel: TextModel | FeatureModel;
}

export interface ScoreFeaturesOptions extends SubmitOptions {
  /** The columns of the rows, in order; a served version reading others is refused. */
  readonly featureNames?: readonly string[];
}

/** What `ModelRepository.scoreFeatures` returns, from the one loaded version that ran. */
export interface ScoreFeaturesResult {
  readonly version: string;
  readonly scores: Float32Array;
  readonly featureNames: readonly string[];
  readonly card?: Readonly<Record<string, unknown>>;
}

export type LoadModel = (path: string, options: TextModelOptions) => Promise<TextModel>;

/** What `ModelRepository.infer` returns: all three from the one loaded version that ran. */
export interface InferResult {
  readonly version: string;
  readonly rows: Float32Array[];
  /** That version's labels.json (column i of a row is labels[i]); undefined for embedding models. */
  readonly labels: readonly string[] | undefined;
  /**
   * With `withEmbedding`: the fused graph's sentence embedding per text, from the same run;
   * absent when not asked or when that version's graph has no such output.
   */
  readonly embeddings?: Float32Array[];
  /** That version's model-card.json (e.g. `baseModel.sha256`: the encoder it was fine-tuned on), when it has one. */
  readonly card?: Readonly<Record<string, unknown>>;
}

export interface RepositoryInferOptions extends SubmitOptions {
  /** Also return the graph's sentence embeddings (fused classifiers; see TextModel.inferWithEmbeddings). */
  readonly withEmbedding?: boolean;
}

export interface ModelRepositoryOptions {
  readonly root: string;
  readonly modelOptions?: TextModelOptions;
  /** Options of feature-input versions (metrics and log default to modelOptions'). */
  readonly featureModelOptions?: FeatureModelOptions;
  readonly log?: (message: string) => void;
  /** @internal test seam: how a version directory becomes a model (default TextModel.load). */
  readonly loadModel?: LoadModel;
}

export interface LoadOptions {
  /**
   * Runs on the warmed-up candidate before the switch; throwing rejects it: the candidate
   * is disposed, the old version keeps serving and `load` rejects with that error.
   */
  readonly validate?: (candidate: LoadedVersion) => void | Promise<void>;
}

/** Request outcome recorded for an attempt that hit a draining version and was retried. */
export const RETRIED_OUTCOME = 'retried';

/** Numbered versions sort numerically; others (e.g. `1.20.0-beta30`) by natural order. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export class ModelRepository {
  private readonly current = new Map<string, LoadedVersion>();
  private readonly listeners: ((v: LoadedVersion) => void)[] = [];
  private readonly loading = new Map<string, Promise<unknown>>();
  /** Versions swapped out: their UNAVAILABLE rejections are retried by `infer`. */
  private readonly retired = new WeakSet<TextModel | FeatureModel>();
  private closed = false;

  constructor(private readonly options: ModelRepositoryOptions) {
    if (!options.root) throw new TypeError('root is required');
  }

  get root(): string {
    return this.options.root;
  }

  listModels(): string[] {
    if (!existsSync(this.options.root)) return [];
    return readdirSync(this.options.root).filter((d) => statSync(join(this.options.root, d)).isDirectory()).sort();
  }

  listVersions(model: string): string[] {
    const dir = join(this.options.root, model);
    if (!existsSync(dir)) throw new ModelNotFoundError(`model "${model}" is not in repository ${this.options.root}`);
    return readdirSync(dir)
      .filter((v) => !v.startsWith('.') && !v.includes('.tmp-') && statSync(join(dir, v)).isDirectory())
      .sort(compareVersions);
  }

  latestVersion(model: string): string {
    const versions = this.listVersions(model);
    const latest = versions[versions.length - 1];
    if (!latest) throw new ModelNotFoundError(`model "${model}" has no versions in ${join(this.options.root, model)}`);
    return latest;
  }

  /** Loads (or hot-swaps to) a version; the latest when none is given. */
  load(model: string, version?: string, options: LoadOptions = {}): Promise<LoadedVersion> {
    if (this.closed) return Promise.reject(new ModelUnavailableError('model repository is closed'));
    // Serialise loads per model so two publishes cannot interleave their swaps.
    const previous = this.loading.get(model) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.swapTo(model, version ?? this.latestVersion(model), options));
    this.loading.set(model, next);
    // Forget it once settled, unless a later load already queued behind it.
    const forget = () => {
      if (this.loading.get(model) === next) this.loading.delete(model);
    };
    next.then(forget, forget);
    return next;
  }

  private async swapTo(model: string, version: string, options: LoadOptions): Promise<LoadedVersion> {
    this.assertOpen();
    const old = this.current.get(model);
    if (old?.version === version) return old;
    const path = join(this.options.root, model, version);
    if (!existsSync(path)) throw new ModelNotFoundError(`version ${version} of "${model}" not found at ${path}`);
    // The metrics wrapper asks which model it belongs to; unset until load returns.
    const owner: { model?: TextModel | FeatureModel } = {};
    const served = await this.loadVersion(path, model, () => owner.model);
    owner.model = served;
    const candidate = { model, version, textModel: served };
    try {
      this.assertOpen(); // close() ran while the session was being created
      if (served.kind === 'features') await served.score(new Float32Array(served.dimension), 1);
      else await served.infer(['warm-up request']);
      await options.validate?.(candidate);
      this.assertOpen();
    } catch (err) {
      await served.dispose();
      throw err;
    }
    this.current.set(model, candidate);
    if (old) this.retired.add(old.textModel);
    this.options.log?.(`repository: ${model} now serving version ${version}${old ? ` (was ${old.version})` : ''}`);
    this.notify(candidate);
    if (old) await this.disposeRetired(old);
    return candidate;
  }

  private async loadVersion(path: string, model: string, self: () => TextModel | FeatureModel | undefined): Promise<TextModel | FeatureModel> {
    const metrics = this.metricsFor(self);
    if (await isFeatureModelDir(path)) {
      const m = this.options.modelOptions;
      return FeatureModel.load(path, {
        ...(m?.log ? { log: m.log } : {}), ...(m?.executionProviders ? { executionProviders: m.executionProviders } : {}),
        ...this.options.featureModelOptions, name: model, ...metrics,
      });
    }
    const load = this.options.loadModel ?? TextModel.load;
    return load(path, { ...this.options.modelOptions, name: model, ...metrics });
  }

  /**
   * The switch already happened, so the old version's disposal must not fail the load:
   * dispose() rejects (DEADLINE_EXCEEDED) when a run hangs past the drain timeout, and
   * still releases the session once that run ends. Logged, never thrown.
   */
  private async disposeRetired(old: LoadedVersion): Promise<void> {
    try {
      await old.textModel.dispose();
    } catch (err) {
      this.options.log?.(`repository: disposing version ${old.version} of ${old.model} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ModelUnavailableError('model repository was closed during the load');
  }

  /**
   * Wraps the request metric so an attempt that hit a swapped-out (draining) version is
   * recorded as `retried`, not UNAVAILABLE: `infer` retries it and the caller succeeds.
   */
  private metricsFor(self: () => TextModel | FeatureModel | undefined): { metrics?: InferenceMetrics } {
    const inner = this.options.featureModelOptions?.metrics ?? this.options.modelOptions?.metrics;
    if (!inner) return {};
    return {
      metrics: {
        observeBatch: (model, provider, stats) => inner.observeBatch(model, provider, stats),
        observeRequest: (model, provider, seconds, outcome) => {
          const owner = self();
          const retried = outcome === 'UNAVAILABLE' && !this.closed && owner !== undefined && this.retired.has(owner);
          inner.observeRequest(model, provider, seconds, retried ? RETRIED_OUTCOME : outcome);
        },
        observeCache: (model, hits, misses, bytes) => inner.observeCache?.(model, hits, misses, bytes),
      },
    };
  }

  // A listener's bug must not undo a swap that already happened nor leak the old version.
  private notify(loaded: LoadedVersion): void {
    for (const listener of this.listeners) {
      try {
        listener(loaded);
      } catch (err) {
        this.options.log?.(`repository: swap listener threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** The version being served, or undefined before the first load. */
  currentVersion(model: string): string | undefined {
    return this.current.get(model)?.version;
  }

  isReady(model: string): boolean {
    return this.current.has(model);
  }

  get(model: string): LoadedVersion {
    const loaded = this.current.get(model);
    if (!loaded) throw new ModelUnavailableError(`model "${model}" is not loaded yet`);
    return loaded;
  }

  /**
   * Runs on the current version. A request that raced a swap and hit the draining old
   * version is retried on the new one, which is what makes swaps lossless. The result's
   * `version` and `labels` are those of the version that produced `rows` (the one retried
   * on, after a swap), so read the rows with these labels, never with labels looked up
   * before the call: a new version may list its labels in another order. So are
   * `embeddings` and `card`.
   */
  async infer(model: string, texts: readonly string[], options: RepositoryInferOptions = {}): Promise<InferResult> {
    const { withEmbedding, ...submit } = options;
    for (;;) {
      const loaded = this.get(model);
      const textModel = loaded.textModel;
      if (textModel.kind === 'features') throw new InvalidInputError(`model "${model}" takes feature vectors: use scoreFeatures`);
      const { dir } = textModel;
      try {
        const { rows, embeddings } = withEmbedding
          ? await textModel.inferWithEmbeddings(texts, submit)
          : { rows: await textModel.infer(texts, submit), embeddings: undefined };
        return { version: loaded.version, rows, labels: dir.labels, ...(embeddings ? { embeddings } : {}), ...(dir.card ? { card: dir.card } : {}) };
      } catch (err) {
        if (err instanceof ModelUnavailableError && this.retired.has(textModel) && !this.closed) continue;
        throw err;
      }
    }
  }

  /**
   * Scores `n` feature rows on the current version of a feature-input model, retried on the
   * new version when it raced a swap (as `infer`). Read the scores with the result's
   * `featureNames`: a new version may want other features. Pass the names the rows were built
   * for as `options.featureNames` and a version reading others is refused (FAILED_PRECONDITION)
   * instead of scoring the wrong columns.
   */
  async scoreFeatures(model: string, features: Float32Array, n: number, options: ScoreFeaturesOptions = {}): Promise<ScoreFeaturesResult> {
    const { featureNames, ...submit } = options;
    for (;;) {
      const loaded = this.get(model);
      const served = loaded.textModel;
      if (served.kind !== 'features') throw new InvalidInputError(`model "${model}" takes texts: use infer`);
      if (featureNames && featureNames.join('\u0000') !== served.featureNames.join('\u0000')) {
        throw new ModelFormatError(`model "${model}" version ${loaded.version} reads features ${served.featureNames.join(', ')}, not the rows' ${featureNames.join(', ')}`);
      }
      try {
        const scores = await served.score(features, n, submit);
        return { version: loaded.version, scores, featureNames: served.featureNames, ...(served.dir.card ? { card: served.dir.card } : {}) };
      } catch (err) {
        if (err instanceof ModelUnavailableError && this.retired.has(served) && !this.closed) continue;
        throw err;
      }
    }
  }

  /** Called after each switch; a throwing listener is logged and does not affect the swap. */
  onSwap(listener: (v: LoadedVersion) => void): void {
    this.listeners.push(listener);
  }

  /** Refuses new loads, lets loads in flight finish (disposing what they produce), then disposes every version. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.loading.values()]);
    const all = [...this.current.values()];
    this.current.clear();
    await Promise.all(all.map((v) => v.textModel.dispose()));
  }
}
