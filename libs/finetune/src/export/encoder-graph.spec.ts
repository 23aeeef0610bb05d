import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headWeights } from '../heads/head';
import { LinearHead } from '../heads/linear-head';
import { createRng } from '../math/random';
import { buildSyntheticEncoder, type SyntheticEncoderOptions } from '../testing';
import { EncoderGraphError, preflightEncoder } from './encoder-graph';
import { fuseHeadIntoEncoder } from './fuse-onnx';

const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
let n = 0;
function encoderFile(o: Partial<SyntheticEncoderOptions> = {}): string {
  const path = join(dir, `enc-${n++}.onnx`);
  writeFileSync(path, buildSyntheticEncoder({ opset: 11, hidden: 4, ...o }).bytes);
  return path;
}

describe('preflightEncoder', () => {
  it('accepts a fusable graph and reports opset, inputs and hidden width', async () => {
    const info = await preflightEncoder(encoderFile({ opset: 14, hidden: 5 }), { pooling: 'mean', hiddenWidth: 5 });
    expect(info).toEqual({ opset: 14, inputNames: ['input_ids', 'attention_mask', 'token_type_ids'], outputNames: ['last_hidden_state'], hiddenWidth: 5 });
  });

  it.each([
    ['an opset below the supported range', { opset: 9 }, { pooling: 'cls' }, /opset 9 is not supported for fusion; supported default-domain opsets are 11\.\.21/],
    ['an opset above the supported range', { opset: 23 }, { pooling: 'cls' }, /opset 23 is not supported/],
    ['mean pooling without attention_mask', { inputNames: ['input_ids', 'mask'] }, { pooling: 'mean' }, /mean pooling needs an "attention_mask" input; the graph has input_ids, mask/],
    ['no input_ids', { inputNames: ['ids', 'attention_mask'] }, { pooling: 'cls' }, /no "input_ids" input \(inputs: ids, attention_mask\)/],
    ['another hidden width than the head', { hidden: 8 }, { pooling: 'cls', hiddenWidth: 4 }, /output "last_hidden_state" is 8 wide, but the head takes 4/],
    ['a missing encoder output', { outputName: 'token_embeddings' }, { pooling: 'cls' }, /no output "last_hidden_state" \(outputs: token_embeddings\)/],
  ] as const)('refuses %s', async (_, graph, expect_, message) => {
    const err = await preflightEncoder(encoderFile(graph), expect_).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncoderGraphError);
    expect((err as Error).message).toMatch(message);
  });

  it('skips the width check when the graph leaves the width symbolic', async () => {
    const info = await preflightEncoder(encoderFile({ hidden: 8, staticHidden: false }), { pooling: 'cls', hiddenWidth: 4 });
    expect(info.hiddenWidth).toBeUndefined();
  });

  it('fuseHeadIntoEncoder runs the same checks (head width vs graph)', async () => {
    const head = headWeights(new LinearHead(6, 2, createRng(1)));
    await expect(fuseHeadIntoEncoder({ encoderPath: encoderFile({ hidden: 4 }), outPath: join(dir, 'x.onnx'), head, pooling: 'cls', normalize: true, temperature: 1, multilabel: false }))
      .rejects.toThrow(/is 4 wide, but the head takes 6/);
  });
});
