import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FEATURE_MODEL_TASK, MODEL_CONFIG_FILE, type FeatureModelConfigInput } from '@tuneline/inference';
import { onnx } from 'onnx-proto';
import type { FeatureHead } from './train-feature-head';

/** Names of the standalone head graph's input and output (tuneline.json records them). */
export const FEATURES_INPUT = 'features';
export const SCORE_OUTPUT = 'score';
/** Opset of the exported graph: Erf (GELU) and Reshape are stable there; onnxruntime-node runs it. */
export const FEATURE_HEAD_OPSET = 13;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.TensorProto {
  const f = Float32Array.from(values as ArrayLike<number>);
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(f.buffer) });
}

/** W is stored [out×in]; MatMul wants [in×out]. */
function transposed(data: readonly number[], rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c] as number;
  return t;
}

function node(opType: string, inputs: string[], outputs: string[]): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name: `head_${outputs[0]}` });
}

function valueInfo(name: string, dims: onnx.TensorShapeProto.IDimension[]): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims } } } });
}

/**
 * The head as one standalone ONNX graph: `features` float32 [N, D] → z-score with the
 * training normalisation → linear or MLP (exact GELU through Erf) → `score` float32 [N].
 * The same arithmetic as scoreFeatureRows, so served and offline scores agree to float32
 * rounding.
 */
export function featureHeadGraph(h: FeatureHead): Uint8Array {
  const w = h.weights;
  const d = h.featureNames.length;
  if (w.outputDim !== 1 || w.inputDim !== d) throw new RangeError(`head is ${w.inputDim} → ${w.outputDim}, expected ${d} → 1`);
  const t = (name: string) => {
    const v = w.tensors[name];
    if (!v) throw new RangeError(`head weights lack tensor ${name}`);
    return v;
  };
  const inits: onnx.TensorProto[] = [
    floatTensor('mean', [d], h.normalization.mean),
    floatTensor('inv_std', [d], h.normalization.std.map((s) => 1 / s)),
    onnx.TensorProto.create({ name: 'flat', dims: [1], dataType: INT64, rawData: new Uint8Array(BigInt64Array.from([-1n]).buffer) }),
  ];
  const nodes = [node('Sub', [FEATURES_INPUT, 'mean'], ['centred']), node('Mul', ['centred', 'inv_std'], ['z'])];
  if (w.kind === 'mlp') {
    const H = w.hiddenDim ?? (t('b1').shape[0] as number);
    inits.push(
      floatTensor('W1t', [d, H], transposed(t('W1').data, H, d)), floatTensor('b1', [H], t('b1').data),
      floatTensor('W2t', [H, 1], transposed(t('W2').data, 1, H)), floatTensor('b2', [1], t('b2').data),
      floatTensor('sqrt2', [], [Math.SQRT2]), floatTensor('one', [], [1]), floatTensor('half', [], [0.5]),
    );
    nodes.push(
      node('MatMul', ['z', 'W1t'], ['h_mm']), node('Add', ['h_mm', 'b1'], ['h']),
      node('Div', ['h', 'sqrt2'], ['h_scaled']), node('Erf', ['h_scaled'], ['h_erf']), node('Add', ['h_erf', 'one'], ['h_erf1']),
      node('Mul', ['h', 'h_erf1'], ['h_gelu2']), node('Mul', ['h_gelu2', 'half'], ['a']),
      node('MatMul', ['a', 'W2t'], ['s_mm']), node('Add', ['s_mm', 'b2'], ['s']),
    );
  } else {
    inits.push(floatTensor('Wt', [d, 1], transposed(t('W').data, 1, d)), floatTensor('b', [1], t('b').data));
    nodes.push(node('MatMul', ['z', 'Wt'], ['s_mm']), node('Add', ['s_mm', 'b'], ['s']));
  }
  nodes.push(node('Reshape', ['s', 'flat'], [SCORE_OUTPUT]));
  const graph = onnx.GraphProto.create({
    name: 'tuneline_feature_head',
    node: nodes,
    initializer: inits,
    input: [valueInfo(FEATURES_INPUT, [{ dimParam: 'batch_size' }, { dimValue: d }])],
    output: [valueInfo(SCORE_OUTPUT, [{ dimParam: 'batch_size' }])],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, producerName: 'tuneline-finetune', opsetImport: [{ domain: '', version: FEATURE_HEAD_OPSET }], graph });
  return onnx.ModelProto.encode(model).finish();
}

export interface FeatureModelWrite {
  /** The version directory to create (e.g. `<repository>/<model>/<version>`); must not exist yet. */
  readonly dir: string;
  readonly head: FeatureHead;
  /** Written as model-card.json with the feature names, normalisation and head weights added. */
  readonly card?: Readonly<Record<string, unknown>>;
  /** tuneline.json `source` (e.g. the data the head was trained on). */
  readonly source?: Readonly<Record<string, unknown>>;
}

/**
 * Writes a feature-model directory libs/inference serves: model.onnx (featureHeadGraph),
 * tuneline.json (task "ranking", the feature names) and model-card.json. Written to a
 * temporary sibling and renamed, so a repository watching the parent never sees half a version.
 */
export async function writeFeatureModelDir(w: FeatureModelWrite): Promise<string> {
  const tmp = `${w.dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    const config: FeatureModelConfigInput = {
      format: 'tuneline-model/v1', task: FEATURE_MODEL_TASK, inputName: FEATURES_INPUT, outputName: SCORE_OUTPUT,
      featureNames: [...w.head.featureNames], source: { ...w.source },
    };
    await writeFile(join(tmp, 'model.onnx'), featureHeadGraph(w.head));
    await writeFile(join(tmp, MODEL_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    const card = { format: 'tuneline-feature-model-card/v1', ...w.card, featureNames: w.head.featureNames, normalization: w.head.normalization, weights: w.head.weights };
    await writeFile(join(tmp, 'model-card.json'), `${JSON.stringify(card, null, 2)}\n`);
    await rename(tmp, w.dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return w.dir;
}
