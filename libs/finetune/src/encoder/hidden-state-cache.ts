import { join } from 'node:path';
import { TextKeyedVectors } from '../cache/text-keyed-vectors';

/**
 * On-disk cache of the hidden states entering the first trained layer, keyed by (model
 * checksum, k, sha256 of text), like the embedding cache. A record is 32 key bytes, the
 * token count (uint32) and tokens × dim float32s, unpadded: padding does not change a
 * real token's hidden state (masked keys get weight exp(−huge) = 0).
 */
export class HiddenStateCache extends TextKeyedVectors {
  protected readonly headerBytes = 4;

  static async open(root: string, modelSha256: string, layers: number, dim: number): Promise<HiddenStateCache> {
    TextKeyedVectors.assertSha256(modelSha256);
    return new HiddenStateCache(join(root, 'hidden-states', `${modelSha256}-k${layers}-${dim}.bin`), dim).load();
  }

  protected floatsAt(buf: Buffer, off: number): number {
    return buf.readUInt32LE(off) * this.dim;
  }

  protected headerOf(states: Float32Array): Buffer {
    const head = Buffer.alloc(4);
    head.writeUInt32LE(states.length / this.dim, 0);
    return head;
  }

  protected check(states: Float32Array): void {
    if (states.length === 0 || states.length % this.dim !== 0) throw new RangeError(`states length ${states.length} is not a positive multiple of ${this.dim}`);
  }
}
