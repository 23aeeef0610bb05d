import { join } from 'node:path';
import { TextKeyedVectors } from './text-keyed-vectors';

/**
 * On-disk embedding cache keyed by (model checksum, sha256 of text). One append-only file
 * per model: records of 32 hash bytes + dim float32s. A second training run on the same
 * data reads every vector from here and skips the encoder pass.
 */
export class EmbeddingCache extends TextKeyedVectors {
  protected readonly headerBytes = 0;

  static async open(root: string, modelSha256: string, dim: number): Promise<EmbeddingCache> {
    TextKeyedVectors.assertSha256(modelSha256);
    return new EmbeddingCache(join(root, 'embeddings', `${modelSha256}-${dim}.bin`), dim).load();
  }

  protected floatsAt(): number {
    return this.dim;
  }

  protected headerOf(): Buffer {
    return Buffer.alloc(0);
  }

  protected check(vector: Float32Array): void {
    if (vector.length !== this.dim) throw new RangeError(`vector has ${vector.length} dims, cache holds ${this.dim}`);
  }
}
