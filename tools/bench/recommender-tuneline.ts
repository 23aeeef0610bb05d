import { Encoder, loadModelDir, resolveModelDir, sha256File } from '@tuneline/inference';
import { CatalogScorer, fitTuneline, ItemCatalog, type FitReport, type FitTunelineOptions } from '@tuneline/recommend';
import { runContender, type ContenderResult, type QualityData } from './recommender-protocol';

/**
 * Tuneline as a contender of the quality bench: the catalog embedded by the encoder (vectors
 * cached on disk, so a rerun never re-encodes), the ranking head fitted by fitTuneline on the
 * training ratings only (features from each user's first 80%, labels from the last 20%), then
 * every test user ranked by CatalogScorer, the same retrieval + head the service runs.
 */
export interface TunelineBenchOptions {
  /** Encoder: a catalog name (`default` = bge-small) or a model directory. */
  readonly encoder: string;
  /** Directory of the embedding cache. */
  readonly cacheDir: string;
  /** Where catalog models live (resolveModelDir's TUNELINE_CACHE). */
  readonly modelCache: string;
  readonly fit?: FitTunelineOptions;
  readonly log?: (message: string) => void;
}

export interface TunelineResult extends ContenderResult {
  readonly embedS: number;
  readonly encoded: number;
  readonly report: FitReport;
  readonly encoderSha256: string;
}

/** Embeds the catalog in the bench's item order (the numbering every score array uses). */
export async function embeddedCatalog(data: QualityData, o: TunelineBenchOptions): Promise<{ catalog: ItemCatalog; encoded: number; sha: string; seconds: number }> {
  const t0 = performance.now();
  const dirPath = resolveModelDir(o.encoder, { TUNELINE_CACHE: o.modelCache });
  const dir = await loadModelDir(dirPath);
  const source = dir.config.source['sha256'];
  const sha = typeof source === 'string' ? source : await sha256File(dir.onnxPath);
  const dim = dir.config.dimension ?? 384;
  let encoder: Encoder | undefined;
  try {
    const catalog = await ItemCatalog.open({
      dim, encoderChecksum: sha, cacheDir: o.cacheDir,
      embed: async (texts) => (encoder ??= await Encoder.load(dirPath)).embed(texts),
    });
    const { encoded } = await catalog.upsertMany(data.catalog);
    const same = catalog.ids.length === data.items.size && catalog.ids.every((id, i) => data.items.idAt(i) === id);
    if (!same) throw new Error('catalog numbering differs from the bench\'s item index');
    return { catalog, encoded, sha, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await encoder?.dispose();
  }
}

export async function runTuneline(data: QualityData, o: TunelineBenchOptions): Promise<TunelineResult> {
  const log = o.log ?? (() => undefined);
  const { catalog, encoded, sha, seconds } = await embeddedCatalog(data, o);
  log(`tuneline: catalog embedded in ${seconds.toFixed(1)} s (${encoded} texts encoded, the rest from the cache)`);
  let report: FitReport | undefined;
  const result = runContender(data, () => {
    const fit = fitTuneline(catalog, data.train, { ...o.fit, log: (m) => log(`tuneline: ${m}`) });
    report = fit.report;
    return new CatalogScorer(fit.state, fit.head, fit.candidates, data.task.users.map((u) => u.id));
  });
  log(`tuneline NDCG@10 ${result.metrics.ndcg10.toFixed(4)}, cold ${result.metrics.coldNdcg10.toFixed(4)} (fit + scoring ${result.fitS.toFixed(1)} s)`);
  return { ...result, embedS: seconds, encoded, report: report as FitReport, encoderSha256: sha };
}
