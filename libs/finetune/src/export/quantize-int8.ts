import { readFile, writeFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';

/**
 * Dynamic int8 quantisation of a (merged, fused) encoder graph, the scheme onnxruntime's
 * quantize_dynamic uses on CPU: every MatMul with a 2-D float weight initialiser becomes
 * DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q) → Cast → ·x_scale·W_scale, with W
 * quantised once, symmetric per tensor (zero point 0). The head (tuneline_* nodes) stays float.
 * Returns how many MatMuls were quantised.
 */
export async function quantizeDynamicInt8(inPath: string, outPath: string): Promise<number> {
  const model = onnx.ModelProto.decode(await readFile(inPath));
  const graph = model.graph as onnx.GraphProto;
  const inits = new Map(graph.initializer.map((t) => [t.name ?? '', t]));
  const T = onnx.TensorProto.DataType;
  const nodes: onnx.INodeProto[] = [];
  const drop = new Set<string>();
  const added: onnx.TensorProto[] = [];
  let count = 0;
  for (const n of graph.node) {
    const w = n.opType === 'MatMul' && !(n.name ?? '').startsWith('tuneline_') ? inits.get(n.input?.[1] ?? '') : undefined;
    if (!w || w.dims?.length !== 2 || w.dataType !== T.FLOAT || !w.rawData?.length) {
      nodes.push(n);
      continue;
    }
    const raw = new Uint8Array(w.rawData.length);
    raw.set(w.rawData);
    const values = new Float32Array(raw.buffer);
    // One scale per output column (per channel): a column of large LoRA-merged weights
    // does not coarsen every other column's steps.
    const [K, N] = (w.dims ?? []).map(Number) as [number, number];
    const scales = new Float32Array(N);
    for (let i = 0; i < K; i++) for (let j = 0; j < N; j++) scales[j] = Math.max(scales[j] as number, Math.abs(values[i * N + j] as number));
    for (let j = 0; j < N; j++) scales[j] = (scales[j] as number) > 0 ? (scales[j] as number) / 127 : 1;
    const q = Int8Array.from(values, (v, idx) => Math.max(-127, Math.min(127, Math.round(v / (scales[idx % N] as number)))));
    const p = `${w.name}_int8`;
    added.push(
      onnx.TensorProto.create({ name: `${p}_q`, dims: w.dims ?? [], dataType: T.INT8, rawData: new Uint8Array(q.buffer) }),
      onnx.TensorProto.create({ name: `${p}_scale`, dims: [N], dataType: T.FLOAT, rawData: new Uint8Array(scales.buffer) }),
      onnx.TensorProto.create({ name: `${p}_zp`, dims: [], dataType: T.INT8, rawData: new Uint8Array(1) }),
    );
    drop.add(w.name ?? '');
    const x = n.input?.[0] ?? '';
    const y = n.output?.[0] ?? '';
    const o = `${y}_q8`;
    const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []) =>
      onnx.NodeProto.create({ opType, input, output, name: `${output[0]}_node`, attribute });
    nodes.push(
      node('DynamicQuantizeLinear', [x], [`${o}_x`, `${o}_xs`, `${o}_xz`]),
      node('MatMulInteger', [`${o}_x`, `${p}_q`, `${o}_xz`, `${p}_zp`], [`${o}_i32`]),
      node('Cast', [`${o}_i32`], [`${o}_f`], [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: T.FLOAT })]),
      node('Mul', [`${o}_xs`, `${p}_scale`], [`${o}_s`]),
      node('Mul', [`${o}_f`, `${o}_s`], [y]),
    );
    count++;
  }
  // An initialiser another node still reads (shared weights) is kept.
  const stillRead = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.initializer = [...graph.initializer.filter((t) => !drop.has(t.name ?? '') || stillRead.has(t.name ?? '')), ...added];
  graph.node = nodes as onnx.NodeProto[];
  await writeFile(outPath, onnx.ModelProto.encode(model).finish());
  return count;
}
