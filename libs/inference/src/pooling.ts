/**
 * Pooling of token embeddings [batch, seq, dim] into one vector per text, and L2
 * normalisation. CLS pooling is what bge was trained with; mean pooling (masked)
 * is what sentence-transformers MiniLM/e5 use.
 */
export function poolEmbeddings(
  data: Float32Array,
  dims: readonly number[],
  attentionMask: readonly (readonly number[])[],
  pooling: 'cls' | 'mean',
  normalize: boolean,
): Float32Array[] {
  const [batch, seq, dim] = dims as [number, number, number];
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    const base = b * seq * dim;
    if (pooling === 'cls') {
      v.set(data.subarray(base, base + dim));
    } else {
      const mask = attentionMask[b] ?? [];
      let count = 0;
      for (let t = 0; t < seq; t++) {
        if (!mask[t]) continue;
        count++;
        const off = base + t * dim;
        for (let d = 0; d < dim; d++) v[d] = (v[d] as number) + (data[off + d] as number);
      }
      const inv = 1 / Math.max(count, 1);
      for (let d = 0; d < dim; d++) v[d] = (v[d] as number) * inv;
    }
    out.push(normalize ? l2Normalize(v) : v);
  }
  return out;
}

export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${a.length} vs ${b.length}`);
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number, y = b[i] as number;
    dot += x * y; na += x * x; nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, (logits[i] as number) / temperature);
  const exps: number[] = [];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] as number) / temperature - max);
    exps.push(e);
    sum += e;
  }
  return exps.map((e) => e / sum);
}
