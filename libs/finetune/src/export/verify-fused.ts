import * as ort from 'onnxruntime-node';
import { createModelSession, TextTokenizer } from '@tuneline/inference';
import type { Head } from '../heads/head';
import { sigmoid, softmaxRows } from '../math/linear-algebra';
import { blendWithVote, exemplarVote } from './exemplar-vote';
import type { FusedExemplars } from './fuse-exemplars';
import { EMBEDDING_OUTPUT, PROBABILITIES_OUTPUT } from './fuse-onnx';

/**
 * A k-th and (k+1)-th neighbour closer than this in cosine may swap between float32 (graph)
 * and float64 (TS) sums; such texts have no single right answer and are not compared.
 */
export const EXEMPLAR_TIE_GAP = 1e-5;

export interface FusedCheck {
  /** max |p_fused − p_head| where the head is applied to the fused graph's own embedding. */
  readonly maxAbsDiff: number;
  /** min cosine between the fused graph's embedding and the embedding the head was trained on. */
  readonly minEmbeddingCosine: number;
  /** Texts whose k-th and (k+1)-th exemplar were within EXEMPLAR_TIE_GAP (probabilities not compared). */
  readonly exemplarNearTies: number;
}

export interface VerifyFusedInput {
  readonly modelPath: string;
  readonly tokenizerPath: string;
  readonly maxLength: number;
  readonly texts: readonly string[];
  /** Training-time embeddings of `texts`, row-major [texts.length × dim]. */
  readonly embeddings: Float64Array;
  readonly head: Head;
  readonly temperature: number;
  readonly multilabel: boolean;
  /** Set when the graph blends the exemplar vote in: the reference blends it in too. */
  readonly exemplars?: FusedExemplars;
}

/**
 * Checks a fused graph in two separate ways, one text per run:
 * - the head part: probabilities vs. the JS head (and exemplar vote, when fused) on the
 *   graph's own `sentence_embedding` output. This is exact math (≤1e-4) whatever the
 *   encoder's precision.
 * - the encoder part: the graph's embedding vs. the training embedding. fp32 bases agree to
 *   ~1e-6; int8 bases quantise activations per batch, so a text's embedding moves slightly
 *   with its batch-mates (cosine ≈ 0.99). Comparing probabilities end to end would mix the two.
 */
export async function verifyFusedGraph(input: VerifyFusedInput): Promise<FusedCheck> {
  const { texts, head, temperature, multilabel } = input;
  if (texts.length === 0) return { maxAbsDiff: 0, minEmbeddingCosine: 1, exemplarNearTies: 0 };
  const tokenizer = await TextTokenizer.fromFile(input.tokenizerPath, input.maxLength);
  const session = await createModelSession({ modelPath: input.modelPath, executionProviders: ['cpu'] });
  const c = head.outputDim;
  let maxAbsDiff = 0;
  let minEmbeddingCosine = 1;
  let exemplarNearTies = 0;
  try {
    for (let i = 0; i < texts.length; i++) {
      const { ids, typeIds } = tokenizer.encode(texts[i] as string);
      const tensor = (xs: readonly number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
      const feeds: Record<string, ort.Tensor> = { input_ids: tensor(ids), attention_mask: tensor(ids.map(() => 1)) };
      if (session.inputNames.includes('token_type_ids')) feeds['token_type_ids'] = tensor(typeIds);
      const out = await session.run(feeds);
      const probs = (out[PROBABILITIES_OUTPUT] as ort.Tensor).data as Float32Array;
      const emb = Float64Array.from((out[EMBEDDING_OUTPUT] as ort.Tensor).data as Float32Array);
      const logits = head.forward(emb, 1, false).logits;
      let expected = multilabel ? logits.map((z) => sigmoid(z / temperature)) : softmaxRows(logits, 1, c, temperature);
      let comparable = true;
      if (input.exemplars) {
        const vote = exemplarVote(input.exemplars.set, emb, 1, input.exemplars.options);
        expected = blendWithVote(expected, vote.probabilities, input.exemplars.options.weight);
        comparable = (vote.boundaryGap[0] as number) >= EXEMPLAR_TIE_GAP;
        if (!comparable) exemplarNearTies++;
      }
      if (comparable) for (let j = 0; j < c; j++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs((probs[j] as number) - (expected[j] as number)));
      const trained = input.embeddings.subarray(i * emb.length, (i + 1) * emb.length);
      minEmbeddingCosine = Math.min(minEmbeddingCosine, cosine(emb, trained));
    }
  } finally {
    await session.release();
  }
  return { maxAbsDiff, minEmbeddingCosine, exemplarNearTies };
}

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number, y = b[i] as number;
    dot += x * y; na += x * x; nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
