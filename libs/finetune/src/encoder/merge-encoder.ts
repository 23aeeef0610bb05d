import { readFile, writeFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';
import { LAYER_TENSORS } from './bert-graph';
import { mergedWeight } from './linear';
import type { TunedEncoder } from './tuned-encoder';

/**
 * Writes the trained weights into the encoder graph's initialisers: LoRA merged
 * (W' = W + (α/r)·A·B, i.e. the paper's W + (α/r)·B·A in [out × in] layout), top-layers'
 * weights as they are. The graph's nodes do not change, so serving sees a plain encoder.
 * Returns the names of the initialisers rewritten.
 */
export async function writeMergedEncoder(encoderPath: string, outPath: string, model: TunedEncoder): Promise<string[]> {
  const proto = onnx.ModelProto.decode(await readFile(encoderPath));
  const inits = new Map((proto.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const written: string[] = [];
  for (const layer of model.layers) {
    for (const key of LAYER_TENSORS) {
      const slot = layer.slots[key];
      const lora = layer.loraOf(key);
      if (!slot.param && !lora) continue;
      const values = Float32Array.from(lora && (key === 'wq' || key === 'wv' || key === 'w1' || key === 'w2') ? mergedWeight(slot.value, lora, ...layer.matrixShape(key)) : slot.value);
      const name = layer.weights.names[key];
      const t = inits.get(name);
      if (!t) throw new Error(`encoder graph has no initialiser ${name}`);
      if (t.dims && t.dims.reduce((a: number, b) => a * Number(b), 1) !== values.length) throw new Error(`initialiser ${name} has ${String(t.dims)} elements, trained tensor ${values.length}`);
      t.rawData = new Uint8Array(values.buffer);
      t.floatData = [];
      written.push(name);
    }
  }
  await writeFile(outPath, onnx.ModelProto.encode(proto).finish());
  return written;
}
