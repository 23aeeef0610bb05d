/**
 * Start-up step: the item encoder and the catalog. Loads the data directory (MovieLens
 * layout: movies.csv with an optional description column, tags.csv and ratings.csv when
 * present) and embeds every item through libs/recommend's ItemCatalog, whose on-disk cache
 * (keyed by the encoder's sha256 and the text) makes a restart embed nothing new.
 */
import { join } from 'node:path';
import { Encoder, sha256File, type TextModelOptions } from '@tuneline/inference';
import type { Logger } from '@tuneline/platform';
import { ItemCatalog, loadMovieLens, movieLensFilesIn, type Interaction } from '@tuneline/recommend';

export interface CatalogStartOptions {
  readonly encoderDir: string;
  readonly dataDir: string;
  readonly cacheRoot: string;
  readonly modelOptions?: TextModelOptions;
  readonly logger: Logger;
}

export interface StartedCatalog {
  readonly catalog: ItemCatalog;
  /** Disposed on shutdown (also embeds inline Rank candidates and catalog.items upserts). */
  readonly encoder: Encoder;
  /** The data directory's ratings (empty without ratings.csv): the head's training data and the signals' seed. */
  readonly interactions: readonly Interaction[];
}

export async function startCatalog(o: CatalogStartOptions): Promise<StartedCatalog> {
  const started = Date.now();
  const encoder = await Encoder.load(o.encoderDir, { ...o.modelOptions, name: 'recommend-item-encoder' });
  try {
    const [probe] = await encoder.embed(['dimension probe']);
    const catalog = await ItemCatalog.open({
      embed: (texts) => encoder.embed(texts),
      dim: probe?.length ?? 0,
      encoderChecksum: await sha256File(join(o.encoderDir, 'model.onnx')),
      cacheDir: o.cacheRoot,
    });
    const files = movieLensFilesIn(o.dataDir);
    const data = loadMovieLens(files);
    const counts = await catalog.upsertMany(data.catalog);
    o.logger.info({ dataDir: o.dataDir, items: catalog.size, encoded: counts.encoded, ratings: data.ratings.length, encoder: o.encoderDir, ms: Date.now() - started }, 'catalog ready');
    return { catalog, encoder, interactions: data.ratings };
  } catch (err) {
    await encoder.dispose();
    throw err;
  }
}
