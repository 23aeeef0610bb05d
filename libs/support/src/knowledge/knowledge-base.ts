/**
 * The knowledge base of one language: articles split into passages, embedded once at
 * start-up (through the cache, keyed by the encoder's checksum) and searched exactly.
 */
import { SupportContentError } from '../errors';
import type { Article, Passage, ScoredPassage } from './article';
import { VectorMatrix } from './cosine-search';
import type { EmbedFn } from './embed-fn';
import { cachedEmbed, type CachedEmbedStats, type EmbeddingCache } from './embedding-cache';
import { splitArticle, type SplitOptions } from './split-passages';

/** Texts per embed call at start-up (libs/inference accepts at most 256 per call). */
export const DEFAULT_EMBED_BATCH = 64;

export interface KnowledgeBaseOptions {
  readonly embed: EmbedFn;
  /** sha256 (or another stable id) of the encoder weights; keys the cache. */
  readonly modelChecksum: string;
  readonly cache?: EmbeddingCache;
  readonly split?: SplitOptions;
  readonly embedBatch?: number;
}

export interface SearchOptions {
  readonly k: number;
  readonly minScore?: number;
  /**
   * The query's embedding, already computed (e.g. by a fused intent classifier) and the
   * checksum of the encoder that computed it: used instead of embedding the query again
   * when that checksum is this base's `modelChecksum` and the width matches; else ignored.
   */
  readonly queryEmbedding?: QueryEmbedding;
}

export interface QueryEmbedding {
  readonly vector: Float32Array;
  readonly encoderChecksum: string;
}

export class KnowledgeBase {
  private constructor(
    readonly passages: readonly Passage[],
    private readonly matrix: VectorMatrix,
    private readonly embed: EmbedFn,
    readonly modelChecksum: string,
    /** Cache hits and misses while the passages were embedded. */
    readonly buildStats: Readonly<CachedEmbedStats>,
  ) {}

  static async build(articles: readonly Article[], options: KnowledgeBaseOptions): Promise<KnowledgeBase> {
    const passages = articles.flatMap((a) => splitArticle(a, options.split));
    if (passages.length === 0) throw new SupportContentError('no passages to index', 'knowledge base');
    const stats: CachedEmbedStats = { hits: 0, misses: 0 };
    const embedPassages = options.cache ? cachedEmbed(options.embed, options.cache, options.modelChecksum, stats) : options.embed;
    const batch = options.embedBatch ?? DEFAULT_EMBED_BATCH;
    const vectors: Float32Array[] = [];
    for (let i = 0; i < passages.length; i += batch) {
      const slice = passages.slice(i, i + batch);
      const out = await embedPassages(slice.map((p) => p.embedText));
      if (out.length !== slice.length) throw new SupportContentError(`embed returned ${out.length} vectors for ${slice.length} passages`, 'knowledge base');
      vectors.push(...out);
    }
    if (!options.cache) stats.misses = passages.length;
    const dims = vectors[0]?.length ?? 0;
    if (dims === 0) throw new SupportContentError('embed returned empty vectors', 'knowledge base');
    return new KnowledgeBase(passages, new VectorMatrix(vectors, dims), options.embed, options.modelChecksum, stats);
  }

  get size(): number {
    return this.passages.length;
  }

  get dims(): number {
    return this.matrix.dims;
  }

  /** Whether `queryEmbedding` would be used as is (same encoder, same width). */
  accepts(embedding: QueryEmbedding | undefined): embedding is QueryEmbedding {
    return embedding !== undefined && embedding.encoderChecksum === this.modelChecksum && embedding.vector.length === this.dims;
  }

  async search(query: string, options: SearchOptions): Promise<ScoredPassage[]> {
    if (this.accepts(options.queryEmbedding)) return this.searchVector(options.queryEmbedding.vector, options);
    const [vector] = await this.embed([query]);
    if (!vector) throw new Error('embed returned no vector for the query');
    return this.searchVector(vector, options);
  }

  searchVector(vector: Float32Array, options: SearchOptions): ScoredPassage[] {
    return this.matrix
      .search(vector, options.k, options.minScore)
      .map((hit) => ({ passage: this.passages[hit.index] as Passage, score: hit.score }));
  }
}
