/**
 * Op-level profile of the served encoder (issue 17's "remaining cost, measured"): where the
 * time of the Encoder under 64 callers goes, by ONNX Runtime op type, and how much of the wall
 * time is spent outside session.run at all.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/op-profile.ts [--n 1000] [--models default,int8] [--texts ...]
 * Per model, two measurements in this process, each on a fresh Encoder at the library defaults
 * (1 instance, level `all`, batcher defaults), the same texts and callers as
 * tools/bench/inference.ts's encoder64:
 * 1. plain: the rate, and the batch shapes the batcher formed (input_ids dims per run);
 * 2. profiled: the same with ORT's profiler on (session options enableProfiling and
 *    profileFilePrefix, through the Encoder's createSession seam; endProfiling writes the
 *    Chrome-trace JSON). Kernel time per op type as a share of session time (the sum of the
 *    counted runs' `model_run` events), the warm-up runs left out; 1 − session time / wall time
 *    is the share outside session.run (tokenising, padding, pooling, batching, promises). The
 *    gap between the two rates is the profiler's own cost plus the VM's drift between the two
 *    measurements (they run seconds apart), so it bounds neither alone.
 * The weight products' executed operations (padded tokens × operations per token, from the
 * graph) over their kernel time give the rate they ran at in service, set against the
 * roofline.ts mix peak when inference.json holds it.
 * Merges `profile.*` keys into docs/benchmarks/inference.json, keeping every other key.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, relative } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { readBertGraph } from '@tuneline/finetune';
import { Encoder, loadModelDir, resolveModelDir, type TextModelOptions } from '@tuneline/inference';
import { machineLabel, runCli } from './bench-cli';
import { aggregateTrace, opShares, type TraceEvent } from './op-profile-trace';
import { opProfileOptions } from './options';
import { readInt8Graph } from './roofline-int8';
import { loadSentences, textFlags } from './sentences';
import { round } from './stats';

const root = process.cwd();
const opts = runCli((argv) => opProfileOptions(argv, root));
const texts = runCli(() => loadSentences(root, opts.texts, opts.n));
const log = (m: string) => process.stderr.write(`[op-profile] ${m}\n`);
const WARMUP = 8;

/** What the session wrapper sees: the sessions it made and the shapes of every run. */
interface Probe {
  readonly sessions: ort.InferenceSession[];
  runs: number;
  paddedTokens: number;
  rows: number;
}

/** Creates the Encoder's sessions as the library does, optionally profiled, and counts each run's batch shape. */
function probedSessions(probe: Probe, profilePrefix?: string): NonNullable<TextModelOptions['createSession']> {
  return async (path, options) => {
    const s = await ort.InferenceSession.create(path, profilePrefix ? { ...options, enableProfiling: true, profileFilePrefix: profilePrefix } : options);
    const run = s.run.bind(s);
    probe.sessions.push(s);
    return Object.assign(s, {
      run: (feeds: ort.InferenceSession.FeedsType, runOptions?: ort.InferenceSession.RunOptions) => {
        const dims = feeds['input_ids']?.dims ?? [0, 0];
        probe.runs++;
        probe.rows += Number(dims[0]);
        probe.paddedTokens += Number(dims[0]) * Number(dims[1]);
        return run(feeds, runOptions ?? {});
      },
    });
  };
}

/** The encoder under `callers` concurrent callers, one text per call, as inference-worker.ts's encoder64. */
async function serve(enc: Encoder, callers: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: callers }, async () => {
    while (next < texts.length) await enc.embed([texts[next++] as string]);
  }));
  return performance.now() - t0;
}

interface Measured {
  readonly wallMs: number;
  readonly runs: number;
  readonly rows: number;
  readonly paddedTokens: number;
  readonly warmupRuns: number;
  readonly session?: ort.InferenceSession;
}

async function measure(dirPath: string, profilePrefix?: string): Promise<Measured & { enc: Encoder }> {
  const probe: Probe = { sessions: [], runs: 0, paddedTokens: 0, rows: 0 };
  // CPU named: with the createSession seam the library skips its check for missing GPU provider
  // libraries and would try (and log) CUDA first; without the seam it ends on the CPU here anyway.
  const enc = await Encoder.load(dirPath, { executionProviders: ['cpu'], createSession: probedSessions(probe, profilePrefix) });
  await enc.embed(texts.slice(0, WARMUP));
  const warmupRuns = probe.runs;
  Object.assign(probe, { runs: 0, rows: 0, paddedTokens: 0 });
  const wallMs = await serve(enc, opts.callers);
  return { enc, wallMs, runs: probe.runs, rows: probe.rows, paddedTokens: probe.paddedTokens, warmupRuns, ...(probe.sessions[0] ? { session: probe.sessions[0] } : {}) };
}

/**
 * Operations of the weight products per token (2 per multiply-add), from the graph the model
 * directory holds; undefined for graphs neither reader knows (fused ones): no rate then.
 */
function projectionOpsPerToken(onnxPath: string): number | undefined {
  const model = onnx.ModelProto.decode(readFileSync(onnxPath));
  // A fused graph's (Q)Attention holds the Q/K/V products: they would be missed from the count and the rate.
  if ((model.graph?.node ?? []).some((n) => /Attention$/.test(n.opType ?? ''))) {
    log(`${onnxPath}: fused attention; the products' rate is left out`);
    return undefined;
  }
  try {
    if ((model.graph?.node ?? []).some((n) => n.opType === 'MatMulInteger')) return 2 * readInt8Graph(model).intMacsPerToken;
    const g = readBertGraph(model);
    return 2 * g.layers * (4 * g.hidden * g.hidden + 2 * g.hidden * g.ffn);
  } catch (e) {
    log(`${onnxPath}: no operation count (${e instanceof Error ? e.message : String(e)}); the products' rate is left out`);
    return undefined;
  }
}

