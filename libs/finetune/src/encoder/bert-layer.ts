import type { Parameter } from '../heads/parameter';
import type { Rng } from '../math/random';
import { LAYER_TENSORS, type BertLayerWeights, type LayerTensor } from './bert-graph';
import { createLora, frozenSlot, linear, linearTrains, trainedSlot, type LoraAdapter, type Slot } from './linear';
import type { Mat, MatmulEngine } from './matmul-engine';
import {
  addInto, dropoutInPlace, type DropoutStream, gelu, geluBackwardInPlace, layerNorm, layerNormBackward, maskedSoftmaxInPlace, mergeHeads, multiplied, softmaxBackwardInPlace, splitHeads,
} from './tensor-ops';

/** Which weights LoRA adapts: attention query and value, and optionally both FFN matrices. */
export type LoraTarget = 'query' | 'value' | 'ffn';
export interface LoraOptions {
  readonly rank: number;
  readonly alpha: number;
  readonly targets: readonly LoraTarget[];
}

export interface BertLayerConfig {
  readonly heads: number;
  readonly lnEps: number;
  /** Train every weight of the layer (top-layers) instead of freezing them. */
  readonly trainBase: boolean;
  readonly lora?: LoraOptions;
}

/**
 * Hidden dropout while training, as BERT's hidden_dropout_prob: on the attention block's and
 * the FFN's outputs before each residual add. Attention probabilities are not dropped.
 */
export interface LayerDropout {
  readonly p: number;
  readonly stream: DropoutStream;
}

export interface LayerPass {
  readonly y: Mat;
  back(dy: Mat, needDx: boolean): Promise<Mat | undefined>;
}

function jsGelu(e: MatmulEngine, x: Mat): { y: Mat; cdf: Mat } {
  const cdf = e.alloc(x.length);
  return { y: gelu(x, e.alloc(x.length), cdf), cdf };
}

const LORA_WEIGHTS: Record<LoraTarget, readonly ('wq' | 'wv' | 'w1' | 'w2')[]> = { query: ['wq'], value: ['wv'], ffn: ['w1', 'w2'] };

/**
 * One post-LayerNorm BERT layer as the exported graph computes it (attention, residual,
 * LayerNorm, erf-GELU FFN, residual, LayerNorm) with its backward pass. Matrix products go
 * to the engine; the rest is JS.
 */
export class BertLayer {
  readonly slots: Record<LayerTensor, Slot>;
  readonly lora: Partial<Record<'wq' | 'wv' | 'w1' | 'w2', LoraAdapter>> = {};
  readonly hidden: number;
  readonly ffn: number;

  constructor(private readonly e: MatmulEngine, readonly weights: BertLayerWeights, private readonly cfg: BertLayerConfig, rng: Rng) {
    const t = weights.tensors;
    this.hidden = t.bq.length;
    this.ffn = t.b1.length;
    const D = this.hidden;
    const shapes: Record<LayerTensor, number[]> = {
      wq: [D, D], bq: [D], wk: [D, D], bk: [D], wv: [D, D], bv: [D], wo: [D, D], bo: [D], ln1g: [D], ln1b: [D],
      w1: [D, this.ffn], b1: [this.ffn], w2: [this.ffn, D], b2: [D], ln2g: [D], ln2b: [D],
    };
    const slots = {} as Record<LayerTensor, Slot>;
    for (const key of LAYER_TENSORS) {
      const decay = key.startsWith('w');
      slots[key] = cfg.trainBase ? trainedSlot(`layer${weights.index}.${key}`, shapes[key], t[key], decay) : frozenSlot(t[key]);
    }
    this.slots = slots;
    for (const target of cfg.lora?.targets ?? []) {
      for (const key of LORA_WEIGHTS[target]) {
        const [din, dout] = shapes[key] as [number, number];
        this.lora[key] = createLora(`layer${weights.index}.${key}`, din, dout, cfg.lora?.rank ?? 0, cfg.lora?.alpha ?? 0, rng);
      }
    }
  }

  /** The LoRA adapter on a weight, if it has one. */
  loraOf(key: LayerTensor): LoraAdapter | undefined {
    return key === 'wq' || key === 'wv' || key === 'w1' || key === 'w2' ? this.lora[key] : undefined;
  }

  /** [in, out] of a weight matrix. */
  matrixShape(key: 'wq' | 'wk' | 'wv' | 'wo' | 'w1' | 'w2'): [number, number] {
    if (key === 'w1') return [this.hidden, this.ffn];
    if (key === 'w2') return [this.ffn, this.hidden];
    return [this.hidden, this.hidden];
  }

