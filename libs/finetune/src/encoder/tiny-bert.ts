import { createRng, gaussian } from '../math/random';
import { LAYER_TENSORS, type BertGraph, type BertLayerWeights, type LayerTensor } from './bert-graph';

/** A random BERT stack (no ONNX graph) for gradient checks: small enough for float64 loops. */
export function tinyBertGraph(o: { layers: number; hidden: number; heads: number; ffn: number; seed: number }): BertGraph {
  const rng = createRng(o.seed);
  const { hidden: D, ffn: F } = o;
  const sizes: Record<LayerTensor, number> = { wq: D * D, bq: D, wk: D * D, bk: D, wv: D * D, bv: D, wo: D * D, bo: D, ln1g: D, ln1b: D, w1: D * F, b1: F, w2: F * D, b2: D, ln2g: D, ln2b: D };
  const layers: BertLayerWeights[] = Array.from({ length: o.layers }, (_, index) => {
    const tensors = {} as Record<LayerTensor, Float32Array>;
    const names = {} as Record<LayerTensor, string>;
    for (const key of LAYER_TENSORS) {
      const base = key.startsWith('ln') && key.endsWith('g') ? 1 : 0;
      tensors[key] = Float32Array.from({ length: sizes[key] }, () => base + 0.5 * gaussian(rng) / Math.sqrt(key.startsWith('w') ? D : 4));
      names[key] = `layer${index}.${key}`;
    }
    return { index, tensors, names };
  });
  return {
    layers: o.layers, hidden: D, heads: o.heads, ffn: F, lnEps: 1e-12,
    inputOf: (j) => `layer${j}.input`,
    layer: (j) => layers[j] as BertLayerWeights,
  };
}
