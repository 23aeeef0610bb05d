import { onnx } from 'onnx-proto';

/**
 * The int8 encoder's arithmetic, read from its graph, and one-layer graphs that run its
 * matrix products the way it runs them, for tools/bench/roofline.ts. The catalog's int8
 * graph (dynamic quantisation) computes each weight product as
 *   DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_int8, x_zp, W_zp) → Cast → Mul(x_scale·W_scale) → Add(bias),
 * one DynamicQuantizeLinear shared by the Q, K and V products and one per other product;
 * ORT (level `all`) fuses these into DynamicQuantizeMatMul, or DynamicQuantizeLinear +
 * MatMulIntegerToFloat where the quantised input is shared. The attention's QKᵀ and AV stay
 * fp32 MatMul.
 */

/** Products that share one quantised input: `fanout` of them, each [tokens × k]·[k × n]. */
export interface MatmulPattern {
  /** `KxN`, or `3xKxN` for three products sharing one quantised input (the Q, K, V projections). */
  readonly key: string;
  readonly fanout: number;
  readonly k: number;
  readonly n: number;
  /** Multiply-adds per token over the whole graph in this pattern. */
  readonly macsPerToken: number;
}

export interface Int8Graph {
  readonly patterns: readonly MatmulPattern[];
  /** Integer multiply-adds per token (all MatMulInteger nodes). */
  readonly intMacsPerToken: number;
  /** Activations DynamicQuantizeLinear quantises per token. */
  readonly quantizedPerToken: number;
  /** fp32 MatMul nodes without weights (QKᵀ and AV: s²·hidden multiply-adds each per text). */
  readonly attentionMatmuls: number;
  readonly hidden: number;
}

export function readInt8Graph(model: onnx.IModelProto): Int8Graph {
  const nodes = model.graph?.node ?? [];
  const inits = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const dimsOf = (name: string): [number, number] => {
    const t = inits.get(name);
    const d = (t?.dims ?? []).map(Number);
    if (d.length !== 2) throw new Error(`int8 graph: MatMulInteger weight ${name} is not a 2-D initialiser`);
    return [d[0] as number, d[1] as number];
  };
  const patterns = new Map<string, MatmulPattern>();
  let quantizedPerToken = 0, fed = 0;
  for (const q of nodes.filter((n) => n.opType === 'DynamicQuantizeLinear')) {
    const out = q.output?.[0];
    const users = nodes.filter((n) => n.opType === 'MatMulInteger' && n.input?.[0] === out);
    if (users.length === 0) continue;
    const shapes = users.map((u) => dimsOf(u.input?.[1] ?? ''));
    const [k, n] = shapes[0] as [number, number];
    if (shapes.some(([a, b]) => a !== k || b !== n)) throw new Error(`int8 graph: ${q.name} feeds products of different shapes`);
    const key = users.length > 1 ? `${users.length}x${k}x${n}` : `${k}x${n}`;
    const prev = patterns.get(key);
    patterns.set(key, { key, fanout: users.length, k, n, macsPerToken: (prev?.macsPerToken ?? 0) + users.length * k * n });
    quantizedPerToken += k;
    fed += users.length;
  }
  const integer = nodes.filter((n) => n.opType === 'MatMulInteger');
  if (integer.length === 0) throw new Error('not an int8 graph: no MatMulInteger nodes');
  if (fed !== integer.length) throw new Error(`int8 graph: ${integer.length - fed} MatMulInteger nodes not fed by a DynamicQuantizeLinear`);
  const list = [...patterns.values()];
  return {
    patterns: list,
    intMacsPerToken: list.reduce((s, p) => s + p.macsPerToken, 0),
    quantizedPerToken,
    attentionMatmuls: nodes.filter((n) => n.opType === 'MatMul' && !(n.input ?? []).some((i) => inits.has(i))).length,
    // The Q/K/V products read the hidden state: their k is the hidden size.
    hidden: Math.min(...list.map((p) => p.k)),
  };
}

const T = onnx.TensorProto.DataType;

function tensor(name: string, dataType: number, dims: number[], bytes: Uint8Array): onnx.ITensorProto {
  return onnx.TensorProto.create({ name, dims, dataType, rawData: bytes });
}

function io(name: string, elemType: number, dims: number[]): onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
}

const pseudo = (i: number) => ((i * 2654435761) % 1000) / 1000;

/** One product's weights as the quantiser writes them: int8 matrix, per-column scale and zero point, fp32 bias. */
function weights(j: number, k: number, n: number): onnx.ITensorProto[] {
  const w = new Int8Array(k * n).map((_, i) => Math.round(pseudo(i + j) * 254) - 127);
  const scale = new Float32Array(n).fill(0.01);
  const bias = new Float32Array(n).map((_, i) => pseudo(i) - 0.5);
  return [tensor(`w${j}`, T.INT8, [k, n], new Uint8Array(w.buffer)), tensor(`ws${j}`, T.FLOAT, [n], new Uint8Array(scale.buffer)),
    tensor(`wzp${j}`, T.INT8, [n], new Uint8Array(n)), tensor(`b${j}`, T.FLOAT, [n], new Uint8Array(bias.buffer))];
}

/** MatMulInteger → Cast → Mul(x_scale·W_scale) → Add(bias) for product j of input (xq, xs, xzp). */
function dequantizedProduct(j: number): onnx.INodeProto[] {
  const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []) => onnx.NodeProto.create({ opType, input, output, attribute, name: `${opType}_${output[0]}` });
  return [
    node('Mul', ['xs', `ws${j}`], [`s${j}`]),
    node('MatMulInteger', ['xq', `w${j}`, 'xzp', `wzp${j}`], [`i${j}`]),
    node('Cast', [`i${j}`], [`f${j}`], [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: T.FLOAT })]),
    node('Mul', [`f${j}`, `s${j}`], [`m${j}`]),
    node('Add', [`b${j}`, `m${j}`], [`y${j}`]),
  ];
}

function encode(nodes: onnx.INodeProto[], initializer: onnx.ITensorProto[], input: onnx.IValueInfoProto[], output: onnx.IValueInfoProto[]): Uint8Array {
  const graph = onnx.GraphProto.create({ name: 'roofline-int8', node: nodes, initializer, input, output });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

/** x [m × k] fp32 → DynamicQuantizeLinear → `fanout` dequantised products [k × n]: the int8 graph's pattern. */
export function dynamicQuantizedModel(m: number, k: number, n: number, fanout: number): Uint8Array {
  const js = Array.from({ length: fanout }, (_, j) => j);
  return encode(
    [onnx.NodeProto.create({ opType: 'DynamicQuantizeLinear', input: ['x'], output: ['xq', 'xs', 'xzp'], name: 'quantize' }), ...js.flatMap(dequantizedProduct)],
    js.flatMap((j) => weights(j, k, n)), [io('x', T.FLOAT, [m, k])], js.map((j) => io(`y${j}`, T.FLOAT, [m, n])));
}

/** The same product fed an already quantised input (xq, xs, xzp): what is left without the quantisation step. */
export function integerOnlyModel(m: number, k: number, n: number): Uint8Array {
  return encode(dequantizedProduct(0), weights(0, k, n), [io('xq', T.UINT8, [m, k]), io('xs', T.FLOAT, []), io('xzp', T.UINT8, [])], [io('y0', T.FLOAT, [m, n])]);
}

/** Op types of a graph ORT wrote (optimizedModelFilePath), for the record: which kernels were measured. */
export function kernelsOf(model: onnx.IModelProto): string {
  const ops = (model.graph?.node ?? []).map((n) => n.opType ?? '');
  return [...new Set(ops)].join('+');
}
