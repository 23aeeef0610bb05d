import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SubmitOptions } from '../batching/dynamic-batcher';
import { ModelNotFoundError, ModelUnavailableError } from '../errors';
import { TextModel, type TextModelOptions } from '../text-model';

/**
 * Triton-style model repository: `<root>/<model>/<version>/` holding model directories.
 * Latest version by default, or a pinned one. `load` warms the new version up, switches
 * atomically, then drains and disposes the old one, so no request fails during a swap.
 */
export interface LoadedVersion {
  readonly model: string;
  readonly version: string;
  readonly textModel: TextModel;
}

export interface ModelRepositoryOptions {
  readonly root: string;
  readonly modelOptions?: TextModelOptions;
  readonly log?: (message: string) => void;
}

/** Numbered versions sort numerically; others (e.g. `1.20.0-beta30`) by natural order. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export class ModelRepository {
  private readonly current = new Map<string, LoadedVersion>();
  private readonly listeners: ((v: LoadedVersion) => void)[] = [];
  private readonly loading = new Map<string, Promise<LoadedVersion>>();

  constructor(private readonly options: ModelRepositoryOptions) {
    if (!options.root) throw new TypeError('root is required');
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
  async load(model: string, version?: string): Promise<LoadedVersion> {
    // Serialise loads per model so two publishes cannot interleave their swaps.
    const previous = this.loading.get(model) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.swapTo(model, version ?? this.latestVersion(model)));
    this.loading.set(model, next);
    return next;
  }

  private async swapTo(model: string, version: string): Promise<LoadedVersion> {
    const old = this.current.get(model);
    if (old?.version === version) return old;
    const path = join(this.options.root, model, version);
    if (!existsSync(path)) throw new ModelNotFoundError(`version ${version} of "${model}" not found at ${path}`);
    const textModel = await TextModel.load(path, { ...this.options.modelOptions, name: model });
    await textModel.infer(['warm-up request']);
    const loaded = { model, version, textModel };
    this.current.set(model, loaded);
    this.options.log?.(`repository: ${model} now serving version ${version}${old ? ` (was ${old.version})` : ''}`);
    this.listeners.forEach((l) => l(loaded));
    if (old) await old.textModel.dispose();
    return loaded;
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
   * version is retried on the new one, which is what makes swaps lossless.
   */
  async infer(model: string, texts: readonly string[], options?: SubmitOptions): Promise<{ version: string; rows: Float32Array[] }> {
    for (;;) {
      const loaded = this.get(model);
      try {
        return { version: loaded.version, rows: await loaded.textModel.infer(texts, options) };
      } catch (err) {
        if (err instanceof ModelUnavailableError && this.current.get(model) !== loaded) continue;
        throw err;
      }
    }
  }

  onSwap(listener: (v: LoadedVersion) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    const all = [...this.current.values()];
    this.current.clear();
    await Promise.all(all.map((v) => v.textModel.dispose()));
  }
}
