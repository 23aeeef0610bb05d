import { LinearHead } from '../heads/linear-head';
import type { Parameter } from '../heads/parameter';
import { linearBackward, linearForward } from '../math/linear-algebra';
import { createRng } from '../math/random';
import type { BertGraph } from './bert-graph';
import { BertLayer, type LoraOptions, type LayerPass } from './bert-layer';
import type { Mat, MatmulEngine } from './matmul-engine';
import type { DropoutStream } from './tensor-ops';

export type EncoderMethod = 'lora' | 'top-layers';

export interface TunedEncoderOptions {
  readonly method: EncoderMethod;
  /** Top layers run (and trained) by the trainer; the ones below are cached. */
  readonly layers: number;
  readonly lora: LoraOptions;
  readonly pooling: 'cls' | 'mean';
  readonly normalize: boolean;
  readonly classes: number;
  readonly seed: number;
  /** Hidden dropout in the trained layers while training (0 = none; BERT pretrained with 0.1). */
  readonly dropout?: number;
}

/** Hidden states entering the first trained layer, padded to T: [B·T × D], mask [B·T]. */
export interface HiddenBatch {
  readonly hidden: Mat;
  readonly mask: Uint8Array;
  readonly B: number;
  readonly T: number;
}

export interface EncoderPass {
  /** Pooled (and L2-normalised) sentence embeddings [B × D], what the fused graph calls sentence_embedding. */
  readonly embeddings: Float64Array;
  readonly logits: Float64Array;
  backward(dLogits: Float64Array): Promise<void>;
}

/**
 * The top k encoder layers, pooling, normalisation and a linear head: the part of the fused
 * graph that training changes. Its forward pass at step 0 is the encoder's own (tested
 * against onnxruntime), and its parameters are the LoRA adapters or the layers' weights.
 */
export class TunedEncoder {
  readonly layers: BertLayer[];
  readonly head: LinearHead;
  readonly dim: number;
  /** Its own stream, so dropout's draws do not shift the initialisation's. */
  private readonly dropoutStream: DropoutStream;

  constructor(private readonly e: MatmulEngine, readonly graph: BertGraph, readonly o: TunedEncoderOptions) {
    if (!(Number.isInteger(o.layers) && o.layers >= 1 && o.layers <= graph.layers)) throw new RangeError(`layers must be an integer in [1, ${graph.layers}], got ${o.layers}`);
    const p = o.dropout ?? 0;
    if (!(p >= 0 && p < 1)) throw new RangeError(`dropout must be in [0, 1), got ${p}`);
    this.dropoutStream = { state: (o.seed + 0x9e3779b9) >>> 0 };
    const rng = createRng(o.seed);
    const cfg = { heads: graph.heads, lnEps: graph.lnEps, trainBase: o.method === 'top-layers', ...(o.method === 'lora' ? { lora: o.lora } : {}) };
    this.layers = Array.from({ length: o.layers }, (_, i) => new BertLayer(e, graph.layer(graph.layers - o.layers + i), cfg, rng));
    this.dim = graph.hidden;
    this.head = new LinearHead(this.dim, o.classes, rng);
  }

  /** Index of the first trained layer: its input is what the cache holds. */
  get firstLayer(): number {
    return this.graph.layers - this.o.layers;
  }

  get encoderParams(): Parameter[] {
    return this.layers.flatMap((l) => l.params);
  }

  get headParams(): Parameter[] {
    return [...this.head.params];
  }

  async forward(batch: HiddenBatch, train: boolean): Promise<EncoderPass> {
    const { B, T, mask } = batch;
    const D = this.dim;
    let x = batch.hidden;
    const passes: LayerPass[] = [];
    const p = this.o.dropout ?? 0;
    const dropout = train && p > 0 ? { p, stream: this.dropoutStream } : undefined;
    for (const layer of this.layers) {
      const pass = await layer.forward(x, mask, B, T, dropout);
      passes.push(pass);
      x = pass.y;
    }
    const pooled = new Float64Array(B * D);
    const counts = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      if (this.o.pooling === 'cls') {
        for (let d = 0; d < D; d++) pooled[b * D + d] = x[b * T * D + d] as number;
        counts[b] = 1;
        continue;
      }
      for (let t = 0; t < T; t++) {
        if (!mask[b * T + t]) continue;
        counts[b] = (counts[b] as number) + 1;
        for (let d = 0; d < D; d++) pooled[b * D + d] = (pooled[b * D + d] as number) + (x[(b * T + t) * D + d] as number);
      }
      // Same floor as the fused graph's Max(count, 1e-9).
      for (let d = 0; d < D; d++) pooled[b * D + d] = (pooled[b * D + d] as number) / Math.max(counts[b] as number, 1e-9);
    }
    const norms = new Float64Array(B).fill(1);
    const emb = Float64Array.from(pooled);
    if (this.o.normalize) {
      for (let b = 0; b < B; b++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += (pooled[b * D + d] as number) ** 2;
        // LpNormalization divides by the plain norm; an all-zero row cannot occur after LayerNorm.
        norms[b] = Math.sqrt(s);
        for (let d = 0; d < D; d++) emb[b * D + d] = (pooled[b * D + d] as number) / (norms[b] as number);
      }
    }
    const W = this.head.W;
    const logits = linearForward(emb, B, D, W.data, this.head.b.data, this.head.outputDim);

    const backward = async (dLogits: Float64Array): Promise<void> => {
      const dEmb = linearBackward(emb, B, D, W.data, this.head.outputDim, dLogits, W.grad, this.head.b.grad, train) as Float64Array;
      if (!train) return;
      const dPooled = Float64Array.from(dEmb);
      if (this.o.normalize) {
        for (let b = 0; b < B; b++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += (emb[b * D + d] as number) * (dEmb[b * D + d] as number);
          for (let d = 0; d < D; d++) dPooled[b * D + d] = ((dEmb[b * D + d] as number) - (emb[b * D + d] as number) * dot) / (norms[b] as number);
        }
      }
      let dx: Mat = this.e.alloc(B * T * D);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
        const on = this.o.pooling === 'cls' ? t === 0 : mask[b * T + t] === 1;
        if (!on) continue;
        const inv = 1 / Math.max(counts[b] as number, 1e-9);
        for (let d = 0; d < D; d++) dx[(b * T + t) * D + d] = (dPooled[b * D + d] as number) * inv;
      }
      for (let i = passes.length - 1; i >= 0; i--) {
        const next = await (passes[i] as LayerPass).back(dx, i > 0);
        if (next) dx = next;
      }
    };
    return { embeddings: emb, logits, backward };
  }
}
