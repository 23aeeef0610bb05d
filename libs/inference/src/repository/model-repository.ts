import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SubmitOptions } from '../batching/dynamic-batcher';
import { ModelNotFoundError, ModelUnavailableError } from '../errors';
import type { InferenceMetrics } from '../metrics';
import { TextModel, type TextModelOptions } from '../text-model';

/**
 * Triton-style model repository: `<root>/<model>/<version>/` holding model directories.
 * Latest version by default, or a pinned one. `load` warms the new version up, lets the
 * caller validate it, switches atomically, then drains and disposes the old one, so no
 * request fails during a swap.
 */
export interface LoadedVersion {
  readonly model: string;
  readonly version: string;
  readonly textModel: TextModel;
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
  private readonly retired = new WeakSet<TextModel>();
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
    const load = this.options.loadModel ?? TextModel.load;
    // The metrics wrapper asks which model it belongs to; unset until load returns.
    const owner: { model?: TextModel } = {};
    const textModel = await load(path, { ...this.options.modelOptions, name: model, ...this.metricsFor(() => owner.model) });
    owner.model = textModel;
    const candidate = { model, version, textModel };
    try {
      this.assertOpen(); // close() ran while the session was being created
      await textModel.infer(['warm-up request']);
      await options.validate?.(candidate);
      this.assertOpen();
    } catch (err) {
      await textModel.dispose();
      throw err;
    }
    this.current.set(model, candidate);
    if (old) this.retired.add(old.textModel);
    this.options.log?.(`repository: ${model} now serving version ${version}${old ? ` (was ${old.version})` : ''}`);
    this.notify(candidate);
    if (old) await this.disposeRetired(old);
    return candidate;
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
  private metricsFor(self: () => TextModel | undefined): { metrics?: InferenceMetrics } {
    const inner = this.options.modelOptions?.metrics;
    if (!inner) return {};
    return {
      metrics: {
        observeBatch: (model, provider, stats) => inner.observeBatch(model, provider, stats),
        observeRequest: (model, provider, seconds, outcome) => {
          const owner = self();
          const retried = outcome === 'UNAVAILABLE' && !this.closed && owner !== undefined && this.retired.has(owner);
          inner.observeRequest(model, provider, seconds, retried ? RETRIED_OUTCOME : outcome);
        },
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
      const { dir } = loaded.textModel;
      try {
        const { rows, embeddings } = withEmbedding
          ? await loaded.textModel.inferWithEmbeddings(texts, submit)
          : { rows: await loaded.textModel.infer(texts, submit), embeddings: undefined };
        return { version: loaded.version, rows, labels: dir.labels, ...(embeddings ? { embeddings } : {}), ...(dir.card ? { card: dir.card } : {}) };
      } catch (err) {
        if (err instanceof ModelUnavailableError && this.retired.has(loaded.textModel) && !this.closed) continue;
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
