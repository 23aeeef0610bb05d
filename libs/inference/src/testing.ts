// Test helpers for @tuneline/inference: a fake onnxruntime session and a tiny model
// directory, so TextModel and its callers can be unit-tested without real weights.
// Not part of the main entry (src/index.ts): production code has no use for them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
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