function newestTrace(prefix: string): string {
  const dir = join(prefix, '..');
  const files = readdirSync(dir).filter((f) => f.startsWith(basename(prefix)) && f.endsWith('.json')).sort();
  const file = files.pop();
  if (!file) throw new Error(`ORT wrote no profile with prefix ${prefix}`);
  return join(dir, file);
}

async function profileModel(model: string, bench: Record<string, unknown>): Promise<Record<string, unknown>> {
  // Keys name a directory by its model folder, not the version folder under it (…/bge-small-en-v15-bert-fused-q/1.20.0-beta30).
  const tag = model === 'default' ? 'fp32' : model.split(/[\\/]/).filter((s) => s && !/^\d/.test(s)).pop() ?? model;
  const dirPath = resolveModelDir(model, process.env);
  const dir = await loadModelDir(dirPath);
  const opsPerToken = projectionOpsPerToken(dir.onnxPath);

  log(`${tag}: plain run, ${texts.length} texts, ${opts.callers} callers …`);
  const plain = await measure(dirPath);
  // Tokenising alone, on the warm tokenizer: the part of the outside time that is tokenisation.
  const tokenize = () => {
    const t0 = performance.now();
    let tokens = 0;
    for (const t of texts) tokens += plain.enc.model.tokenize(t).ids.length;
    return { ms: performance.now() - t0, tokens };
  };
  tokenize();
  const tok = tokenize();
  await plain.enc.dispose();

  log(`${tag}: profiled run …`);
  mkdirSync(opts.traceDir, { recursive: true });
  const prefix = join(opts.traceDir, `${tag}-${Date.now()}`);
  const load0 = loadavg()[0] ?? 0;
  const prof = await measure(dirPath, prefix);
  if (!prof.session) throw new Error('the Encoder made no session through the createSession seam');
  prof.session.endProfiling();
  await prof.enc.dispose();
  const traceFile = newestTrace(prefix);
  const p = aggregateTrace(JSON.parse(readFileSync(traceFile, 'utf8')) as TraceEvent[], prof.warmupRuns);
  if (p.runs !== prof.runs) log(`warning: the profile holds ${p.runs} counted runs, the session wrapper saw ${prof.runs}`);

  const sessionMs = p.sessionUs / 1000;
  const projectionGops = opsPerToken === undefined ? undefined : (prof.paddedTokens * opsPerToken) / (p.projectionUs / 1e6) / 1e9;
  // Kernel time against kernel time: the roofline's peaks over the products' kernels alone.
  const mixPeak = bench[tag === 'fp32' ? 'roofline.matmulKernelMixPeakGflops' : `roofline.${tag}.matmulKernelMixPeakGops`];
  const shares = opShares(p);
  log(`${tag}: ${shares.slice(0, 6).map(([op, s]) => `${op} ${round(s * 100, 1)}%`).join(', ')}; outside run ${round((1 - sessionMs / prof.wallMs) * 100, 1)}%`);
  const k = (name: string) => `profile.${tag}.${name}`;
  return {
    [k('sentencesPerSec')]: round((texts.length / plain.wallMs) * 1000),
    [k('profiledSentencesPerSec')]: round((texts.length / prof.wallMs) * 1000),
    [k('runs')]: p.runs,
    [k('meanBatch')]: round(prof.rows / prof.runs),
    [k('meanPaddedTokensPerRun')]: round(prof.paddedTokens / prof.runs, 1),
    // Token positions the products computed for padding, of all they computed.
    [k('paddingShare')]: round(1 - tok.tokens / prof.paddedTokens, 3),
    [k('wallMs')]: round(prof.wallMs, 1),
    [k('sessionMs')]: round(sessionMs, 1),
    [k('outsideRunShare')]: round(1 - sessionMs / prof.wallMs, 3),
    [k('tokenizeShare')]: round(tok.ms / prof.wallMs, 3),
    ...Object.fromEntries(shares.map(([op, s]) => [k(`opShare.${op}`), round(s, 4)])),
    [k('projectionShare')]: round(p.projectionUs / p.sessionUs, 3),
    ...(projectionGops === undefined ? {} : { [k('projectionGops')]: round(projectionGops, 1) }),
    ...(projectionGops !== undefined && typeof mixPeak === 'number' ? { [k('projectionShareOfKernelMixPeak')]: round(projectionGops / mixPeak, 3) } : {}),
    [k('loadAvg1')]: `${round(load0, 1)}–${round(loadavg()[0] ?? 0, 1)} (profiled run start–end)`,
    [k('traceFile')]: relative(root, traceFile),
  };
}

async function main(): Promise<void> {
  if (texts.length < opts.n) log(`only ${texts.length} texts available (asked --n ${opts.n})`);
  const file = join(root, 'docs', 'benchmarks', 'inference.json');
  const read = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const flat: Record<string, unknown> = {
    'profile.command': `npx tsx --tsconfig tools/tsconfig.json tools/bench/op-profile.ts --n ${opts.n} --models ${opts.models.join(',')}`
      + `${opts.callers === 64 ? '' : ` --callers ${opts.callers}`}${textFlags(opts.texts, root)}`,
    'profile.date': new Date().toISOString(),
    'profile.machine': machineLabel(),
  };
  for (const model of opts.models) Object.assign(flat, await profileModel(model, read()));
  // Read again just before writing: another tool may have written the file meanwhile.
  writeFileSync(file, JSON.stringify({ ...read(), ...flat }, null, 2) + '\n');
  process.stdout.write(JSON.stringify(flat, null, 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
