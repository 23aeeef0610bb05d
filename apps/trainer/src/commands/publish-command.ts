import type { Command } from 'commander';
import { z } from 'zod';
import { loadModelDir, ModelFormatError } from '@tuneline/inference';
import { resolveTrainedModelDir } from '@tuneline/finetune';
import { writeJsonLine, type CliIO } from '../io';
import { brokersOption } from '../options';
import { publishModel } from '../publish';

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

async function runPublish(o: PublishCliOptions, io: CliIO): Promise<void> {
  const dir = resolveTrainedModelDir(o.model);
  const model = await loadModelDir(dir);
  const parsed = cardSchema.safeParse(model.card);
  if (!model.card || !parsed.success || !model.labels) {
    throw new ModelFormatError(`${dir} is not a fine-tuned model (needs model-card.json with name, version, task and metrics, and labels.json)`);
  }
  const card = parsed.data;
  const published = await publishModel({
    brokers: o.brokers, dir, labels: model.labels, ...(o.topic ? { topic: o.topic } : {}),
    card: { name: card.name, version: card.version, task: card.task, metrics: { validation: card.metrics.validation } },
  });
  io.stderr.write(`published ${card.name} v${card.version} to ${published.topic} (partition ${published.partition}, offset ${published.offset})\n`);
  writeJsonLine(io, { topic: published.topic, partition: published.partition, offset: published.offset, ...published.event });
}

export function registerPublishCommand(program: Command, io: CliIO): Command {
  return program
    .command('publish')
    .description('(re)send the model.published event for a trained model directory')
    .requiredOption('--model <dir>', 'model version directory, or <repo>/<name> for its latest version')
    .option('--brokers <list>', 'Kafka brokers host:port[,host:port] (from $KAFKA_BROKERS when set)', brokersOption, io.config.brokers)
    .option('--topic <name>', 'topic to send to (default model.published; tests use their own)')
    .action((opts: PublishCliOptions) => runPublish(opts, io));
}
