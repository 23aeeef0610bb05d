import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEventProducer, createKafka, defineTopic, ensureTopics, kafkaSecurityFromConfig, TOPICS, type KafkaSecurityOptions, type ModelPublished } from '@tuneline/events';
import type { ModelCard } from '@tuneline/finetune';
import { sha256File } from '@tuneline/inference';

/** The part of a ModelCard the event carries (a full ModelCard fits). */
export interface PublishableCard {
  readonly name: string;
  readonly version: string;
  readonly task: ModelCard['task'];
  readonly metrics: { readonly validation: { readonly accuracy: number; readonly macroF1: number } };
}

/** A ranking head (libs/recommend): no tokenizer, no labels; its own headline figures. */
export interface PublishableRankingCard {
  readonly name: string;
  readonly version: string;
  readonly task: 'ranking';
  readonly metrics: Readonly<Record<string, number>>;
}

export interface PublishRequest {
  /** Comma-separated host:port list. */
  readonly brokers: string;
  /** The model version directory (holds model.onnx). */
  readonly dir: string;
  readonly card: PublishableCard | PublishableRankingCard;
  /** The classifier's labels; [] for a ranking head. */
  readonly labels: readonly string[];
  readonly now?: Date;
  /** Topic name; default `model.published` (tests pass a unique name, same schema). */
  readonly topic?: string;
  /** TLS/SASL; default: from the KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_... and KAFKA_SSL_... variables. */
  readonly security?: KafkaSecurityOptions;
}

export interface PublishResult {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly event: ModelPublished;
}

/**
 * The `model.published` event for a model directory. Followers (@tuneline/model-lifecycle)
 * fetch it from `uri` (here a file:// URL of `path`), check `sha256` and `tokenizerSha256`
 * on their copy, then warm it up and swap. A ranking head has no tokenizer: the event
 * carries no tokenizerSha256 (the schema's field is optional for that reason).
 */
export async function buildModelPublished(req: PublishRequest): Promise<ModelPublished> {
  const path = resolve(req.dir);
  const card = req.card;
  if (card.task === 'ranking') {
    return {
      model: card.name, version: card.version, path, uri: pathToFileURL(path).href,
      sha256: await sha256File(join(path, 'model.onnx')),
      task: card.task, labels: [], metrics: { ...card.metrics },
      publishedAt: (req.now ?? new Date()).toISOString(),
    };
  }
  const validation = card.metrics.validation;
  return {
    model: card.name,
    version: card.version,
    path,
    uri: pathToFileURL(path).href,
    sha256: await sha256File(join(path, 'model.onnx')),
    tokenizerSha256: await sha256File(join(path, 'tokenizer.json')),
    task: card.task,
    labels: [...req.labels],
    metrics: { accuracy: validation.accuracy, macroF1: validation.macroF1 },
    publishedAt: (req.now ?? new Date()).toISOString(),
  };
}

/**
 * Sends one `model.published` record (key = model name) through the typed idempotent
 * producer of @tuneline/events, creating the topic first if the broker lacks it.
 */
export async function publishModel(req: PublishRequest): Promise<PublishResult> {
  const event = await buildModelPublished(req);
  const topic = req.topic ? defineTopic({ ...TOPICS.modelPublished, name: req.topic }) : TOPICS.modelPublished;
  const kafka = createKafka({ clientId: 'tuneline-trainer', brokers: req.brokers, ...(req.security ?? kafkaSecurityFromConfig(process.env)) });
  await ensureTopics(kafka, [topic]);
  const producer = createEventProducer(kafka);
  try {
    const [meta] = await producer.send(topic, [event]);
    return { topic: topic.name, partition: meta?.partition ?? 0, offset: meta?.baseOffset ?? meta?.offset ?? '', event };
  } finally {
    await producer.disconnect();
  }
}
