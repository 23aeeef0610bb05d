import { compileFeatureHead, scoreFeatureRows, type CompiledFeatureHead, type FeatureHead } from '@tuneline/finetune';
import type { HeadWeights } from '@tuneline/finetune';
import { FEATURE_NAMES } from '../features/feature-names';

/** What a ranker returns for a batch of feature rows. */
export interface RankerScores {
  readonly scores: Float32Array;
  /** The head version that scored them (the served model version, or 'local'). */
  readonly version: string;
  /** A TypeScript copy of that head, for explanations. */
  readonly head: CompiledFeatureHead;
}

/** Scores FEATURE_NAMES rows: in process (LocalRanker) or through libs/inference (RepositoryRanker). */
export interface Ranker {
  score(rows: Float32Array, n: number): Promise<RankerScores>;
}

function checkNames(names: readonly string[], where: string): void {
  if (names.join('\u0000') !== FEATURE_NAMES.join('\u0000')) {
    throw new RangeError(`${where} reads features ${names.join(', ')}; this build computes ${FEATURE_NAMES.join(', ')}`);
  }
}

/** The head in this process (offline evaluation, tests, a service without a model repository). */
export class LocalRanker implements Ranker {
  private readonly head: CompiledFeatureHead;

  constructor(head: FeatureHead, readonly version = 'local') {
    checkNames(head.featureNames, 'head');
    this.head = compileFeatureHead(head);
  }

  async score(rows: Float32Array, n: number): Promise<RankerScores> {
    return { scores: scoreFeatureRows(this.head, rows, n), version: this.version, head: this.head };
  }
}

/** The slice of @tuneline/inference's ModelRepository a RepositoryRanker calls. */
export interface FeatureScoringRepository {
  scoreFeatures(model: string, features: Float32Array, n: number, options?: { readonly featureNames?: readonly string[] }): Promise<{
    readonly version: string;
    readonly scores: Float32Array;
    readonly card?: Readonly<Record<string, unknown>>;
  }>;
}

/**
 * The served head: rows go to `repository.scoreFeatures(model)` (batched, hot-swapped on a
 * new version without failing a request); the explanation copy is compiled from the model
 * card of whichever version answered, once per version.
 */
export class RepositoryRanker implements Ranker {
  private compiled: { version: string; head: CompiledFeatureHead } | undefined;

  constructor(private readonly repository: FeatureScoringRepository, readonly model: string) {
    if (typeof repository?.scoreFeatures !== 'function') throw new TypeError('repository must have scoreFeatures');
    if (typeof model !== 'string' || model === '') throw new TypeError('model must be a non-empty model name');
  }

  async score(rows: Float32Array, n: number): Promise<RankerScores> {
    const r = await this.repository.scoreFeatures(this.model, rows, n, { featureNames: FEATURE_NAMES });
    if (this.compiled?.version !== r.version) this.compiled = { version: r.version, head: compileFeatureHead(featureHeadFromCard(r.card, `${this.model}@${r.version}`)) };
    return { scores: r.scores, version: r.version, head: this.compiled.head };
  }
}

/** The head stored in a model card written by writeFeatureModelDir (feature names, normalisation, weights). */
export function featureHeadFromCard(card: Readonly<Record<string, unknown>> | undefined, where: string): FeatureHead {
  const c = card ?? {};
  const names = c['featureNames'];
  const norm = c['normalization'] as { mean?: unknown; std?: unknown } | undefined;
  const weights = c['weights'] as HeadWeights | undefined;
  const numbers = (x: unknown) => Array.isArray(x) && x.every((v) => typeof v === 'number');
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string') || !norm || !numbers(norm.mean) || !numbers(norm.std)
    || typeof weights !== 'object' || weights === null || typeof weights.tensors !== 'object') {
    throw new RangeError(`${where}: model card lacks featureNames, normalization or weights`);
  }
  checkNames(names as string[], where);
  return { featureNames: names as string[], normalization: { mean: norm.mean as number[], std: norm.std as number[] }, weights };
}
