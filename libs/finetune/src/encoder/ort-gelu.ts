import { onnx } from 'onnx-proto';

/**
 * GELU and its derivative as onnxruntime graphs, for the float32 training engine: Erf and Exp
 * run vectorised there, where the JS loops (one exp per element each way) were ~24% of a
 * LoRA step after the rational-erf change (docs/benchmarks.md, "GELU in onnxruntime").
 * Forward: y = x·Φ(x), Φ(x) = 0.5·(1 + erf(x/√2)), Φ also returned for the backward pass.
 * Backward: dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π).
 * Both take flat [n] tensors: the op is element-wise, the layout does not matter.
 */
const FLOAT = onnx.TensorProto.DataType.FLOAT;

function flat(name: string): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'n' }] } } } });
}

function scalar(name: string, value: number): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dataType: FLOAT, dims: [], floatData: [value] });
}

function model(name: string, nodes: [string, string[], string][], inputs: string[], outputs: string[], constants: Record<string, number>): Uint8Array {
  const graph = onnx.GraphProto.create({
    name,
    node: nodes.map(([opType, input, output]) => onnx.NodeProto.create({ opType, input, output: [output] })),
    input: inputs.map(flat),
    output: outputs.map(flat),
    initializer: Object.entries(constants).map(([n, v]) => scalar(n, v)),
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

/** x → y = GELU(x), cdf = Φ(x). */
export function geluForwardGraph(): Uint8Array {
  return model('tuneline_gelu', [
    ['Mul', ['x', 'inv_sqrt2'], 's'],
    ['Erf', ['s'], 'erf'],
    ['Add', ['erf', 'one'], 'erf1'],
    ['Mul', ['erf1', 'half'], 'cdf'],
    ['Mul', ['x', 'cdf'], 'y'],
  ], ['x'], ['y', 'cdf'], { inv_sqrt2: Math.SQRT1_2, one: 1, half: 0.5 });
}

/** (x, dy, cdf) → dx = dy·GELU′(x). */
export function geluBackwardGraph(): Uint8Array {
  return model('tuneline_gelu_backward', [
    ['Mul', ['x', 'x'], 'x2'],
    ['Mul', ['x2', 'minus_half'], 'a'],
    ['Exp', ['a'], 'ea'],
    ['Mul', ['ea', 'inv_sqrt_2pi'], 'pdf'],
    ['Mul', ['x', 'pdf'], 'xpdf'],
    ['Add', ['cdf', 'xpdf'], 'slope'],
    ['Mul', ['dy', 'slope'], 'dx'],
  ], ['x', 'dy', 'cdf'], ['dx'], { minus_half: -0.5, inv_sqrt_2pi: 1 / Math.sqrt(2 * Math.PI) });
}
