import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelDir } from './model-dir';

function dirWith(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'model-dir-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), body);
  }
  return d;
}

const config = (over: Record<string, unknown> = {}) => JSON.stringify({
  format: 'tuneline-model/v1', task: 'embedding', outputKind: 'token_embeddings', outputName: 'last_hidden_state',
  inputNames: ['input_ids', 'attention_mask'], pooling: 'cls', normalize: true, maxLength: 128, ...over,
});

describe('loadModelDir', () => {
  it('loads a complete directory', async () => {
    const d = dirWith({ 'model.onnx': 'x', 'tokenizer.json': '{}', 'tuneline.json': config(), 'model-card.json': '{"base":"b"}' });
    const m = await loadModelDir(d);
    expect(m.config.maxLength).toBe(128);
    expect(m.card).toEqual({ base: 'b' });
    expect(m.onnxPath).toBe(join(d, 'model.onnx'));
  });

  it.each([
    [{ 'tokenizer.json': '{}' }, /has no model.onnx/],
    [{ 'model.onnx': 'x' }, /has no tokenizer.json/],
    [{ 'model.onnx': 'x', 'tokenizer.json': '{}', 'tuneline.json': '{nope' }, /tuneline.json is not valid JSON/],
    [{ 'model.onnx': 'x', 'tokenizer.json': '{}', 'tuneline.json': config({ maxLength: 2 }) }, /maxLength/],
    [{ 'model.onnx': 'x', 'tokenizer.json': '{}', 'tuneline.json': config({ task: 'classification', outputKind: 'logits' }) }, /has no labels.json/],
    [{ 'model.onnx': 'x', 'tokenizer.json': '{}', 'tuneline.json': config(), 'labels.json': '["a","a"]' }, /duplicate labels/],
    [{ 'model.onnx': 'x', 'tokenizer.json': '{}', 'tuneline.json': config(), 'labels.json': '[]' }, /non-empty array/],
  ])('fails clearly on an inconsistent directory (%#)', async (files, message) => {
    await expect(loadModelDir(dirWith(files as Record<string, string>))).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringMatching(message) });
  });

  it('fails on a missing directory', async () => {
    await expect(loadModelDir('/nonexistent/model')).rejects.toThrow('model directory /nonexistent/model does not exist');
  });

  it('reads a Hugging Face sentence-transformers export without tuneline.json', async () => {
    const d = dirWith({
      'onnx/model.onnx': 'x', 'tokenizer.json': '{}',
      '1_Pooling/config.json': '{"pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}',
      'tokenizer_config.json': '{"model_max_length": 256}',
    });
    const m = await loadModelDir(d);
    expect(m.onnxPath).toBe(join(d, 'onnx', 'model.onnx'));
    expect(m.config.pooling).toBe('mean');
    expect(m.config.maxLength).toBe(256);
  });
});
