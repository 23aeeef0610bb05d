// Test helpers for @tuneline/finetune and its users; not part of the runtime API (index.ts).
import { onnx } from 'onnx-proto';
import { createRng } from './math/random';

export interface SyntheticEncoderOptions {
  /** Default-domain opset the graph declares (the fused nodes must follow it). */
  readonly opset: number;
  readonly hidden: number;
  readonly vocab?: number;
  readonly inputNames?: readonly string[];
  readonly outputName?: string;
  /** Omit to leave the hidden width symbolic, as some exports do. */
  readonly staticHidden?: boolean;
  readonly seed?: number;
}

export interface SyntheticEncoder {
  /** Serialised ONNX model. */
  readonly bytes: Uint8Array;
  /** Row-major [vocab×hidden]: token id i's hidden state is row i, whatever its position. */
  readonly table: Float32Array;
}

/**
 * A tiny runnable "encoder": last_hidden_state = table[input_ids] (one Gather). Small enough
 * to build and run in milliseconds, yet a real graph for onnxruntime, so fusion and
 * preflight checks can be tested at any opset without a 130 MB Hub model.
 */
export function buildSyntheticEncoder(o: SyntheticEncoderOptions): SyntheticEncoder {
  const vocab = o.vocab ?? 16;
  const rng = createRng(o.seed ?? 1);
  const table = Float32Array.from({ length: vocab * o.hidden }, () => rng() * 2 - 1);
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const INT64 = onnx.TensorProto.DataType.INT64;
  const inputNames = o.inputNames ?? ['input_ids', 'attention_mask', 'token_type_ids'];
  const ids = inputNames[0] as string;
  const tokenInput = (name: string) => onnx.ValueInfoProto.create({
    name, type: { tensorType: { elemType: INT64, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] } } },
  });
  const hiddenDim = o.staticHidden === false ? { dimParam: 'hidden' } : { dimValue: o.hidden };
  const graph = onnx.GraphProto.create({
    name: 'synthetic-encoder',
    input: inputNames.map(tokenInput),
    output: [onnx.ValueInfoProto.create({
      name: o.outputName ?? 'last_hidden_state',
      type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, hiddenDim] } } },
    })],
    initializer: [onnx.TensorProto.create({ name: 'embedding_table', dims: [vocab, o.hidden], dataType: FLOAT, rawData: new Uint8Array(table.buffer) })],
    node: [onnx.NodeProto.create({
      opType: 'Gather', input: ['embedding_table', ids], output: [o.outputName ?? 'last_hidden_state'], name: 'lookup',
      attribute: [onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 })],
    })],
  });
  // IR 8 is the first that may carry opset 18+; older runtimes read it for any opset here.
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'tuneline-testing', opsetImport: [{ domain: '', version: o.opset }], graph });
  return { bytes: onnx.ModelProto.encode(model).finish(), table };
}

/** Mean of the table rows of the unmasked tokens, then L2-normalised: what the fused graph must compute. */
export function syntheticMeanEmbedding(enc: SyntheticEncoder, hidden: number, ids: readonly number[], mask: readonly number[]): Float64Array {
  const out = new Float64Array(hidden);
  let count = 0;
  ids.forEach((id, t) => {
    if (!mask[t]) return;
    count++;
    for (let k = 0; k < hidden; k++) out[k] = (out[k] as number) + (enc.table[id * hidden + k] as number);
  });
  const norm = Math.sqrt(out.reduce((a, v) => a + (v / count) ** 2, 0));
  return out.map((v) => v / count / norm);
}
