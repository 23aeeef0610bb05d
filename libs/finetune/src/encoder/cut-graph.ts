import { onnx } from 'onnx-proto';

/**
 * The sub-graph of `model` that computes `tensors`, with those as its outputs: the frozen
 * lower layers (embedding + layers below 12 − k) that run once per text. Nodes and
 * initialisers nothing upstream of the outputs uses are dropped, so the cut graph does
 * only the lower layers' work.
 */
export function cutGraph(model: onnx.IModelProto, tensors: readonly string[]): Uint8Array {
  const src = model.graph ?? {};
  const producer = new Map<string, onnx.INodeProto>();
  for (const n of src.node ?? []) for (const o of n.output ?? []) producer.set(o, n);
  const keep = new Set<onnx.INodeProto>();
  const needed = new Set<string>();
  const stack = [...tensors];
  while (stack.length) {
    const t = stack.pop() as string;
    if (needed.has(t)) continue;
    needed.add(t);
    const n = producer.get(t);
    if (!n) continue;
    if (!keep.has(n)) {
      keep.add(n);
      stack.push(...(n.input ?? []).filter((i) => i));
    }
  }
  for (const t of tensors) if (!producer.has(t)) throw new RangeError(`no node produces tensor ${t}`);
  const graph = onnx.GraphProto.create({
    ...src,
    node: (src.node ?? []).filter((n) => keep.has(n)),
    initializer: (src.initializer ?? []).filter((t) => needed.has(t.name ?? '')),
    input: (src.input ?? []).filter((i) => needed.has(i.name ?? '')),
    output: tensors.map((name) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } })),
    valueInfo: [],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ ...model, graph })).finish();
}
