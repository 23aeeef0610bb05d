import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFeatureModelDir } from '@tuneline/finetune';
import type { ItemCatalog } from '../catalog/item-catalog';
import type { Interaction } from '../data/catalog-item';
import { RecommendDataError } from '../data/data-error';
import { fitTuneline, type FitTunelineOptions, type FitTunelineResult } from './fit-tuneline';

export interface TrainRankingHeadOptions {
  /** The model repository: the head goes to `<repoRoot>/<name>/<version>/`. */
  readonly repoRoot: string;
  readonly name: string;
  /** Default: the version after every numbered one in `<repoRoot>/<name>` (1 for none). */
  readonly version?: string;
  readonly catalog: ItemCatalog;
  readonly interactions: readonly Interaction[];
  /** Where the interactions came from (the card's `trainedOn`, tuneline.json's source). */
  readonly source: string;
  readonly fit?: FitTunelineOptions;
}

export interface TrainedRankingHead {
  readonly dir: string;
  readonly version: string;
  readonly fit: FitTunelineResult;
  /** model-card.json as written, less the head's weights. */
  readonly card: Readonly<Record<string, unknown>>;
}

/** The version after every numbered one (`1` for none). */
export function nextRankerVersion(versions: readonly string[]): string {
  return String(versions.reduce((max, v) => (/^\d+$/.test(v) ? Math.max(max, Number(v)) : max), 0) + 1);
}

function versionsIn(modelRoot: string): string[] {
  return existsSync(modelRoot) ? readdirSync(modelRoot).filter((v) => !v.startsWith('.') && !v.includes('.tmp-')) : [];
}

/**
 * Trains Tuneline's ranking head (fitTuneline: temporal split inside the interactions) and
 * exports it with libs/finetune's writeFeatureModelDir as a new version of the repository:
 * the one path by which both the recommender (at start-up, when it has no head) and the
 * trainer's `rank-head` command make a head, so both write the same card and graph.
 */
export async function trainRankingHead(o: TrainRankingHeadOptions): Promise<TrainedRankingHead> {
  if (o.interactions.length === 0) throw new RecommendDataError(o.source, 0, 'no interactions (ratings.csv) to train the ranking head on');
  const version = o.version ?? nextRankerVersion(versionsIn(join(o.repoRoot, o.name)));
  const fit = fitTuneline(o.catalog, o.interactions, o.fit);
  const card = { name: o.name, version, task: 'ranking', trainedOn: o.source, interactions: o.interactions.length, report: fit.report, createdAt: new Date().toISOString() };
  const dir = await writeFeatureModelDir({ dir: join(o.repoRoot, o.name, version), head: fit.head, card, source: { trainedOn: o.source } });
  return { dir, version, fit, card };
}
