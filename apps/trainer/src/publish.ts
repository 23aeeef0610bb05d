import { join, resolve } from 'node:path';
import { createEventProducer, createKafka, ensureTopics, TOPICS, type ModelPublished } from '@tuneline/events';
import type { ModelCard } from '@tuneline/finetune';
import { sha256File } from '@tuneline/inference';

/** The part of a ModelCard the event carries (a full ModelCard fits). */
export interface PublishableCard {
  readonly name: string;
  readonly version: string;
  readonly task: ModelCard['task'];
  readonly metrics: { readonly validation: { readonly accuracy: number; readonly macroF1: number } };
}

export interface PublishRequest {
  /** Comma-separated host:port list. */
  readonly brokers: string;
  /** The model version directory (holds model.onnx). */
  readonly dir: string;
  readonly card: PublishableCard;
  readonly labels: readonly string[];
  readonly now?: Date;
}

export interface PublishResult {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly event: ModelPublished;
}

/** The `model.published` event for a model directory: services hot-swap to `path` after checking `sha256`. */
export async function buildModelPublished(req: PublishRequest): Promise<ModelPublished> {
  const path = resolve(req.dir);
  const validation = req.card.metrics.validation;
  return {
    model: req.card.name,
    version: req.card.version,
    path,
    sha256: await sha256File(join(path, 'model.onnx')),
    task: req.card.task,
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
  const kafka = createKafka({ clientId: 'tuneline-trainer', brokers: req.brokers });
  await ensureTopics(kafka, [TOPICS.modelPublished]);
  const producer = createEventProducer(kafka);
  try {
    const [meta] = await producer.send(TOPICS.modelPublished, [event]);
    return { topic: TOPICS.modelPublished.name, partition: meta?.partition ?? 0, offset: meta?.baseOffset ?? meta?.offset ?? '', event };
  } finally {
    await producer.disconnect();
  }
}
