/**
 * Start-up step: the ranking head and the serving state. When the model repository has no
 * version of the head (a fresh checkout), or its latest version reads other features than
 * this build computes (a head of an older build), libs/recommend's trainRankingHead (the same
 * function the trainer's `rank-head` command calls) trains one on the data directory's
 * interactions (temporal split inside them) and exports it as the next version (a standalone
 * ONNX graph libs/inference serves and hot-swaps). Either way the serving state (popularity
 * and co-occurrence counters, EASE, text neighbours, and profiles replayed from the
 * interactions) is built from them.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_CONFIG_FILE, ModelRepository, type LoadedVersion } from '@tuneline/inference';
import type { Logger } from '@tuneline/platform';
import {
  FEATURE_NAMES,
  buildOfflineState,
  featureHeadFromCard,
  nextRankerVersion,
  trainRankingHead,
  type Interaction,
  type ItemCatalog,
  type OfflineState,
  type TrainedRankingHead,
} from '@tuneline/recommend';

export interface EnsureRankerOptions {
  readonly repoRoot: string;
  readonly name: string;
  readonly catalog: ItemCatalog;
  readonly interactions: readonly Interaction[];
  readonly trainIfMissing: boolean;
  /** Where the interactions came from (the model card's `trainedOn`). */
  readonly source: string;
  readonly logger: Logger;
}

export interface RankerState {
  readonly state: OfflineState;
  readonly trained: boolean;
}

export function hasVersion(repoRoot: string, name: string): boolean {
  const dir = join(repoRoot, name);
  return existsSync(dir) && readdirSync(dir).some((v) => !v.startsWith('.') && !v.includes('.tmp-') && existsSync(join(dir, v, 'model.onnx')));
}

/**
 * Refuses a version this build cannot serve: not a feature-input model, or one whose card
 * does not describe a head over exactly FEATURE_NAMES (scores and reasons would be wrong).
 * For the initial load and for the model follower's candidates.
 */
export function checkRankerVersion(candidate: LoadedVersion): void {
  const served = candidate.textModel;
  if (served.kind !== 'features') throw new TypeError(`${candidate.model} v${candidate.version} is not a ranking head (a text model)`);
  featureHeadFromCard(served.dir.card, `${candidate.model} v${candidate.version}`);
}

/** The feature names a version directory's tuneline.json declares (undefined when unreadable). */
export function featureNamesOf(dir: string): string[] | undefined {
  try {
    const config = JSON.parse(readFileSync(join(dir, MODEL_CONFIG_FILE), 'utf8')) as { featureNames?: unknown };
    return Array.isArray(config.featureNames) && config.featureNames.every((n) => typeof n === 'string') ? (config.featureNames as string[]) : undefined;
  } catch {
    return undefined;
  }
}

export async function ensureRanker(o: EnsureRankerOptions): Promise<RankerState> {
  const started = Date.now();
  let version = '1';
  if (hasVersion(o.repoRoot, o.name)) {
    const repository = new ModelRepository({ root: o.repoRoot });
    const latest = repository.latestVersion(o.name);
    const names = featureNamesOf(join(o.repoRoot, o.name, latest));
    if (names?.join('\u0000') === FEATURE_NAMES.join('\u0000')) {
      const state = buildOfflineState(o.catalog, o.interactions);
      o.logger.info({ model: o.name, version: latest, repo: o.repoRoot, interactions: o.interactions.length, ms: Date.now() - started }, 'ranking head found; serving state built from the interactions');
      return { state, trained: false };
    }
    // A head of an older build (other features): this build cannot serve it. Train the next version rather than fail.
    if (!o.trainIfMissing) {
      throw new Error(`ranking head "${o.name}" v${latest} reads features [${names?.join(', ') ?? '?'}], this build computes [${FEATURE_NAMES.join(', ')}], and RECOMMEND_TRAIN_IF_MISSING=false`);
    }
    version = nextRankerVersion(repository.listVersions(o.name));
    o.logger.warn({ model: o.name, version: latest, features: names ?? null, expected: FEATURE_NAMES }, 'the latest ranking head reads other features than this build computes; training a new version');
  } else if (!o.trainIfMissing) {
    throw new Error(`ranking head "${o.name}" is not in ${o.repoRoot} and RECOMMEND_TRAIN_IF_MISSING=false`);
  }
  if (o.interactions.length === 0) throw new Error(`ranking head "${o.name}" is missing and ${o.source} has no ratings.csv to train it on`);
  o.logger.info({ model: o.name, repo: o.repoRoot, interactions: o.interactions.length, source: o.source }, 'ranking head missing: training it on the data directory\'s interactions');
  const dir = join(o.repoRoot, o.name, version);
  let trained: TrainedRankingHead;
  try {
    trained = await trainRankingHead({
      repoRoot: o.repoRoot, name: o.name, version, catalog: o.catalog, interactions: o.interactions, source: o.source,
      fit: { log: (m) => o.logger.debug({ model: o.name }, `fitTuneline: ${m}`) },
    });
  } catch (err) {
    // Another replica sharing the repository wrote this version first: serve that one (its state is rebuilt here).
    if (!existsSync(join(dir, 'model.onnx'))) throw err;
    o.logger.info({ model: o.name, dir }, 'another process wrote the ranking head first; using it');
    return { state: buildOfflineState(o.catalog, o.interactions), trained: false };
  }
  const { fit } = trained;
  o.logger.info({ model: o.name, dir, rows: fit.report.rows, members: fit.report.members.map((m) => m.validationAuc), ms: Date.now() - started }, 'ranking head trained');
  return { state: fit.state, trained: true };
}
