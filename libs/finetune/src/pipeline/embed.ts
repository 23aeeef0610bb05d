import { Encoder, type ModelDir } from '@tuneline/inference';
import { EmbeddingCache } from '../cache/embedding-cache';
import { embedTexts, type EmbedStats } from '../cache/embed-texts';

export interface EmbedInput {
  readonly baseModelDir: string;
  readonly base: ModelDir;
  readonly baseSha256: string;
  readonly texts: readonly string[];
  readonly cacheRoot?: string;
  readonly onProgress?: (done: number, total: number) => void;
  readonly log: (message: string) => void;
}

export interface Embedded {
  readonly dim: number;
  /** Row-major [texts.length × dim], in the order of `texts`. */
  readonly X: Float64Array;
  readonly stats: EmbedStats;
}

/** Stage 2: embed every text with the frozen encoder, through the cache; the encoder is released after. */
export async function embedWithBase(input: EmbedInput): Promise<Embedded> {
  const encoder = await Encoder.load(input.baseModelDir, { log: input.log });
  try {
    const [probe] = await encoder.embed(['dimension probe']);
    const dim = (probe as Float32Array).length;
    const cache = input.cacheRoot ? await EmbeddingCache.open(input.cacheRoot, input.baseSha256, dim) : undefined;
    const { X, stats } = await embedTexts(encoder, input.texts, dim, cache, input.onProgress);
    input.log(`embeddings: ${stats.unique} unique texts, ${stats.cacheHits} from cache, ${stats.encoded} encoded in ${stats.seconds.toFixed(1)} s`);
    return { dim, X, stats };
  } finally {
    await encoder.dispose();
  }
}
