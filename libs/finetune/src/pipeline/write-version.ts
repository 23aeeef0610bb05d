import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelConfigInput, ModelDir } from '@tuneline/inference';
import type { FusedExemplars } from '../export/fuse-exemplars';
import { fuseHeadIntoEncoder, PROBABILITIES_OUTPUT } from '../export/fuse-onnx';
import type { ModelCard } from '../export/model-card';
import { verifyFusedGraph } from '../export/verify-fused';
import { headWeights, type Head } from '../heads/head';

/** Head math in the fused graph vs. JS (float32 vs. float64). */
export const FUSED_HEAD_TOLERANCE = 1e-4;
/** fp32 bases reach ~1 − 1e-12; int8 bases ~0.99 because activations are quantised per batch. */
export const FUSED_EMBEDDING_MIN_COSINE = 0.97;
/** Validation texts the fused graph is checked on, one run each. */
export const FUSED_CHECK_TEXTS = 64;

export async function nextVersion(modelRoot: string): Promise<string> {
  if (!existsSync(modelRoot)) return '1';
  const numbers = (await readdir(modelRoot)).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return String(numbers.length ? Math.max(...numbers) + 1 : 1);
}

/** The card without what only this stage knows (version, fused-graph checks). */
export type CardDraft = Omit<ModelCard, 'version' | 'fusedGraphMaxAbsDiff' | 'fusedEmbeddingMinCosine' | 'fusedGraphExemplarNearTies'>;

export interface WriteVersionInput {
  /** Model repository root; the version goes to `<repo>/<name>/<next version>/`. */
  readonly repo: string;
  readonly name: string;
  readonly base: ModelDir;
  readonly head: Head;
  /** Set for mlp heads. */
  readonly hiddenDim?: number;
  readonly temperature: number;
  readonly multilabel: boolean;
  readonly labels: readonly string[];
  readonly dim: number;
  readonly config: Omit<ModelConfigInput, 'outputName' | 'dimension'>;
  /** Validation texts and their training embeddings [texts.length × dim], to verify the fused graph on. */
  readonly checkTexts: readonly string[];
  readonly checkEmbeddings: Float64Array;
  readonly card: CardDraft;
  /** A k-nearest-exemplar vote to blend into the graph's probabilities (fuse-exemplars.ts). */
  readonly exemplars?: FusedExemplars;
  /** performance.now() when the run began: training.seconds then covers fusion and verification too. */
  readonly startedAt?: number;
}

export interface WrittenVersion {
  readonly dir: string;
  readonly version: string;
  readonly card: ModelCard;
}

/**
 * Stage 5: fuse the head into the encoder graph, verify the graph, write config, labels
 * and card, then move the directory into place in one rename, so a server watching the
 * repository never sees half a version. Any failure removes the temporary directory:
 * it holds a copy of the encoder (~130 MB for bge-small) and would pile up run after run.
 */
export async function writeModelVersion(input: WriteVersionInput): Promise<WrittenVersion> {
  const modelRoot = join(input.repo, input.name);
  const version = await nextVersion(modelRoot);
  const dir = join(modelRoot, version);
  const tmp = join(modelRoot, `.${version}.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const card = await fillVersionDir(tmp, version, input);
    await rename(tmp, dir);
    return { dir, version, card };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function fillVersionDir(tmp: string, version: string, input: WriteVersionInput): Promise<ModelCard> {
  const { base, head, temperature, multilabel } = input;
  const modelPath = join(tmp, 'model.onnx');
  await fuseHeadIntoEncoder({ encoderPath: base.onnxPath, outPath: modelPath, head: headWeights(head, input.hiddenDim), pooling: base.config.pooling,
    normalize: base.config.normalize, temperature, multilabel, ...(input.exemplars ? { exemplars: input.exemplars } : {}) });
  await copyFile(base.tokenizerPath, join(tmp, 'tokenizer.json'));
  const config: ModelConfigInput = { ...input.config, outputName: PROBABILITIES_OUTPUT, dimension: input.dim };
  await writeFile(join(tmp, 'tuneline.json'), JSON.stringify(config, null, 2) + '\n');
  await writeFile(join(tmp, 'labels.json'), JSON.stringify(input.labels, null, 2) + '\n');

  // The fused graph must reproduce the head exactly and the encoder closely (verify-fused.ts).
  const fused = await verifyFusedGraph({ modelPath, tokenizerPath: base.tokenizerPath, maxLength: base.config.maxLength,
    texts: input.checkTexts, embeddings: input.checkEmbeddings, head, temperature, multilabel, ...(input.exemplars ? { exemplars: input.exemplars } : {}) });
  if (!(fused.maxAbsDiff < FUSED_HEAD_TOLERANCE)) {
    throw new Error(`fused graph disagrees with the trained head${input.exemplars ? ' and exemplar vote' : ''} (max |Δp| = ${fused.maxAbsDiff})`);
  }
  // Near ties are skipped by the check: if every text was one, the blend was never compared.
  if (input.exemplars && input.checkTexts.length > 0 && fused.exemplarNearTies >= input.checkTexts.length) {
    throw new Error(`fused exemplar vote unverified: all ${input.checkTexts.length} check texts tie at the k-th exemplar`);
  }
  if (!(fused.minEmbeddingCosine > FUSED_EMBEDDING_MIN_COSINE)) {
    throw new Error(`fused graph's embeddings drift from the training embeddings (min cosine ${fused.minEmbeddingCosine})`);
  }
  const { format, name, ...rest } = input.card;
  const training = input.startedAt === undefined ? rest.training : { ...rest.training, seconds: (performance.now() - input.startedAt) / 1000 };
  // format and name first, then version: the key order model-card.json always had.
  const card: ModelCard = { format, name, version, ...rest, training,
    fusedGraphMaxAbsDiff: fused.maxAbsDiff, fusedEmbeddingMinCosine: fused.minEmbeddingCosine,
    ...(input.exemplars ? { fusedGraphExemplarNearTies: fused.exemplarNearTies } : {}) };
  await writeFile(join(tmp, 'model-card.json'), JSON.stringify(card, null, 2) + '\n');
  return card;
}
