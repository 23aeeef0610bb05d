import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { DEFAULT_PROVIDER_PREFERENCE, parseProviderList, selectProvider, withCpuFallback } from './execution-providers';
import { createModelSession } from './model-session';
import { providerLibraryMissing } from './provider-libraries';

describe('execution provider selection', () => {
  it('falls back in order and logs one line naming the provider in use', async () => {
    const tried: string[] = [];
    const logs: string[] = [];
    const sel = await selectProvider(['tensorrt', 'cuda'], async (p) => {
      tried.push(p);
      if (p !== 'cpu') throw new Error(`${p} provider library not found\nstack`);
      return 'session';
    }, (m) => logs.push(m));
    expect(tried).toEqual(['tensorrt', 'cuda', 'cpu']);
    expect(sel.provider).toBe('cpu');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/using execution provider cpu; unavailable: tensorrt \(tensorrt provider library not found\); cuda/);
  });

  it('uses the first provider that loads', async () => {
    const sel = await selectProvider(['cuda', 'cpu'], async (p) => `session-${p}`, () => undefined);
    expect(sel.provider).toBe('cuda');
    expect(sel.session).toBe('session-cuda');
  });

  it('reports every failure when nothing loads', async () => {
    await expect(selectProvider(['cuda'], async (p) => { throw new Error(`no ${p}`); }, () => undefined))
      .rejects.toThrow('cuda: no cuda; cpu: no cpu');
  });

  it('parses provider lists and rejects unknown names', () => {
    expect(parseProviderList(' CUDA , cpu')).toEqual(['cuda', 'cpu']);
    expect(() => parseProviderList('cuda,rocm')).toThrow(/unknown execution provider "rocm"/);
    expect(() => parseProviderList('')).toThrow(RangeError);
    expect(withCpuFallback(['cuda', 'cuda'])).toEqual(['cuda', 'cpu']);
  });

  it('passes the CUDA provider to onnxruntime and checks graph inputs', async () => {
    const seen: unknown[] = [];
    const fake = {
      inputNames: ['input_ids'], outputNames: ['out'],
      run: async () => ({}), release: jest.fn(async () => undefined),
    } as unknown as ort.InferenceSession;
    const createSession = async (_path: string, opts: ort.InferenceSession.SessionOptions) => {
      seen.push(opts.executionProviders?.[0]);
      return fake;
    };
    const s = await createModelSession({ modelPath: 'm.onnx', executionProviders: ['cuda'], createSession });
    expect(s.provider).toBe('cuda');
    expect(seen).toEqual(['cuda']);
    await expect(createModelSession({ modelPath: 'm.onnx', expectedInputs: ['input_ids', 'attention_mask'], createSession }))
      .rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('lacks inputs attention_mask') });
    expect((fake.release as jest.Mock).mock.calls.length).toBe(1);
  });

  it('prefers CUDA by default and tries TensorRT only when it is listed', async () => {
    const tried: unknown[] = [];
    const logs: string[] = [];
    const fake = { inputNames: ['input_ids'], outputNames: ['out'], run: async () => ({}), release: async () => undefined } as unknown as ort.InferenceSession;
    const createSession = async (_path: string, opts: ort.InferenceSession.SessionOptions) => {
      tried.push(opts.executionProviders?.[0]);
      return fake;
    };
    expect(DEFAULT_PROVIDER_PREFERENCE).not.toContain('tensorrt');
    await expect(createModelSession({ modelPath: 'm.onnx', createSession })).resolves.toMatchObject({ provider: 'cuda' });
    expect(tried).toEqual(['cuda']);
    const trt = await createModelSession({ modelPath: 'm.onnx', executionProviders: ['tensorrt', 'cuda'], createSession, log: (m) => logs.push(m) });
    expect(trt.provider).toBe('tensorrt');
    expect(logs.join('\n')).toMatch(/tensorrt: .*no engine cache or optimisation profiles/);
    expect(logs.join('\n')).toMatch(/ORT_TENSORRT_ENGINE_CACHE_ENABLE.*ORT_TENSORRT_CACHE_PATH.*ORT_TENSORRT_PROFILE_MIN_SHAPES.*unverified/);
  });

  it('rejects bad arguments naming the field', async () => {
    await expect(createModelSession({ modelPath: '' })).rejects.toThrow(TypeError);
    await expect(createModelSession({ modelPath: 'x', intraOpNumThreads: -1 })).rejects.toThrow(/intraOpNumThreads/);
  });
});

describe('provider library detection', () => {
  it('names the missing CUDA library and how to install it', () => {
    expect(providerLibraryMissing('cuda', '/nonexistent')).toMatch(/libonnxruntime_providers_cuda.so not installed .*ONNXRUNTIME_NODE_INSTALL=cuda12/);
    const dir = mkdtempSync(join(tmpdir(), 'ort-bin-'));
    writeFileSync(join(dir, 'libonnxruntime_providers_cuda.so'), '');
    expect(providerLibraryMissing('cuda', dir)).toBeUndefined();
    expect(providerLibraryMissing('tensorrt', dir)).toMatch(/tensorrt/);
  });
});
