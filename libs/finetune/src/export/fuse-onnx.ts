import { readFile, writeFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';
import type { HeadWeights } from '../heads/head';
import { checkEncoderGraph, DEFAULT_ENCODER_OUTPUT, describeEncoderGraph } from './encoder-graph';
import { checkFusedExemplars, exemplarVoteNodes, type FusedExemplars } from './fuse-exemplars';
import { FLOAT, floatTensor, int64Tensor, intAttr, intsAttr, node } from './onnx-nodes';

/**
 * Appends pooling, L2 normalisation, the trained head, temperature and softmax (or
 * sigmoid) to the encoder graph, using the ONNX protobuf schema, so serving runs one
 * graph: token ids in, probabilities out. The nodes follow the encoder's own opset
 * (checked by encoder-graph.ts): from opset 13 Unsqueeze and ReduceSum take `axes` as an
 * input instead of an attribute.
 */
/** First opset where Unsqueeze and ReduceSum read `axes` from an input (ReduceMean: 18; not used). */
export const AXES_AS_INPUT_OPSET = 13;
export const PROBABILITIES_OUTPUT = 'probabilities';
export const EMBEDDING_OUTPUT = 'sentence_embedding';

export interface FuseOptions {
  readonly encoderPath: string;
  readonly outPath: string;
  readonly head: HeadWeights;
  readonly pooling: 'cls' | 'mean';
  readonly normalize: boolean;
  readonly temperature: number;
  readonly multilabel: boolean;
  readonly encoderOutput?: string;
  /** Blend a k-nearest-exemplar vote into `probabilities` (fuse-exemplars.ts); single-label only. */
  readonly exemplars?: FusedExemplars;
}

/** W is stored [out×in]; MatMul wants [in×out]. */
function transposed(data: readonly number[], rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c] as number;
  return t;
}

function output(name: string, width: number): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch_size' }, { dimValue: width }] } } },
  });
}

