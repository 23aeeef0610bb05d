/**
 * Fine-tuning quality report (issue: libs/finetune). On ../shared/datasets training splits
 * only: each dataset is split 80/20 (stratified, seed 42); the 20% is held out and never seen by
 * training, early stopping or calibration. Trains with the library defaults twice (cold, then
 * warm embedding cache) and the MLP head, and scores each exported model through the serving
 * path (Classifier on the fused graph). The independent logistic-regression probe is a separate
 * step (scikit-learn on the same split's embeddings: tools/bench/probe-embeddings.ts, then
 * tools/bench/probe_logreg.py); its keys in finetune.json are kept when this rewrites the file.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/finetune-quality.ts [--base default] [--datasets banking77,financial_phrasebank]
 * (--help lists the flags, including --data <file> for any other labelled split.)
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveModelDir } from '@tuneline/inference';
import { finetune, type TrainOptions } from '@tuneline/finetune';
import { machineLabel, runCli, writeBenchJson } from './bench-cli';
import { heldOutSplit } from './held-out';
import { scoreHeldOut } from './held-out-score';
import { loadLabelled } from './labelled-data';
import { qualityOptions } from './options';
import { round } from './stats';

const root = process.cwd();
const { base, datasets, flags } = runCli((argv) => qualityOptions(argv, root));
const log = (m: string) => process.stderr.write(`[quality] ${m}\n`);

const r4 = (x: number) => round(x, 4);

/**
 * The probe's figures come from another command (tools/bench/probe_logreg.py, with its own
 * command/date/machine keys): kept so rerunning this bench does not erase them.
 */
function probeKeys(): Record<string, unknown> {
  const file = join(root, 'docs', 'benchmarks', 'finetune.json');
  if (!existsSync(file)) return {};
  const old = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(old).filter(([k]) => k.startsWith('logregProbe.') || k.includes('.logregProbe.')));
}

async function main(): Promise<void> {
  const baseDir = resolveModelDir(base, process.env);
  const flat: Record<string, number | string> = {};
  for (const spec of datasets) {
    const name = spec.name;
    const rows = loadLabelled(spec);
    const { train, heldOut } = heldOutSplit(rows);
    const work = mkdtempSync(join(tmpdir(), `quality-${name}-`));
    const trainFile = join(work, 'train.jsonl');
    writeFileSync(trainFile, train.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const cacheRoot = join(work, 'cache');
    const repo = join(work, 'repo');
    log(`${name}: ${rows.length} rows → train ${train.length}, held-out ${heldOut.length}`);
    const run = async (label: string, options: Partial<TrainOptions>) => {
      const t0 = performance.now();
      const res = await finetune({ task: 'classify', dataFile: trainFile, baseModelDir: baseDir, repo, name, cacheRoot, train: options,
        onEpoch: (r, total) => log(`${name}/${label} epoch ${r.epoch}/${total} loss ${r.trainLoss.toFixed(4)} val-F1 ${r.valMacroF1.toFixed(4)}`) });
      const seconds = (performance.now() - t0) / 1000;
      const held = await scoreHeldOut(res.dir, heldOut);
      log(`${name}/${label}: held-out accuracy ${held.accuracy.toFixed(4)} macro-F1 ${held.macroF1.toFixed(4)} in ${seconds.toFixed(1)} s`);
      return { res, seconds, held };
    };
    // The library defaults (what `tuneline finetune` does), twice: cold, then warm embedding cache.
    const cold = await run('default-cold-cache', {});
    const warm = await run('default-warm-cache', {});
    const mlp = await run('mlp', { head: 'mlp', hiddenDim: 256, dropout: 0.2, learningRate: 1e-3, seed: 42 });
    const secs = (x: number) => round(x, 1);
    Object.assign(flat, {
      [`${name}.rows`]: rows.length, [`${name}.trainRows`]: train.length, [`${name}.heldOutRows`]: heldOut.length,
      [`${name}.classes`]: new Set(rows.map((r) => r.label)).size,
      [`${name}.default.head`]: warm.res.card.hyperParameters.head,
      [`${name}.default.heldOutAccuracy`]: r4(warm.held.accuracy), [`${name}.default.heldOutMacroF1`]: r4(warm.held.macroF1),
      [`${name}.default.validationEce`]: r4(warm.res.card.metrics.validation.ece), [`${name}.default.validationEceUncalibrated`]: r4(warm.res.card.metrics.validationUncalibrated.ece),
      [`${name}.default.temperature`]: r4(warm.res.card.temperature), [`${name}.default.epochsRun`]: warm.res.card.training.epochsRun,
      [`${name}.default.trainSecondsColdCache`]: secs(cold.seconds), [`${name}.default.trainSecondsWarmCache`]: secs(warm.seconds),
      [`${name}.default.embedSecondsColdCache`]: secs(cold.res.card.training.embedSeconds),
      [`${name}.default.embedSecondsWarmCache`]: secs(warm.res.card.training.embedSeconds),
      [`${name}.default.coldRunHeldOutAccuracy`]: r4(cold.held.accuracy),
      [`${name}.mlp.heldOutAccuracy`]: r4(mlp.held.accuracy), [`${name}.mlp.heldOutMacroF1`]: r4(mlp.held.macroF1),
      [`${name}.mlp.trainSecondsWarmCache`]: secs(mlp.seconds), [`${name}.mlp.epochsRun`]: mlp.res.card.training.epochsRun,
    });
  }
  const result = {
    command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/finetune-quality.ts --base ${base} ${flags}`,
    date: new Date().toISOString(),
    machine: machineLabel(),
    baseModel: base, protocol: 'training split only; 80/20 stratified (seed 42); held-out 20% scored through the fused graph', ...flat,
    ...probeKeys(),
  };
  writeBenchJson(root, 'finetune', result);
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
