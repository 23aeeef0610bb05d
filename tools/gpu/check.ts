/**
 * Body of tools/gpu/check: CUDA provider loads, outputs match CPU, throughput.
 * Run through `tools/gpu/check`; prints one JSON line.
 */
import { cosineSimilarity, Encoder, resolveModelDir } from '@tuneline/inference';

async function throughput(enc: Encoder, texts: string[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += 64) await enc.embed(texts.slice(i, i + 64));
  return Math.round((texts.length / (performance.now() - t0)) * 1000);
}

async function main(): Promise<void> {
  const dir = resolveModelDir(process.argv[2] ?? 'default', process.env);
  const texts = Array.from({ length: 2048 }, (_, i) => `sample sentence ${i} about ${['card payments', 'loan rates', 'quarterly profit', 'a delayed transfer'][i % 4]}`);
  const logs: string[] = [];
  const gpu = await Encoder.load(dir, { executionProviders: ['cuda'], batching: { maxBatchSize: 64 }, log: (m) => logs.push(m) });
  const cpu = await Encoder.load(dir, { executionProviders: ['cpu'], batching: { maxBatchSize: 64 } });
  const provider = gpu.model.provider;
  const sample = texts.slice(0, 64);
  const [a, b] = [await gpu.embed(sample), await cpu.embed(sample)];
  const minCosine = Math.min(...a.map((v, i) => cosineSimilarity(v, b[i] as Float32Array)));
  const result = {
    ok: provider === 'cuda' && minCosine >= 0.999,
    provider, providerLog: logs, minCosine,
    cudaSentencesPerSec: provider === 'cuda' ? await throughput(gpu, texts) : null,
    cpuSentencesPerSec: await throughput(cpu, texts.slice(0, 512)),
  };
  await gpu.dispose();
  await cpu.dispose();
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(result.ok ? 0 : 1);
}

main().catch((e: Error) => { process.stdout.write(JSON.stringify({ ok: false, reason: e.message }) + '\n'); process.exit(1); });
