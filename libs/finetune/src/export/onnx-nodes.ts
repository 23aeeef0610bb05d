import { onnx } from 'onnx-proto';

/** Small builders for the nodes and initialisers the fusion steps append to an encoder graph. */
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.TensorProto {
  const f = Float32Array.from(values as ArrayLike<number>);
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(f.buffer) });
}

export function int64Tensor(name: string, dims: number[], values: number[]): onnx.TensorProto {
  const b = BigInt64Array.from(values.map(BigInt));
  return onnx.TensorProto.create({ name, dims, dataType: INT64, rawData: new Uint8Array(b.buffer) });
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: onnx.IAttributeProto[] = []): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name: `tuneline_${outputs[0]}`, attribute: attrs });
}
export const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
export const intsAttr = (name: string, ints: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
