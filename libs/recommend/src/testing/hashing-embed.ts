import { createHash } from 'node:crypto';
import type { EmbedTexts } from '../catalog/item-catalog';
import { ItemCatalog } from '../catalog/item-catalog';
import type { CatalogItem } from '../data/catalog-item';
import { loadMovieLens } from '../data/movielens';
import { sampleMovieLensFiles } from '../samples';

/** A made-up encoder checksum for catalogs built with hashingEmbed. */
export const HASHING_ENCODER_CHECKSUM = 'e'.repeat(64);

/**
 * A deterministic bag-of-words "encoder" for specs: each lower-cased word adds 1 to a
 * dimension picked by its hash (and a small constant keeps empty texts non-zero), so cosine
 * follows shared words, which in the sample catalog means shared genres and tags. Counts
 * the texts it was asked for, to test re-embedding.
 */
export function hashingEmbed(dim = 64): EmbedTexts & { texts: string[] } {
  const fn = async (texts: readonly string[]) => {
    fn.texts.push(...texts);
    return texts.map((text) => {
      const v = new Float32Array(dim).fill(0.01);
      for (const tok of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
        const h = createHash('md5').update(tok).digest().readUInt32LE(0);
        v[h % dim] = (v[h % dim] as number) + 1;
      }
      return v;
    });
  };
  fn.texts = [] as string[];
  return fn;
}

/** The sample catalog (libs/recommend/samples) in an ItemCatalog embedded by hashingEmbed. */
export async function sampleItemCatalog(dim = 64): Promise<{ catalog: ItemCatalog; items: CatalogItem[] }> {
  const { catalog: items } = loadMovieLens(sampleMovieLensFiles());
  const catalog = await ItemCatalog.open({ embed: hashingEmbed(dim), dim, encoderChecksum: HASHING_ENCODER_CHECKSUM });
  await catalog.upsertMany(items);
  return { catalog, items };
}
