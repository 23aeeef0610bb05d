import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncoderGraphError } from '../export/encoder-graph';
import { buildSyntheticEncoder, type SyntheticEncoderOptions } from '../testing';
import { MAX_EXEMPLARS } from '../train/exemplar-options';
import { finetune } from './finetune';

/** A base model directory around a synthetic graph; its tokenizer is a stub, so any encoder run would fail. */
function baseDir(graph: Partial<SyntheticEncoderOptions>, pooling: 'cls' | 'mean'): string {
  const dir = mkdtempSync(join(tmpdir(), 'base-'));
  writeFileSync(join(dir, 'model.onnx'), buildSyntheticEncoder({ opset: 11, hidden: 4, ...graph }).bytes);
  writeFileSync(join(dir, 'tokenizer.json'), '{}');
  writeFileSync(join(dir, 'tuneline.json'), JSON.stringify({ format: 'tuneline-model/v1', task: 'embedding', outputKind: 'token_embeddings',
    outputName: 'last_hidden_state', inputNames: ['input_ids', 'attention_mask'], pooling, normalize: true, maxLength: 16, dimension: 4 }));
  return dir;
}

const data = join(mkdtempSync(join(tmpdir(), 'data-')), 'd.jsonl');
writeFileSync(data, Array.from({ length: 8 }, (_, i) => JSON.stringify({ text: `row ${i}`, label: i % 2 ? 'a' : 'b' })).join('\n'));

describe('finetune preflight', () => {
  it.each([
    ['an opset it cannot fuse into', { opset: 23 }, 'cls', /opset 23 is not supported/],
    ['mean pooling without an attention_mask input', { inputNames: ['input_ids', 'input_mask'] }, 'mean', /needs an "attention_mask" input/],
    ['a hidden width other than the configured dimension', { hidden: 6 }, 'cls', /is 6 wide, but the head takes 4/],
  ] as const)('refuses a base with %s before embedding or training', async (_, graph, pooling, message) => {
    const repo = mkdtempSync(join(tmpdir(), 'repo-'));
    const onEmbedProgress = jest.fn();
    const err = await finetune({ task: 'classify', dataFile: data, baseModelDir: baseDir(graph, pooling), repo, name: 'm', onEmbedProgress }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncoderGraphError);
    expect((err as Error).message).toMatch(message);
    expect(onEmbedProgress).not.toHaveBeenCalled();
    expect(existsSync(join(repo, 'm'))).toBe(false);
  });
});

const multilabelData = join(mkdtempSync(join(tmpdir(), 'data-')), 'ml.jsonl');
writeFileSync(multilabelData, Array.from({ length: 8 }, (_, i) => JSON.stringify({ text: `row ${i}`, labels: i % 2 ? ['a'] : ['b', 'a'] })).join('\n'));

// Over the cap once the default 15% validation share is taken out: refused from the rows, before any embedding.
const overCapDir = mkdtempSync(join(tmpdir(), 'data-'));
const overCap = join(overCapDir, 'many.jsonl');
afterAll(() => rmSync(overCapDir, { recursive: true, force: true }));
writeFileSync(overCap, Array.from({ length: Math.ceil(MAX_EXEMPLARS / 0.8) }, (_, i) => JSON.stringify({ text: `message ${i}`, label: i % 2 ? 'a' : 'b' })).join('\n'));

describe('finetune exemplar option', () => {
  const exemplars = { k: 3, temperature: 0.02, weight: 0.5 };
  it.each([
    ['more distinct training rows than the cap', 'classify', overCap, { exemplars }, undefined, /^exemplars: \d+ distinct training rows exceed the 100000 the graph may carry/],
    ['k above the distinct training rows', 'classify', data, { exemplars: { ...exemplars, k: 100 } }, undefined, /^exemplars\.k \(100\) exceeds the \d distinct training rows$/],
    ['a bad field', 'classify', data, { exemplars: { ...exemplars, weight: 1.5 } }, undefined, /^exemplars\.weight must be in \[0, 1\)/],
    ['a multi-label task', 'multilabel', multilabelData, { exemplars }, undefined, /multi-label heads are not supported/],
    ['an encoder-tuning method', 'classify', data, { exemplars }, 'lora', /only the frozen-encoder head method is supported, not lora/],
  ] as const)('refuses %s before embedding or training', async (_, task, dataFile, train, method, message) => {
    const repo = mkdtempSync(join(tmpdir(), 'repo-'));
    const onEmbedProgress = jest.fn();
    const err = await finetune({ task, dataFile, baseModelDir: baseDir({}, 'cls'), repo, name: 'm', onEmbedProgress, train, ...(method ? { method } : {}) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(message);
    expect(onEmbedProgress).not.toHaveBeenCalled();
    expect(existsSync(join(repo, 'm'))).toBe(false);
  });
});
