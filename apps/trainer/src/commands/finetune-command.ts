import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  DEFAULT_ENCODER_TRAIN_OPTIONS,
  DEFAULT_TRAIN_OPTIONS,
  finetune,
  parseExemplarSpec,
  validateTrainOptions,
  writeTrainingReport,
  type FinetuneResult,
  type FinetuneTask,
  type TrainOptions,
} from '@tuneline/finetune';
import { resolveModelDir } from '@tuneline/inference';
import { addDatasetFieldOptions, datasetFieldsFrom, type DatasetFieldFlags } from '../dataset-field-options';
import { UsageError } from '../exit-codes';
import { writeJsonLine, type CliIO } from '../io';
import { brokersOption, integerOption, modelNameOption, numberOption, positiveNumberOption } from '../options';
import { createTrainingProgress } from '../progress';
import { encoderOptionsFrom, FINETUNE_METHODS, type EncoderCliFlags } from './encoder-options';
import { publishModel, type PublishResult } from '../publish';

export const FINETUNE_TASKS: readonly FinetuneTask[] = ['classify', 'multilabel', 'pair'];

export interface FinetuneCliOptions extends DatasetFieldFlags, EncoderCliFlags {
  readonly task: FinetuneTask;
  readonly data: string;
  readonly validation?: string;
  readonly base: string;
  readonly out: string;
  readonly name: string;
  readonly head?: 'linear' | 'mlp';
  readonly classWeights?: 'balanced' | 'none';
  readonly minSteps?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly lr?: number;
  readonly weightDecay?: number;
  readonly hidden?: number;
  readonly dropout?: number;
  readonly patience?: number;
  readonly seed?: number;
  readonly valFraction?: number;
  readonly cache: boolean;
  readonly report?: string;
  readonly publish?: boolean;
  readonly brokers: string;
}