  get params(): Parameter[] {
    const base = LAYER_TENSORS.flatMap((k) => (this.slots[k].param ? [this.slots[k].param] : []));
    const adapters = Object.values(this.lora).flatMap((a) => [a.A, a.B]);
    return [...base, ...adapters];
  }

  /** x [B·T × D]; mask [B·T] (1 = token); dropout only while training. */
  async forward(x: Mat, mask: Uint8Array, B: number, T: number, dropout?: LayerDropout): Promise<LayerPass> {
    const { e } = this;
    const s = this.slots;
    const D = this.hidden;
    const F = this.ffn;
    const H = this.cfg.heads;
    const dh = D / H;
    const N = B * T;
    const scale = 1 / Math.sqrt(dh);
    const q = await linear(e, x, N, D, D, s.wq, s.bq, this.lora.wq);
    const k = await linear(e, x, N, D, D, s.wk, s.bk);
    const v = await linear(e, x, N, D, D, s.wv, s.bv, this.lora.wv);
    const qh = splitHeads(e, q.y, B, T, H, dh);
    const kh = splitHeads(e, k.y, B, T, H, dh);
    const vh = splitHeads(e, v.y, B, T, H, dh);
    const P = maskedSoftmaxInPlace(await e.matmul(qh, kh, { batch: B * H, m: T, k: dh, n: T, transB: true }), mask, B, H, T, scale);
    const ctx = mergeHeads(e, await e.matmul(P, vh, { batch: B * H, m: T, k: T, n: dh }), B, T, H, dh);
    const o = await linear(e, ctx, N, D, D, s.wo, s.bo);
    const keep1 = dropout ? dropoutInPlace(e, o.y, dropout.p, dropout.stream) : undefined;
    const ln1 = layerNorm(e, addInto(o.y, x), N, D, s.ln1g.value, s.ln1b.value, this.cfg.lnEps);
    const f = await linear(e, ln1.y, N, D, F, s.w1, s.b1, this.lora.w1);
    const { y: g, cdf } = e.gelu ? await e.gelu(f.y) : jsGelu(e, f.y);
    const f2 = await linear(e, g, N, F, D, s.w2, s.b2, this.lora.w2);
    const keep2 = dropout ? dropoutInPlace(e, f2.y, dropout.p, dropout.stream) : undefined;
    const ln2 = layerNorm(e, addInto(f2.y, ln1.y), N, D, s.ln2g.value, s.ln2b.value, this.cfg.lnEps);

    const back = async (dy: Mat, needDx: boolean): Promise<Mat | undefined> => {
      const dr2 = layerNormBackward(e, ln2, dy, N, D, s.ln2g.value, s.ln2g.param?.grad, s.ln2b.param?.grad);
      const dg = (await f2.back(keep2 ? multiplied(e, dr2, keep2) : dr2, true)) as Mat;
      const dgelu = e.geluBackward ? await e.geluBackward(f.y, dg, cdf) : geluBackwardInPlace(f.y, dg, cdf);
      const dln1 = addInto((await f.back(dgelu, true)) as Mat, dr2);
      const dr1 = layerNormBackward(e, ln1, dln1, N, D, s.ln1g.value, s.ln1g.param?.grad, s.ln1b.param?.grad);
      const dctxh = splitHeads(e, (await o.back(keep1 ? multiplied(e, dr1, keep1) : dr1, true)) as Mat, B, T, H, dh);
      const dP = await e.matmul(dctxh, vh, { batch: B * H, m: T, k: dh, n: T, transB: true });
      const dvh = await e.matmul(P, dctxh, { batch: B * H, m: T, k: T, n: dh, transA: true });
      const dS = softmaxBackwardInPlace(P, dP, B * H * T, T, scale);
      let dx: Mat | undefined = needDx ? e.alloc(N * D) : undefined;
      if (dx) addInto(dx, dr1);
      const flows: [Mat, typeof q][] = [];
      if (needDx || linearTrains(s.wq, s.bq, this.lora.wq)) flows.push([mergeHeads(e, await e.matmul(dS, kh, { batch: B * H, m: T, k: T, n: dh }), B, T, H, dh), q]);
      if (needDx || linearTrains(s.wk, s.bk)) flows.push([mergeHeads(e, await e.matmul(dS, qh, { batch: B * H, m: T, k: T, n: dh, transA: true }), B, T, H, dh), k]);
      if (needDx || linearTrains(s.wv, s.bv, this.lora.wv)) flows.push([mergeHeads(e, dvh, B, T, H, dh), v]);
      for (const [d, pass] of flows) {
        const part = await pass.back(d, needDx);
        if (dx && part) addInto(dx, part);
      }
      if (!needDx) dx = undefined;
      return dx;
    };
    return { y: ln2.y, back };
  }
}
