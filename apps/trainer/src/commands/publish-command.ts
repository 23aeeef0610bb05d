import type { Command } from 'commander';
import { z } from 'zod';
import { isFeatureModelDir, loadFeatureModelDir, loadModelDir, ModelFormatError } from '@tuneline/inference';
import { resolveTrainedModelDir } from '@tuneline/finetune';
import { writeJsonLine, type CliIO } from '../io';
import { brokersOption } from '../options';
import { publishModel, type PublishRequest } from '../publish';
import { rankingCardOf } from '../rank/ranking-card';

export interface PublishCliOptions {
  readonly model: string;
  readonly brokers: string;
  readonly topic?: string;
}

/** The slice of model-card.json the event needs. */
const cardSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  task: z.enum(['classification', 'multilabel']),
  metrics: z.object({ validation: z.object({ accuracy: z.number(), macroF1: z.number() }).loose() }).loose(),
}).loose();

/** What to publish for a version directory: a classifier (model card and labels.json) or a ranking head (no tokenizer, no labels). */
async function publishableOf(dir: string): Promise<Pick<PublishRequest, 'card' | 'labels'>> {
  if (await isFeatureModelDir(dir)) {
    const card = rankingCardOf((await loadFeatureModelDir(dir)).card);
    if (!card) throw new ModelFormatError(`${dir} is not a trained ranking head (needs model-card.json with name, version, task "ranking" and the training report)`);
    return { card, labels: [] };
  }
  const model = await loadModelDir(dir);
  const parsed = cardSchema.safeParse(model.card);
  if (!model.card || !parsed.success || !model.labels) {
    throw new ModelFormatError(`${dir} is not a fine-tuned model (needs model-card.json with name, version, task and metrics, and labels.json)`);
  }
  const card = parsed.data;
  return { card: { name: card.name, version: card.version, task: card.task, metrics: { validation: card.metrics.validation } }, labels: model.labels };
}

async function runPublish(o: PublishCliOptions, io: CliIO): Promise<void> {
  const dir = resolveTrainedModelDir(o.model);
  const { card, labels } = await publishableOf(dir);
  const published = await publishModel({ brokers: o.brokers, dir, labels, card, ...(o.topic ? { topic: o.topic } : {}) });
  io.stderr.write(`published ${card.name} v${card.version} to ${published.topic} (partition ${published.partition}, offset ${published.offset})\n`);
  writeJsonLine(io, { topic: published.topic, partition: published.partition, offset: published.offset, ...published.event });
}

export function registerPublishCommand(program: Command, io: CliIO): Command {
  return program
    .command('publish')
    .description('(re)send the model.published event for a trained model directory (a classifier or a ranking head)')
    .requiredOption('--model <dir>', 'model version directory, or <repo>/<name> for its latest version')
    .option('--brokers <list>', 'Kafka brokers host:port[,host:port] (from $KAFKA_BROKERS when set)', brokersOption, io.config.brokers)
    .option('--topic <name>', 'topic to send to (default model.published; tests use their own)')
    .action((opts: PublishCliOptions) => runPublish(opts, io));
}
