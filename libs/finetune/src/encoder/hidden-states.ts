import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { TextTokenizer } from '@tuneline/inference';
import { cutGraph } from './cut-graph';
import type { HiddenStateCache } from './hidden-state-cache';

export interface HiddenStateStats {
  readonly unique: number;
  readonly cacheHits: number;
  readonly encoded: number;
  readonly seconds: number;
}

export interface HiddenStateInput {
  readonly encoderPath: string;
  readonly tokenizerPath: string;
  readonly maxLength: number;
  /** Tensor to read (the input of the first trained layer). */
  readonly tensor: string;
  readonly texts: readonly string[];
  readonly cache?: HiddenStateCache;
  readonly dim: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Texts per onnxruntime run; similar lengths are batched together to keep padding low. */
const RUN_BATCH = 32;

/**
 * Runs the frozen lower layers once per text (cache misses only) and returns each text's
 * hidden states [tokens × dim], unpadded.
 */
export async function hiddenStates(input: HiddenStateInput): Promise<{ states: Map<string, Float32Array>; stats: HiddenStateStats }> {
  const started = performance.now();
  const unique = [...new Set(input.texts)];
  const states = new Map<string, Float32Array>();
  const misses: string[] = [];
  for (const t of unique) {
    const hit = input.cache?.get(t);
    if (hit) states.set(t, hit);
    else misses.push(t);
  }
  if (misses.length) {
    const model = onnx.ModelProto.decode(await readFile(input.encoderPath));
    const session = await ort.InferenceSession.create(cutGraph(model, [input.tensor]));
    const tokenizer = await TextTokenizer.fromFile(input.tokenizerPath, input.maxLength);
    try {
      const encoded = misses.map((text) => ({ text, ...tokenizer.encode(text) })).sort((a, b) => a.ids.length - b.ids.length);
      for (let s = 0; s < encoded.length; s += RUN_BATCH) {
        const group = encoded.slice(s, s + RUN_BATCH);
        const T = Math.max(...group.map((g) => g.ids.length));
        const ids = new BigInt64Array(group.length * T);
        const mask = new BigInt64Array(group.length * T);
        const types = new BigInt64Array(group.length * T);
        group.forEach((g, b) => g.ids.forEach((id, t) => {
          ids[b * T + t] = BigInt(id);
          mask[b * T + t] = 1n;
          types[b * T + t] = BigInt(g.typeIds[t] ?? 0);
        }));
        const feeds: Record<string, ort.Tensor> = {};
        const dims = [group.length, T];
        if (session.inputNames.includes('input_ids')) feeds['input_ids'] = new ort.Tensor('int64', ids, dims);
        if (session.inputNames.includes('attention_mask')) feeds['attention_mask'] = new ort.Tensor('int64', mask, dims);
        if (session.inputNames.includes('token_type_ids')) feeds['token_type_ids'] = new ort.Tensor('int64', types, dims);
        const out = (await session.run(feeds))[input.tensor] as ort.Tensor;
        const data = out.data as Float32Array;
        group.forEach((g, b) => {
          const v = data.slice(b * T * input.dim, (b * T + g.ids.length) * input.dim);
          states.set(g.text, v);
          input.cache?.put(g.text, v);
        });
        input.onProgress?.(Math.min(s + RUN_BATCH, encoded.length), encoded.length);
      }
    } finally {
      await session.release();
    }
    await input.cache?.flush();
  }
  return { states, stats: { unique: unique.length, cacheHits: unique.length - misses.length, encoded: misses.length, seconds: (performance.now() - started) / 1000 } };
}