/** Flags → the TrainOptions the user set (the rest keep DEFAULT_TRAIN_OPTIONS). */
export function trainOptionsFrom(o: FinetuneCliOptions): Partial<TrainOptions> {
  const picked: Partial<Record<keyof TrainOptions, unknown>> = {
    head: o.head, epochs: o.epochs, batchSize: o.batchSize, learningRate: o.lr, weightDecay: o.weightDecay,
    hiddenDim: o.hidden, dropout: o.dropout, patience: o.patience, seed: o.seed, classWeights: o.classWeights, minSteps: o.minSteps,
  };
  const given = Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined)) as Partial<TrainOptions>;
  try {
    if (o.exemplars !== undefined && o.task === 'multilabel') throw new UsageError('--exemplars: multi-label heads are not supported (the vote gives one distribution over the labels)');
    const train = o.exemplars === undefined ? given : { ...given, exemplars: parseExemplarSpec(o.exemplars === true ? '' : o.exemplars) };
    validateTrainOptions({ ...DEFAULT_TRAIN_OPTIONS, ...train });
    return train;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export interface FinetuneSummary {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly task: string;
  readonly labels: readonly string[];
  readonly accuracy: number;
  readonly macroF1: number;
  readonly ece: number;
  readonly eceUncalibrated: number;
  readonly temperature: number;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
  readonly trainRows: number;
  readonly validationRows: number;
  readonly seconds: number;
  readonly report: string;
  readonly published: false | { readonly topic: string; readonly partition: number; readonly offset: string };
}

export function summarize(result: FinetuneResult, report: string, published: PublishResult | undefined): FinetuneSummary {
  const { card } = result;
  return {
    dir: result.dir, name: card.name, version: result.version, task: card.task, labels: result.labels,
    accuracy: card.metrics.validation.accuracy, macroF1: card.metrics.validation.macroF1,
    ece: card.metrics.validation.ece, eceUncalibrated: card.metrics.validationUncalibrated.ece, temperature: card.temperature,
    bestEpoch: card.training.bestEpoch, epochsRun: card.training.epochsRun, stoppedEarly: card.training.stoppedEarly,
    trainRows: card.data.trainRows, validationRows: card.data.validationRows, seconds: card.training.seconds, report,
    published: published ? { topic: published.topic, partition: published.partition, offset: published.offset } : false,
  };
}

async function runFinetune(o: FinetuneCliOptions, io: CliIO): Promise<void> {
  if (o.valFraction !== undefined && o.validation) throw new UsageError('--val-fraction and --validation exclude each other');
  const encoder = encoderOptionsFrom(o);
  const train = encoder ? {} : trainOptionsFrom(o);
  // Catalog aliases resolve under the configured cache root, like the embedding cache.
  const baseModelDir = resolveModelDir(o.base, { TUNELINE_CACHE: io.config.cacheRoot });
  const fields = datasetFieldsFrom(o);
  const progress = createTrainingProgress(io.stderr);
  let result: FinetuneResult;
  try {
    result = await finetune({
      task: o.task, dataFile: o.data, ...(o.validation ? { validationFile: o.validation } : {}), fields, baseModelDir,
      repo: resolve(o.out), name: o.name, ...(o.cache ? { cacheRoot: io.config.cacheRoot } : {}),
      ...(o.valFraction !== undefined ? { validationFraction: o.valFraction } : {}), train,
      ...(encoder ? { method: encoder.method, encoder: encoder.options } : {}),
      onEmbedProgress: (done, total) => progress.embed(done, total),
      onEpoch: (record, total) => progress.epoch(record, total),
      log: (message) => progress.log(message),
    });
  } finally {
    progress.stop();
  }
  const files = await writeTrainingReport(o.report ? resolve(o.report) : result.dir, result.card, result.labels);
  io.stderr.write(`report written to ${files.markdown}\n`);
  let published: PublishResult | undefined;
  if (o.publish === true) {
    try {
      published = await publishModel({ brokers: o.brokers, dir: result.dir, card: result.card, labels: result.labels });
    } catch (err) {
      throw new Error(`model written to ${result.dir}, but publishing to ${o.brokers} failed: ${(err as Error).message}; ` +
        `retry with \`tuneline publish --model ${result.dir} --brokers ${o.brokers}\``, { cause: err });
    }
    io.stderr.write(`published ${result.card.name} v${result.version} to ${published.topic} (partition ${published.partition}, offset ${published.offset})\n`);
  }
  writeJsonLine(io, summarize(result, files.markdown, published));
}

export function registerFinetuneCommand(program: Command, io: CliIO): Command {
  const d = DEFAULT_TRAIN_OPTIONS;
  const enc = DEFAULT_ENCODER_TRAIN_OPTIONS;
  const cmd = program
    .command('finetune')
    .description('train a task head on a frozen pretrained encoder (or the top encoder layers too) and write a servable model version with a report')
    .addOption(new Option('--task <task>', 'what to learn').choices(FINETUNE_TASKS).makeOptionMandatory())
    .requiredOption('--data <file>', 'training data (.jsonl or .csv)')
    .option('--validation <file>', 'validation data (default: a stratified split of --data)');
  return addDatasetFieldOptions(cmd)
    .option('--base <model>', 'base encoder: catalog alias (default, int8, zh, minilm) or a model directory', 'default')
    .requiredOption('--out <dir>', 'model repository; the model goes to <dir>/<name>/<next version>/')
    .requiredOption('--name <name>', 'model name (directory and Kafka key)', modelNameOption)
    .addOption(new Option('--method <method>', 'head: train a head on the frozen encoder (default); lora / top-layers: train the top encoder layers too').choices(FINETUNE_METHODS))
    .option('--layers <k>', `lora/top-layers: top layers trained (default lora ${enc.lora.layers}, capped at the encoder's depth; top-layers ${enc['top-layers'].layers})`, integerOption(1, 64))
    .option('--lora-rank <r>', 'lora: adapter rank (default 8)', integerOption(1, 256))
    .option('--lora-alpha <x>', 'lora: scale numerator, ΔW = (alpha/r)·A·B (default 16)', positiveNumberOption(1e6))
    .option('--lora-targets <list>', `lora: weights adapted, from query,value,ffn (default ${enc.lora.loraTargets.join(',')})`)
    .option('--head-lr <x>', 'lora/top-layers: peak learning rate of the head (default 0.002; --lr sets the encoder\'s)', positiveNumberOption(10))
    .option('--max-grad-norm <x>', 'lora/top-layers: global gradient-norm clip (default 1)', positiveNumberOption(1e6))
    .option('--adapted-only', 'lora/top-layers: keep the best adapted epoch even where the frozen-encoder probe (epoch 0) scored higher on validation')
    .addOption(new Option('--head <kind>', `task head (default ${d.head})`).choices(['linear', 'mlp']))
    .addOption(new Option('--class-weights <kind>', `loss weights per class (default ${d.classWeights}; balanced for strongly imbalanced data)`).choices(['balanced', 'none']))
    .option('--epochs <n>', `most epochs (default head ${d.epochs}, raised on small data to reach --min-steps; lora ${enc.lora.epochs}, top-layers ${enc['top-layers'].epochs})`, integerOption(1, 10_000))
    .option('--min-steps <n>', `fewest optimizer steps; small datasets get more epochs (default ${d.minSteps})`, integerOption(0, 10_000_000))
    .option('--batch-size <n>', `mini-batch size (default ${d.batchSize})`, integerOption(1, 1_000_000))
    .option('--lr <x>', `peak learning rate (default ${d.learningRate})`, positiveNumberOption(10))
    .option('--weight-decay <x>', `AdamW weight decay (default ${d.weightDecay})`, numberOption(0, 10))
    .option('--hidden <n>', `hidden units of the mlp head (default ${d.hiddenDim})`, integerOption(1, 65_536))
    .option('--dropout <x>', `mlp head: its dropout (default ${d.dropout}); lora/top-layers: hidden dropout in the trained layers (default ${enc.lora.dropout}, ${enc['top-layers'].dropout})`, numberOption(0, 1, true))
    .option('--patience <n>', `epochs without a better epoch (validation macro-F1, then loss) before stopping (default ${d.patience})`, integerOption(1, 10_000))
    .option('--seed <n>', `random seed (default ${d.seed})`, integerOption(0, 2 ** 31 - 1))
    .option('--exemplars [spec]', 'blend a k-nearest-exemplar vote over the training texts into the served probabilities (fused into model.onnx; '
      + 'classify/pair, head method); spec k=<n>,t=<temperature>,w=<head weight>, default k=10,t=0.02,w=0.5')
    .option('--val-fraction <x>', 'validation share when no --validation file is given (default 0.15)', numberOption(0.01, 0.9))
    .option('--no-cache', 'do not read or write the embedding cache')
    .option('--report <dir>', 'where to write report.md and the charts (default: the model directory)')
    .option('--publish', 'send a model.published event to Kafka after writing the model')
    .option('--brokers <list>', 'Kafka brokers host:port[,host:port] (from $KAFKA_BROKERS when set)', brokersOption, io.config.brokers)
    .action((opts: FinetuneCliOptions) => runFinetune(opts, io));
}