export async function fuseHeadIntoEncoder(o: FuseOptions): Promise<void> {
  if (!(o.temperature > 0)) throw new RangeError(`temperature must be > 0, got ${o.temperature}`);
  if (o.exemplars) checkFusedExemplars(o.exemplars, o.head.inputDim, o.head.outputDim, o.multilabel);
  const model = onnx.ModelProto.decode(await readFile(o.encoderPath));
  const graph = model.graph as onnx.GraphProto;
  const hidden = o.encoderOutput ?? DEFAULT_ENCODER_OUTPUT;
  const info = describeEncoderGraph(model, hidden);
  checkEncoderGraph(o.encoderPath, info, { pooling: o.pooling, encoderOutput: hidden, hiddenWidth: o.head.inputDim });
  const axesAsInput = info.opset >= AXES_AS_INPUT_OPSET;
  const { head } = o;
  const nodes: onnx.NodeProto[] = [];
  const inits: onnx.TensorProto[] = [];
  const p = (n: string) => `tuneline_${n}`;

  if (o.pooling === 'cls') {
    inits.push(int64Tensor(p('cls_index'), [], [0]));
    nodes.push(node('Gather', [hidden, p('cls_index')], [p('pooled')], [intAttr('axis', 1)]));
  } else {
    inits.push(floatTensor(p('eps'), [], [1e-9]));
    if (axesAsInput) inits.push(int64Tensor(p('axes_2'), [1], [2]), int64Tensor(p('axes_1'), [1], [1]));
    const withAxes = (opType: string, input: string, out: string, axis: number, attrs: onnx.IAttributeProto[] = []) => (axesAsInput
      ? node(opType, [input, p(`axes_${axis}`)], [out], attrs)
      : node(opType, [input], [out], [intsAttr('axes', [axis]), ...attrs]));
    nodes.push(
      node('Cast', ['attention_mask'], [p('mask_f')], [intAttr('to', FLOAT)]),
      withAxes('Unsqueeze', p('mask_f'), p('mask3'), 2),
      node('Mul', [hidden, p('mask3')], [p('masked')]),
      withAxes('ReduceSum', p('masked'), p('summed'), 1, [intAttr('keepdims', 0)]),
      withAxes('ReduceSum', p('mask3'), p('count'), 1, [intAttr('keepdims', 0)]),
      node('Max', [p('count'), p('eps')], [p('count_safe')]),
      node('Div', [p('summed'), p('count_safe')], [p('pooled')]),
    );
  }
  if (o.normalize) nodes.push(node('LpNormalization', [p('pooled')], [EMBEDDING_OUTPUT], [intAttr('axis', 1), intAttr('p', 2)]));
  else nodes.push(node('Identity', [p('pooled')], [EMBEDDING_OUTPUT]));

  const t = head.tensors;
  const tensor = (name: string) => {
    const v = t[name];
    if (!v) throw new Error(`head weights lack tensor ${name}`);
    return v;
  };
  let x = EMBEDDING_OUTPUT;
  if (head.kind === 'mlp') {
    const H = head.hiddenDim ?? (tensor('b1').shape[0] as number);
    inits.push(floatTensor(p('W1t'), [head.inputDim, H], transposed(tensor('W1').data, H, head.inputDim)), floatTensor(p('b1'), [H], tensor('b1').data));
    inits.push(floatTensor(p('sqrt2'), [], [Math.SQRT2]), floatTensor(p('one'), [], [1]), floatTensor(p('half'), [], [0.5]));
    nodes.push(
      node('MatMul', [x, p('W1t')], [p('h_mm')]),
      node('Add', [p('h_mm'), p('b1')], [p('h')]),
      // Exact GELU = 0.5·h·(1 + erf(h/√2)); the Gelu op only exists from opset 20.
      node('Div', [p('h'), p('sqrt2')], [p('h_scaled')]),
      node('Erf', [p('h_scaled')], [p('h_erf')]),
      node('Add', [p('h_erf'), p('one')], [p('h_erf1')]),
      node('Mul', [p('h'), p('h_erf1')], [p('h_gelu2')]),
      node('Mul', [p('h_gelu2'), p('half')], [p('a')]),
    );
    x = p('a');
    inits.push(floatTensor(p('W2t'), [H, head.outputDim], transposed(tensor('W2').data, head.outputDim, H)), floatTensor(p('b2'), [head.outputDim], tensor('b2').data));
    nodes.push(node('MatMul', [x, p('W2t')], [p('logits_mm')]), node('Add', [p('logits_mm'), p('b2')], [p('logits')]));
  } else {
    inits.push(floatTensor(p('Wt'), [head.inputDim, head.outputDim], transposed(tensor('W').data, head.outputDim, head.inputDim)), floatTensor(p('b'), [head.outputDim], tensor('b').data));
    nodes.push(node('MatMul', [x, p('Wt')], [p('logits_mm')]), node('Add', [p('logits_mm'), p('b')], [p('logits')]));
  }
  inits.push(floatTensor(p('temperature'), [], [o.temperature]));
  nodes.push(node('Div', [p('logits'), p('temperature')], [p('scaled_logits')]));
  // With exemplars the head's softmax is one input of the blend, and the blend is the output.
  const headOut = o.exemplars ? p('head_probabilities') : PROBABILITIES_OUTPUT;
  nodes.push(o.multilabel
    ? node('Sigmoid', [p('scaled_logits')], [headOut])
    : node('Softmax', [p('scaled_logits')], [headOut], [intAttr('axis', 1)]));
  if (o.exemplars) {
    const vote = exemplarVoteNodes({ embedding: EMBEDDING_OUTPUT, normalized: o.normalize, headProbabilities: headOut, output: PROBABILITIES_OUTPUT,
      axesAsInput, classes: head.outputDim, exemplars: o.exemplars });
    nodes.push(...vote.nodes);
    inits.push(...vote.inits);
  }

  graph.node.push(...nodes);
  graph.initializer.push(...inits);
  graph.output = [output(PROBABILITIES_OUTPUT, head.outputDim), output(EMBEDDING_OUTPUT, head.inputDim)];
  model.producerName = 'tuneline-finetune';
  await writeFile(o.outPath, onnx.ModelProto.encode(model).finish());
}
