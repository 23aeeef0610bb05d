import { onnx } from 'onnx-proto';
import { dynamicQuantizedModel, integerOnlyModel, kernelsOf, readInt8Graph } from './roofline-int8';

const T = onnx.TensorProto.DataType;
const init = (name: string, dims: number[]) => onnx.TensorProto.create({ name, dims, dataType: T.INT8, rawData: new Uint8Array(dims.reduce((a, b) => a * b, 1)) });
const node = (opType: string, input: string[], output: string[]) => onnx.NodeProto.create({ opType, input, output, name: output[0] ?? '' });

/** One layer the way the int8 exporter writes it, hidden 4 and FFN 8: Q/K/V share a quantised input. */
function int8Layer(): onnx.IModelProto {
  const mm = (x: string, w: string, y: string) => node('MatMulInteger', [`${x}_q`, w, `${x}_zp`, `${w}_zp`], [y]);
  const dq = (x: string) => node('DynamicQuantizeLinear', [x], [`${x}_q`, `${x}_s`, `${x}_zp`]);
  return onnx.ModelProto.create({
    graph: {
      node: [dq('h'), mm('h', 'wq', 'q'), mm('h', 'wk', 'k'), mm('h', 'wv', 'v'), node('MatMul', ['q', 'k'], ['qk']), node('MatMul', ['qk', 'v'], ['av']),
        dq('av'), mm('av', 'wo', 'o'), dq('o'), mm('o', 'w1', 'f'), dq('f'), mm('f', 'w2', 'y')],
      initializer: [init('wq', [4, 4]), init('wk', [4, 4]), init('wv', [4, 4]), init('wo', [4, 4]), init('w1', [4, 8]), init('w2', [8, 4])],
    },
  });
}

describe('int8 graph reading', () => {
  it('groups the integer products by shape and shared quantised input, and counts their work per token', () => {
    const g = readInt8Graph(int8Layer());
    expect(g.patterns.map((p) => [p.key, p.fanout, p.macsPerToken])).toEqual([['3x4x4', 3, 48], ['4x4', 1, 16], ['4x8', 1, 32], ['8x4', 1, 32]]);
    expect(g.intMacsPerToken).toBe(128);
    expect(g.quantizedPerToken).toBe(4 + 4 + 4 + 8);
    expect(g.attentionMatmuls).toBe(2);
    expect(g.hidden).toBe(4);
  });

  it('refuses an fp32 graph and an integer product without its quantisation', () => {
    expect(() => readInt8Graph(onnx.ModelProto.create({ graph: { node: [node('MatMul', ['x', 'w'], ['y'])] } }))).toThrow(/no MatMulInteger/);
    const m = int8Layer();
    m.graph?.node?.push(node('MatMulInteger', ['raw_u8', 'w2', 'z', 'w2_zp'], ['z2']));
    expect(() => readInt8Graph(m)).toThrow(/1 MatMulInteger nodes not fed by a DynamicQuantizeLinear/);
  });
});

describe('int8 product micro-graphs', () => {
  it('quantise once and dequantise each product, as the int8 graph does', () => {
    const m = onnx.ModelProto.decode(dynamicQuantizedModel(16, 4, 8, 3));
    expect(kernelsOf(m)).toBe('DynamicQuantizeLinear+Mul+MatMulInteger+Cast+Add');
    expect(m.graph?.node?.filter((n) => n.opType === 'MatMulInteger')).toHaveLength(3);
    expect(m.graph?.output?.map((o) => o.name)).toEqual(['y0', 'y1', 'y2']);
    // The graph reader sees in it the pattern it was built from.
    expect(readInt8Graph(m).patterns.map((p) => p.key)).toEqual(['3x4x8']);
  });

  it('feed the pre-quantised variant its uint8 input directly', () => {
    const m = onnx.ModelProto.decode(integerOnlyModel(16, 8, 4));
    expect(m.graph?.input?.map((i) => [i.name, i.type?.tensorType?.elemType])).toEqual([['xq', T.UINT8], ['xs', T.FLOAT], ['xzp', T.UINT8]]);
    expect(kernelsOf(m)).not.toContain('DynamicQuantizeLinear');
  });
});
