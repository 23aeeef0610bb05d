// Test helpers for @tuneline/inference: a fake onnxruntime session and a tiny model
// directory, so TextModel and its callers can be unit-tested without real weights.
// Not part of the main entry (src/index.ts): production code has no use for them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type { CreateOrtSession } from './session/model-session';

export type { CreateOrtSession };

/** Words the fake tokenizer knows (whitespace-split); anything else is unsupported. */
export const FAKE_VOCAB = ['[UNK]', 'warm-up', 'a', 'b', 'c', 'd', 'hello', 'world', 'request'] as const; // 'warm-up request': ModelRepository's warm-up text

export interface FakeModelDirOptions {
  /** Labels make it a classifier (logits output, warmed up at load); none: a sentence embedder. */
  readonly labels?: readonly string[];
  readonly outputName?: string;
}

/** Writes `model.onnx` (placeholder bytes), `tokenizer.json`, `tuneline.json` and maybe `labels.json`. */
export function writeFakeModelDir(options: FakeModelDirOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-model-'));
  const classifier = options.labels !== undefined;
  writeFileSync(join(dir, 'model.onnx'), 'not a graph: tests inject createSession');
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({
    version: '1.0', truncation: null, padding: null, normalizer: null, post_processor: null, decoder: null,
    added_tokens: [{ id: 0, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    pre_tokenizer: { type: 'WhitespaceSplit' },
    model: { type: 'WordLevel', vocab: Object.fromEntries(FAKE_VOCAB.map((w, i) => [w, i])), unk_token: '[UNK]' },
  }));
  writeFileSync(join(dir, 'tuneline.json'), JSON.stringify({
    format: 'tuneline-model/v1', task: classifier ? 'classification' : 'embedding',
    outputKind: classifier ? 'logits' : 'sentence_embedding', outputName: options.outputName ?? 'out',
    inputNames: ['input_ids', 'attention_mask'], maxLength: 16,
  }));
  if (classifier) writeFileSync(join(dir, 'labels.json'), JSON.stringify(options.labels));
  return dir;
}

export interface FakeSessionOptions {
  /** Row width of the `out` tensor (classes or embedding dimension). */
  readonly width: number;
  readonly outputName?: string;
  /** Also output a `sentence_embedding` of this width (a fused classifier); row b is filled with b + 1. */
  readonly embeddingWidth?: number;
  /** Runs before each batch returns: block on a gate, or throw to simulate a failing graph. */
  readonly beforeRun?: (rows: number) => Promise<void> | void;
}

export interface FakeSession {
  readonly createSession: CreateOrtSession;
  /** Rows (texts) of every run, in order. */
  readonly runs: number[];
  /** How many times release() was called. */
  releases(): number;
}

/** A stand-in for `ort.InferenceSession.create` whose runs return zero rows of `width`. */
export function fakeOrtSession(options: FakeSessionOptions): FakeSession {
  const runs: number[] = [];
  let released = 0;
  const outputName = options.outputName ?? 'out';
  const session = {
    inputNames: ['input_ids', 'attention_mask'],
    outputNames: options.embeddingWidth ? [outputName, 'sentence_embedding'] : [outputName],
    async run(feeds: Record<string, ort.Tensor>) {
      const rows = feeds['input_ids']?.dims[0] ?? 0;
      runs.push(rows);
      await options.beforeRun?.(rows);
      const out: Record<string, ort.Tensor> = { [outputName]: new ort.Tensor('float32', new Float32Array(rows * options.width), [rows, options.width]) };
      const ew = options.embeddingWidth;
      if (ew) out['sentence_embedding'] = new ort.Tensor('float32', Float32Array.from({ length: rows * ew }, (_, i) => Math.floor(i / ew) + 1), [rows, ew]);
      return out;
    },
    async release() {
      released++;
    },
  };
  return {
    createSession: async () => session as unknown as ort.InferenceSession,
    runs,
    releases: () => released,
  };
}

/**
 * Writes a real feature-input model directory: score = features · weights + bias, as an
 * ONNX graph (MatMul, Add, Reshape to [N]), with tuneline.json task "ranking". Lets specs
 * load, serve and hot-swap a FeatureModel without libs/finetune.
 */
export function writeLinearFeatureModel(dir: string, featureNames: readonly string[], weights: readonly number[], bias = 0): string {
  if (weights.length !== featureNames.length) throw new RangeError(`${weights.length} weights for ${featureNames.length} features`);
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const floats = (name: string, dims: number[], values: readonly number[]) =>
    onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) });
  const graph = onnx.GraphProto.create({
    name: 'linear_feature_model',
    node: [
      onnx.NodeProto.create({ opType: 'MatMul', input: ['features', 'w'], output: ['mm'] }),
      onnx.NodeProto.create({ opType: 'Add', input: ['mm', 'b'], output: ['s'] }),
      onnx.NodeProto.create({ opType: 'Reshape', input: ['s', 'flat'], output: ['score'] }),
    ],
    initializer: [
      floats('w', [weights.length, 1], weights), floats('b', [1], [bias]),
      onnx.TensorProto.create({ name: 'flat', dims: [1], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(BigInt64Array.from([-1n]).buffer) }),
    ],
    input: [onnx.ValueInfoProto.create({ name: 'features', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'n' }, { dimValue: weights.length }] } } } })],
    output: [onnx.ValueInfoProto.create({ name: 'score', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'n' }] } } } })],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, producerName: 'tuneline-testing', opsetImport: [{ domain: '', version: 13 }], graph });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), onnx.ModelProto.encode(model).finish());
  writeFileSync(join(dir, 'tuneline.json'), JSON.stringify({ format: 'tuneline-model/v1', task: 'ranking', featureNames, source: { weights, bias } }));
  writeFileSync(join(dir, 'model-card.json'), JSON.stringify({ weights, bias }));
  return dir;
}
