import { onnx } from 'onnx-proto';

/**
 * Reads a BERT encoder layer's weights and constants out of the ONNX graph, by the node
 * names the Hugging Face exporter gives (`/encoder/layer.{j}/attention/self/query/MatMul`,
 * …), and checks the constants the trainer re-implements: erf GELU (÷√2), the LayerNorm ε
 * and the attention scale. A graph that differs (int8, fused attention) is refused here,
 * not trained wrongly.
 */

/** Weight keys of one layer; matrices are stored as in the graph, [in × out]. */
export const LAYER_TENSORS = ['wq', 'bq', 'wk', 'bk', 'wv', 'bv', 'wo', 'bo', 'ln1g', 'ln1b', 'w1', 'b1', 'w2', 'b2', 'ln2g', 'ln2b'] as const;
export type LayerTensor = (typeof LAYER_TENSORS)[number];

export interface BertLayerWeights {
  readonly index: number;
  readonly tensors: Record<LayerTensor, Float32Array>;
  /** Initialiser name of each tensor in the graph (export writes merged weights back there). */
  readonly names: Record<LayerTensor, string>;
}

export interface BertGraph {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly lnEps: number;
  /** Name of the hidden-state tensor entering layer j. */
  inputOf(j: number): string;
  layer(j: number): BertLayerWeights;
}

export class BertGraphError extends Error {
  readonly code = 'INVALID_ARGUMENT';
  constructor(reason: string) {
    super(`encoder graph cannot be trained: ${reason}`);
    this.name = 'BertGraphError';
  }
}

export function tensorValues(t: onnx.ITensorProto): Float32Array {
  if (t.dataType !== onnx.TensorProto.DataType.FLOAT) throw new BertGraphError(`tensor ${t.name} is not float32 (data type ${t.dataType}); quantised encoders cannot be trained`);
  if (t.rawData && t.rawData.length) {
    const raw = t.rawData;
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Float32Array(copy.buffer);
  }
  return Float32Array.from(t.floatData ?? []);
}

const PATHS: Record<LayerTensor, [string, 'mm' | 'add' | 'mul']> = {
  wq: ['attention/self/query/MatMul', 'mm'], bq: ['attention/self/query/Add', 'add'],
  wk: ['attention/self/key/MatMul', 'mm'], bk: ['attention/self/key/Add', 'add'],
  wv: ['attention/self/value/MatMul', 'mm'], bv: ['attention/self/value/Add', 'add'],
  wo: ['attention/output/dense/MatMul', 'mm'], bo: ['attention/output/dense/Add', 'add'],
  ln1g: ['attention/output/LayerNorm/Mul', 'mul'], ln1b: ['attention/output/LayerNorm/Add_1', 'add'],
  w1: ['intermediate/dense/MatMul', 'mm'], b1: ['intermediate/dense/Add', 'add'],
  w2: ['output/dense/MatMul', 'mm'], b2: ['output/dense/Add', 'add'],
  ln2g: ['output/LayerNorm/Mul', 'mul'], ln2b: ['output/LayerNorm/Add_1', 'add'],
};

export function readBertGraph(model: onnx.IModelProto): BertGraph {
  const graph = model.graph ?? {};
  const nodes = new Map<string, onnx.INodeProto>();
  const producers = new Map<string, onnx.INodeProto>();
  for (const n of graph.node ?? []) {
    nodes.set(n.name ?? '', n);
    for (const o of n.output ?? []) producers.set(o, n);
  }
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const node = (j: number, path: string) => {
    const n = nodes.get(`/encoder/layer.${j}/${path}`);
    if (!n) throw new BertGraphError(`no node /encoder/layer.${j}/${path} (not a Hugging Face BERT export?)`);
    return n;
  };
  /** Value of a scalar Constant node or initialiser feeding `input`. */
  const scalar = (input: string): number => {
    const init = inits.get(input);
    const c = producers.get(input);
    const t = init ?? (c?.opType === 'Constant' ? c.attribute?.find((a) => a.name === 'value')?.t : undefined);
    if (!t) throw new BertGraphError(`${input} is not a constant`);
    return tensorValues(t)[0] as number;
  };
  let layers = 0;
  while (nodes.has(`/encoder/layer.${layers}/attention/self/query/MatMul`)) layers++;
  if (layers === 0) throw new BertGraphError('no /encoder/layer.N nodes found (not a Hugging Face BERT export?)');

  const layer = (j: number): BertLayerWeights => {
    const tensors = {} as Record<LayerTensor, Float32Array>;
    const names = {} as Record<LayerTensor, string>;
    for (const key of LAYER_TENSORS) {
      const [path, kind] = PATHS[key];
      const n = node(j, path);
      const name = kind === 'mm' ? n.input?.[1] : n.input?.find((i) => inits.has(i));
      const t = name ? inits.get(name) : undefined;
      if (!name || !t) throw new BertGraphError(`${n.name} has no weight initialiser`);
      tensors[key] = tensorValues(t);
      names[key] = name;
    }
    return { index: j, tensors, names };
  };

  const probe = layer(layers - 1).tensors;
  const hidden = probe.bq.length;
  const ffn = probe.b1.length;
  const scale = scalar(node(0, 'attention/self/Div').input?.[1] as string);
  const headDim = Math.round(scale * scale);
  if (Math.abs(Math.sqrt(headDim) - scale) > 1e-4 || hidden % headDim !== 0) throw new BertGraphError(`attention scale ${scale} is not √(head size)`);
  const geluDiv = scalar(node(0, 'intermediate/intermediate_act_fn/Div').input?.[1] as string);
  node(0, 'intermediate/intermediate_act_fn/Erf');
  if (Math.abs(geluDiv - Math.SQRT2) > 1e-5) throw new BertGraphError(`GELU divides by ${geluDiv}, not √2 (only erf GELU is implemented)`);
  const lnEps = scalar(node(0, 'attention/output/LayerNorm/Add').input?.[1] as string);
  const lnEps2 = scalar(node(0, 'output/LayerNorm/Add').input?.[1] as string);
  if (!(lnEps > 0 && lnEps < 1e-3) || lnEps !== lnEps2) throw new BertGraphError(`unexpected LayerNorm epsilon ${lnEps} / ${lnEps2}`);
  return {
    layers, hidden, heads: hidden / headDim, ffn, lnEps, layer,
    inputOf: (j) => {
      if (!(j >= 0 && j < layers)) throw new RangeError(`layer ${j} is not in 0..${layers - 1}`);
      return node(j, 'attention/self/query/MatMul').input?.[0] as string;
    },
  };
}
