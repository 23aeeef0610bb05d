import type { onnx } from 'onnx-proto';
import { validateExemplarOptions, type ExemplarOptions } from '../train/exemplar-options';
import type { ExemplarSet } from './exemplar-vote';
import { floatTensor, int64Tensor, intAttr, intsAttr, node } from './onnx-nodes';

/** What fuseHeadIntoEncoder needs to append the exemplar vote. */
export interface FusedExemplars {
  readonly set: ExemplarSet;
  readonly options: ExemplarOptions;
}

export interface ExemplarVoteGraph {
  /** The sentence embedding (L2-normalised when `normalized`). */
  readonly embedding: string;
  readonly normalized: boolean;
  /** The head's probabilities [B×C]. */
  readonly headProbabilities: string;
  /** Where the blended probabilities go. */
  readonly output: string;
  readonly axesAsInput: boolean;
  readonly classes: number;
  readonly exemplars: FusedExemplars;
}

/** Refuses what the graph cannot serve: multi-label heads, k > N, a set of another width or label count. */
export function checkFusedExemplars(e: FusedExemplars, dim: number, classes: number, multilabel: boolean): void {
  if (multilabel) throw new RangeError('exemplars: multi-label heads are not supported (the vote gives one distribution over the labels)');
  validateExemplarOptions(e.options);
  if (e.options.k > e.set.count) throw new RangeError(`exemplars.k (${e.options.k}) exceeds the ${e.set.count} exemplars`);
  if (e.set.dim !== dim) throw new RangeError(`exemplars are ${e.set.dim} wide, but the embedding is ${dim}`);
  if (e.set.classes !== classes) throw new RangeError(`exemplars vote over ${e.set.classes} labels, but the head has ${classes}`);
}

/**
 * Nodes for p = w·head + (1 − w)·knn: sims = q·Eᵀ, TopK on axis 1, softmax(values / t),
 * Gather the one-hot labels of the indices [B,k,C], weight them and sum over k. Exemplars are
 * the L2-normalised training embeddings stored as a float32 initialiser [D×N] (bge-small on
 * 8k rows: 12 MB); ~N·D multiply-adds a text next to ~1 GFLOP for the encoder.
 */
export function exemplarVoteNodes(g: ExemplarVoteGraph): { nodes: onnx.NodeProto[]; inits: onnx.TensorProto[] } {
  const { set, options } = g.exemplars;
  const p = (n: string) => `tuneline_exemplar_${n}`;
  const nodes: onnx.NodeProto[] = [];
  const inits: onnx.TensorProto[] = [];
  let q = g.embedding;
  if (!g.normalized) {
    nodes.push(node('LpNormalization', [q], [p('query')], [intAttr('axis', 1), intAttr('p', 2)]));
    q = p('query');
  }
  const Et = new Float32Array(set.dim * set.count);
  for (let e = 0; e < set.count; e++) for (let d = 0; d < set.dim; d++) Et[d * set.count + e] = set.embeddings[e * set.dim + d] as number;
  const onehot = new Float32Array(set.count * g.classes);
  set.labels.forEach((c, e) => { onehot[e * g.classes + c] = 1; });
  inits.push(
    floatTensor(p('Et'), [set.dim, set.count], Et),
    floatTensor(p('onehot'), [set.count, g.classes], onehot),
    int64Tensor(p('k'), [1], [options.k]),
    floatTensor(p('temperature'), [], [options.temperature]),
    floatTensor(p('head_weight'), [], [options.weight]),
    floatTensor(p('vote_weight'), [], [1 - options.weight]),
  );
  const withAxes = (opType: string, input: string, out: string, axis: number, attrs: onnx.IAttributeProto[] = []) => {
    if (!g.axesAsInput) return node(opType, [input], [out], [intsAttr('axes', [axis]), ...attrs]);
    inits.push(int64Tensor(p(`axes_${opType}`), [1], [axis]));
    return node(opType, [input, p(`axes_${opType}`)], [out], attrs);
  };
  nodes.push(
    node('MatMul', [q, p('Et')], [p('sims')]),
    // largest=1, sorted=1 are TopK's defaults; ties keep the lower index (the TS reference does too).
    node('TopK', [p('sims'), p('k')], [p('top_sims'), p('top_index')], [intAttr('axis', 1)]),
    node('Div', [p('top_sims'), p('temperature')], [p('top_scaled')]),
    node('Softmax', [p('top_scaled')], [p('top_weights')], [intAttr('axis', 1)]),
    node('Gather', [p('onehot'), p('top_index')], [p('top_onehot')], [intAttr('axis', 0)]),
    withAxes('Unsqueeze', p('top_weights'), p('top_weights3'), 2),
    node('Mul', [p('top_onehot'), p('top_weights3')], [p('weighted')]),
    withAxes('ReduceSum', p('weighted'), p('vote'), 1, [intAttr('keepdims', 0)]),
    node('Mul', [g.headProbabilities, p('head_weight')], [p('head_part')]),
    node('Mul', [p('vote'), p('vote_weight')], [p('vote_part')]),
    node('Add', [p('head_part'), p('vote_part')], [g.output]),
  );
  return { nodes, inits };
}
